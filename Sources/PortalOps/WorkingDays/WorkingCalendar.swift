import OpsProtocol
/// Working days: Monday to Friday, except holidays.
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
    public let holidays: Set<String>

    public init(time: LocalTime, holidays: Set<String>) {
        self.time = time
        self.holidays = holidays
    }

    public func isWorkingDay(_ milliseconds: Int64) -> Bool {
        let weekday = time.weekday(milliseconds)
        return weekday != 1 && weekday != 7 && !holidays.contains(time.dateText(milliseconds))
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

    /// The end (midnight after) of the `days`-th working day after the day
    /// of `from`: the deadline "within N working days".
    public func deadline(from: Int64, workingDays days: Int) -> Int64 {
        earliestStart(issuedAt: from, workingDays: days)
    }
}
