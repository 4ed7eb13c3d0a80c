import OpsProtocol
import SQLite

/// Each component's share of time up per day over the last 90 days, for the status page's bars.
/// Past days do not change, so each is computed once and kept; only today is computed again.
/// Not thread-safe: one publisher uses it, one refresh at a time.
public final class AvailabilityBars: @unchecked Sendable {
    public static let days = 90
    private var closed: [String: Day] = [:]

    public struct Day: Sendable {
        public let date: String
        /// Up over the day's known time; nil when nothing is known (opsd stopped, no check).
        public let share: Double?
        public let unplanned: Int64
    }

    public init() {}

    func days(component: String, db: Connection, now: Int64, time: LocalTime) throws -> [Day] {
        var result: [Day] = []
        var day = time.startOfDay(time.addingDays(-(Self.days - 1), to: now))
        while day <= now {
            let next = time.startOfDay(day + 36 * 3_600_000)
            let key = component + "|" + time.dateText(day)
            if let kept = closed[key] {
                result.append(kept)
            } else {
                let end = min(next, now)
                let sum = Availability.summing(try Availability.segments(component: component, from: day, to: end,
                                                                         now: now, db: db))
                let known = sum.total - sum.unknown
                let entry = Day(date: time.dateText(day), share: known > 0 ? Double(sum.up) / Double(known) : nil,
                                unplanned: sum.unplanned)
                if next <= now { closed[key] = entry }
                result.append(entry)
            }
            day = next
        }
        return result
    }
}
