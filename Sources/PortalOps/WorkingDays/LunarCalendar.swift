import Foundation

/// The Vietnamese lunar calendar, computed for UTC+7 (it differs from China's UTC+8 calendar in some years,
/// e.g. Tết 1985 and 2007).
///
/// The algorithm is Hồ Ngọc Đức's ("Thuật toán tính âm lịch", https://www.informatik.uni-leipzig.de/~duc/amlich/):
/// new moons from Jean Meeus, "Astronomical Algorithms" (1998), ch. 49, truncated series; the sun's longitude
/// from Meeus ch. 25 (low precision); month 11 is the month holding the winter solstice; in a year of 13 months
/// the leap month is the first one without a major solar term (trung khí). Days are Julian day numbers, so
/// no time zone database is involved.
public enum LunarCalendar {
    /// The zone the Vietnamese calendar is reckoned in, in hours (China's is 8).
    public static let vietnam = 7.0

    /// The solar date (proleptic Gregorian) of lunar `day`/`month`/`year` (not a leap month).
    public static func solarDate(day: Int, month: Int, year: Int,
                                 zone: Double = vietnam) -> (year: Int, month: Int, day: Int) {
        dateFromJulianDay(julianDay(lunarDay: day, month: month, year: year, zone: zone))
    }

    /// The Julian day number of lunar `day`/`month` of lunar `year` (not a leap month).
    public static func julianDay(lunarDay day: Int, month: Int, year: Int, zone: Double = vietnam) -> Int {
        let (a11, b11) = month < 11 ? (month11(year - 1, zone), month11(year, zone))
                                       : (month11(year, zone), month11(year + 1, zone))
        var offset = month - 11
        if offset < 0 { offset += 12 }
        if b11 - a11 > 365 {
            let leapOffset = leapMonthOffset(a11, zone)
            if offset >= leapOffset { offset += 1 }
        }
        let k = Int(floor(0.5 + (Double(a11) - 2_415_021.076998695) / 29.530588853))
        return newMoonDay(k + offset, zone) + day - 1
    }

    public static func julianDay(year: Int, month: Int, day: Int) -> Int {
        let a = (14 - month) / 12
        let y = year + 4800 - a
        let m = month + 12 * a - 3
        return day + (153 * m + 2) / 5 + 365 * y + y / 4 - y / 100 + y / 400 - 32045
    }

    public static func dateFromJulianDay(_ jd: Int) -> (year: Int, month: Int, day: Int) {
        let a = jd + 32044
        let b = (4 * a + 3) / 146_097
        let c = a - (b * 146_097) / 4
        let d = (4 * c + 3) / 1461
        let e = c - (1461 * d) / 4
        let m = (5 * e + 2) / 153
        return (b * 100 + d - 4800 + m / 10, m + 3 - 12 * (m / 10), e - (153 * m + 2) / 5 + 1)
    }

    /// The k-th new moon after 1900-01-01, as a Julian date (Meeus ch. 49).
    static func newMoon(_ k: Int) -> Double {
        let k = Double(k)
        let t = k / 1236.85, t2 = t * t, t3 = t2 * t
        let dr = Double.pi / 180
        var jd1 = 2_415_020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
        jd1 += 0.00033 * sin((166.56 + 132.87 * t - 0.009173 * t2) * dr)
        let m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3
        let mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3
        let f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3
        var c1 = (0.1734 - 0.000393 * t) * sin(m * dr) + 0.0021 * sin(2 * dr * m)
        c1 += -0.4068 * sin(mpr * dr) + 0.0161 * sin(dr * 2 * mpr)
        c1 += -0.0004 * sin(dr * 3 * mpr)
        c1 += 0.0104 * sin(dr * 2 * f) - 0.0051 * sin(dr * (m + mpr))
        c1 += -0.0074 * sin(dr * (m - mpr)) + 0.0004 * sin(dr * (2 * f + m))
        c1 += -0.0004 * sin(dr * (2 * f - m)) - 0.0006 * sin(dr * (2 * f + mpr))
        c1 += 0.0010 * sin(dr * (2 * f - mpr)) + 0.0005 * sin(dr * (2 * mpr + m))
        let deltaT = t < -11
            ? 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
            : -0.000278 + 0.000265 * t + 0.000262 * t2
        return jd1 + c1 - deltaT
    }

    /// The sun's apparent longitude in radians at Julian date `jdn` (Meeus ch. 25).
    static func sunLongitude(_ jdn: Double) -> Double {
        let t = (jdn - 2_451_545.0) / 36525, t2 = t * t
        let dr = Double.pi / 180
        let m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2
        let l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2
        var dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * sin(dr * m)
        dl += (0.019993 - 0.000101 * t) * sin(dr * 2 * m) + 0.000290 * sin(dr * 3 * m)
        let l = (l0 + dl) * dr
        return l - 2 * Double.pi * floor(l / (2 * Double.pi))
    }

    /// The day (Julian day number, local midnight) of the k-th new moon.
    static func newMoonDay(_ k: Int, _ zone: Double) -> Int { Int(floor(newMoon(k) + 0.5 + zone / 24)) }

    /// Which of the 12 major solar terms (0–11, 30° each) is in force at the start of day `jd`.
    static func solarTerm(_ jd: Int, _ zone: Double) -> Int {
        Int(floor(sunLongitude(Double(jd) - 0.5 - zone / 24) / Double.pi * 6))
    }

    /// The first day of lunar month 11 (the month holding the winter solstice) of solar year `year`.
    static func month11(_ year: Int, _ zone: Double) -> Int {
        let offset = Double(julianDay(year: year, month: 12, day: 31) - 2_415_021)
        let k = Int(floor(offset / 29.530588853))
        let newMoon = newMoonDay(k, zone)
        return solarTerm(newMoon, zone) >= 9 ? newMoonDay(k - 1, zone) : newMoon
    }

    /// How many months after month 11 (at `a11`) the leap month falls: the first month without a major term.
    static func leapMonthOffset(_ a11: Int, _ zone: Double) -> Int {
        let k = Int(floor((Double(a11) - 2_415_021.076998695) / 29.530588853 + 0.5))
        var i = 1
        var arc = solarTerm(newMoonDay(k + i, zone), zone)
        var last = 0
        repeat {
            last = arc
            i += 1
            arc = solarTerm(newMoonDay(k + i, zone), zone)
        } while arc != last && i < 14
        return i - 1
    }
}
