import Foundation
import OpsProtocol

/// One public holiday a year brings by law (Labour Code 2019, Art. 112).
public struct PublicHoliday: Sendable, Equatable {
    /// `yyyy-MM-dd`, local.
    public let date: String
    public let name: String
    /// A fixed solar date named by Art. 112 (1/1, 30/4, 1/5, 2/9): known for certain. The others (Tết and Giỗ
    /// Tổ from the lunar calendar, the second day of Quốc khánh, days in lieu) are placed each year by the
    /// government, so they are only proposed until an operator confirms the year.
    public let fixed: Bool
}

/// The public holidays of any year, computed: the fixed days of Art. 112 and a proposal for the rest.
public enum PublicHolidays {
    private static let cache = Locked<[Int: [PublicHoliday]]>([:])

    /// The year's holidays in date order: fixed days, and the proposed ones.
    public static func of(year: Int) -> [PublicHoliday] {
        if let known = cache.withLock({ $0[year] }) { return known }
        let computed = compute(year)
        cache.withLock { $0[year] = computed }
        return computed
    }

    static func compute(_ year: Int) -> [PublicHoliday] {
        var days: [(jd: Int, name: String, fixed: Bool)] = []
        func solar(_ month: Int, _ day: Int) -> Int { LunarCalendar.julianDay(year: year, month: month, day: day) }
        days.append((solar(1, 1), "Tết Dương lịch", true))
        // Tết: 5 days (Art. 112.1.b); the usual placement is the last day of the old year and mùng 1–4.
        let tet = LunarCalendar.julianDay(lunarDay: 1, month: 1, year: year)
        days.append((tet - 1, "Tết Nguyên đán (ngày cuối năm âm lịch)", false))
        for day in 1...4 { days.append((tet + day - 1, "Tết Nguyên đán (mùng \(day))", false)) }
        days.append((LunarCalendar.julianDay(lunarDay: 10, month: 3, year: year),
                     "Giỗ Tổ Hùng Vương (10/3 âm lịch)", false))
        days.append((solar(4, 30), "Ngày Chiến thắng (30/4)", true))
        days.append((solar(5, 1), "Ngày Quốc tế lao động (1/5)", true))
        let national = solar(9, 2)
        days.append((national, "Quốc khánh (2/9)", true))
        days.append((national + secondNationalDayOffset(weekday(national)), "Quốc khánh (ngày liền kề 2/9)", false))
        // Listed by the python `holidays` package from 2026 on; proposed, like every day not in Art. 112's list.
        if year >= 2026 { days.append((solar(11, 24), "Ngày Văn hóa Việt Nam (24/11)", false)) }
        // A holiday on a weekend gives a day off in lieu on the next working day (Art. 112.3).
        var taken = Set(days.map(\.jd))
        for day in days.sorted(by: { $0.jd < $1.jd }) where isWeekend(day.jd) {
            var lieu = day.jd + 1
            while isWeekend(lieu) || taken.contains(lieu) { lieu += 1 }
            taken.insert(lieu)
            days.append((lieu, "Nghỉ bù \(day.name)", false))
        }
        return days.sorted { $0.jd < $1.jd }.map { day in
            let d = LunarCalendar.dateFromJulianDay(day.jd)
            return PublicHoliday(date: String(format: "%04d-%02d-%02d", d.year, d.month, d.day), name: day.name,
                                 fixed: day.fixed)
        }
    }

    /// The day before or after 2/9 that joins a weekend, as the government has placed it since 2021:
    /// after on Monday, Wednesday, Thursday and Sunday; before on Tuesday, Friday and Saturday.
    static func secondNationalDayOffset(_ weekday: Int) -> Int {
        [2, 5, 6].contains(weekday) ? -1 : 1
    }

    /// 0 = Sunday … 6 = Saturday.
    static func weekday(_ jd: Int) -> Int { (jd + 1) % 7 }

    static func isWeekend(_ jd: Int) -> Bool { weekday(jd) == 0 || weekday(jd) == 6 }
}
