import OpsProtocol
/// Working days: Monday to Friday, except holidays, plus make-up working days.
///
/// Lead times are counted in whole working days between the day a notice is
/// issued and the day the work starts: a notice issued on any day gives "N
/// working days' notice" for work starting after the N-th working day that
/// follows the day of issue has ended. Issued Monday with 1 working day
/// required, the earliest start is Wednesday 00:00 (Tuesday is the working
/// day of notice). This is the strict reading of "trước ít nhất N ngày làm
/// việc"; it never lets a notice count the day it was issued on.
public struct WorkingCalendar: Sendable {
    public let time: LocalTime
    /// Days on record (`holiday add`, or adopted by `holiday confirm`).
    public let holidays: Set<String>
    /// Make-up working days (`holiday workday`): worked although a weekend.
    public let workdays: Set<String>
    /// Years whose schedule was confirmed: only their fixed days and days on record count. In the other
    /// years the proposed public holidays count too, so lead times around Tết are right before anyone
    /// types a day in. nil: no built-in public holidays at all (only `holidays`).
    public let confirmedYears: Set<Int>?

    public init(time: LocalTime, holidays: Set<String>, workdays: Set<String> = [], confirmedYears: Set<Int>? = nil) {
        self.time = time
        self.holidays = holidays
        self.workdays = workdays
        self.confirmedYears = confirmedYears
    }

    public func isWorkingDay(_ milliseconds: Int64) -> Bool {
        let date = time.dateText(milliseconds)
        if workdays.contains(date) { return true }
        let weekday = time.weekday(milliseconds)
        return weekday != 1 && weekday != 7 && !holidays.contains(date) && !isPublicHoliday(date)
    }

    /// A fixed public holiday, or a proposed one of a year not yet confirmed.
    func isPublicHoliday(_ date: String) -> Bool {
        guard let confirmedYears, let year = Int(date.prefix(4)) else { return false }
        let confirmed = confirmedYears.contains(year)
        return PublicHolidays.of(year: year).contains { $0.date == date && ($0.fixed || !confirmed) }
    }

    /// Midnight after the `days`-th working day following the day of `issued`.
    public func earliestStart(issuedAt issued: Int64, workingDays days: Int) -> Int64 {
        var day = time.startOfDay(issued)
        var counted = 0
        while counted < days {
            day = time.addingDays(1, to: day)
            if isWorkingDay(day) { counted += 1 }
        }
        return days == 0 ? issued : time.addingDays(1, to: day)
    }

    /// The whole working days between the day of `from` and the day of `start`, both excluded: the lead time
    /// a notice delivered at `from` gives for work starting at `start`, as `earliestStart` counts it.
    public func workingDaysGiven(from: Int64, before start: Int64) -> Int {
        let last = time.startOfDay(start)
        var day = time.addingDays(1, to: time.startOfDay(from))
        var count = 0
        while day < last {
            if isWorkingDay(day) { count += 1 }
            day = time.addingDays(1, to: day)
        }
        return count
    }

    /// The end (midnight after) of the `days`-th working day after the day
    /// of `from`: the deadline "within N working days".
    public func deadline(from: Int64, workingDays days: Int) -> Int64 {
        earliestStart(issuedAt: from, workingDays: days)
    }
}
