import OpsProtocol
import SQLite

/// A component's share of time up over a span, from its checks' periods,
/// the maintenance windows that covered it and opsd's own runs. A moment is
/// unknown when opsd was not running, a check of the component was paused, or
/// no check of it had a result yet; it is down when any check of the component failed
/// (maintenance when a window covering the component was in progress), and
/// up otherwise. Unknown is never counted as up.
public struct Availability: Sendable, Equatable {
    public var up: Int64 = 0
    public var unplanned: Int64 = 0
    public var maintenance: Int64 = 0
    public var unknown: Int64 = 0
    /// The longest stretch of unplanned downtime.
    public var longest: Outage?

    public struct Outage: Equatable, Sendable {
        public let start: Int64
        public let length: Int64
    }

    public enum Moment: String, Sendable { case up, unplanned, maintenance, unknown }

    public var total: Int64 { up + unplanned + maintenance + unknown }
    /// Up over the whole span (unknown time counts against it).
    public var share: Double { total == 0 ? 0 : Double(up) / Double(total) }

    mutating func add(_ moment: Moment, _ length: Int64) {
        switch moment {
        case .up: up += length
        case .unplanned: unplanned += length
        case .maintenance: maintenance += length
        case .unknown: unknown += length
        }
    }

    /// The component's time in [from, to), cut at each change, as (start, end, moment).
    public static func segments(component: String, from: Int64, to: Int64, now: Int64,
                                db: Connection) throws -> [(start: Int64, end: Int64, moment: Moment)] {
        let store = CheckStore(db)
        let ids = try store.ids(component: component)
        let periods = try store.periods(ids, from: from, to: to)
        let runs = try store.runs(from: from, to: to)
        let windows = try MaintenanceCoverage.periods(component: component, from: from, to: to, now: now, db: db)
        var cuts = Set([from, to])
        for p in periods { cuts.insert(p.start); cuts.insert(p.end ?? now) }
        for r in runs { cuts.insert(r.start); cuts.insert(r.end) }
        for w in windows { cuts.insert(w.start); cuts.insert(w.end) }
        let points = cuts.filter { $0 >= from && $0 <= to }.sorted()
        var segments: [(start: Int64, end: Int64, moment: Moment)] = []
        for (a, b) in zip(points, points.dropFirst()) where b > a {
            let moment = Self.moment(at: a, checks: ids, periods: periods, runs: runs, windows: windows, now: now)
            if let last = segments.last, last.moment == moment, last.end == a {
                segments[segments.count - 1].end = b
            } else {
                segments.append((a, b, moment))
            }
        }
        return segments
    }

    static func moment(at t: Int64, checks: [Int64], periods: [CheckStore.Period],
                       runs: [(start: Int64, end: Int64)],
                       windows: [(start: Int64, end: Int64, ref: String)], now: Int64) -> Moment {
        guard !checks.isEmpty, t < now, runs.contains(where: { $0.start <= t && t < $0.end }) else { return .unknown }
        var anyDown = false
        var anyUp = false
        for id in checks {
            // Periods of removed checks end at removal: after that the check has no say.
            guard let p = periods.first(where: { $0.check == id && $0.start <= t && t < ($0.end ?? now) }) else {
                continue
            }
            switch p.state {
            case .down: anyDown = true
            case .up: anyUp = true
            case .paused: return .unknown
            }
        }
        if anyDown {
            return windows.contains { $0.start <= t && t < $0.end } ? .maintenance : .unplanned
        }
        return anyUp ? .up : .unknown
    }

    /// Totals over segments, with the longest unplanned outage.
    public static func summing(_ segments: [(start: Int64, end: Int64, moment: Moment)]) -> Availability {
        var a = Availability()
        for s in segments {
            a.add(s.moment, s.end - s.start)
            if s.moment == .unplanned, s.end - s.start > (a.longest?.length ?? 0) {
                a.longest = Outage(start: s.start, length: s.end - s.start)
            }
        }
        return a
    }
}
