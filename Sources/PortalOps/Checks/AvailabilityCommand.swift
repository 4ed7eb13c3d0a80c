import OpsProtocol

/// `availability`: per component, the share of time up, downtime split into
/// unplanned, maintenance and unknown, and the longest outage.
enum AvailabilityReport {
    static let component = Option.named("component", .key, "only this component", valueName: "KEY")
    static let period = PeriodFilter(from: "start (default the first day of this month)", to: "end (default now)")
    static let command = Command(
        "availability", "Show each component's share of time up, and its downtime by kind",
        roles: .everyone, audit: .none, arguments: [component] + period.arguments,
        details: """
            Down time is unplanned, or maintenance when a maintenance window covering the component was in
            progress. Time when opsd was not running, a check was paused or no check had a result is unknown and
            never counted as up. --json adds a per-day series (days in the configured zone).
            """,
        handler: report)

    @Sendable static func report(_ context: CommandContext) throws -> Response {
        let window = try period.window(context)
        // An open bound (only --from or only --to) is Int64.min/max in the window: never do arithmetic on it.
        let to = min(window.map { $0.to } ?? context.now, context.now)
        let from = try window.flatMap { $0.from == .min ? nil : $0.from } ?? startOfMonth(context.now, context.time)
        guard from < to else { throw OpsError.usage("--from must be before --to, and before now") }
        try ReportWindow.checkSpan(from: from, to: to)
        var keys = try ComponentStore(context.db).all().map(\.key)
        if let only = try context[component] {
            _ = try ComponentStore(context.db).requireAll([only])
            keys = [only]
        }
        var rows: [[String]] = []
        var components: [JSON] = []
        for key in keys {
            let segments = try Availability.segments(component: key, from: from, to: to, now: context.now,
                                                     db: context.db)
            let a = Availability.summing(segments)
            rows.append([key, String(format: "%.3f%%", a.share * 100), DurationText.elapsed(a.unplanned),
                         DurationText.elapsed(a.maintenance), DurationText.elapsed(a.unknown),
                         a.longest.map { "\(DurationText.elapsed($0.length)) from \(context.time.format($0.start))" }
                            ?? "-"])
            components.append(["component": .string(key), "share_up": .double(a.share),
                               "up_seconds": .int(a.up / 1000), "unplanned_seconds": .int(a.unplanned / 1000),
                               "maintenance_seconds": .int(a.maintenance / 1000),
                               "unknown_seconds": .int(a.unknown / 1000),
                               "longest_outage": a.longest.map { o in
                                   ["start": .string(context.time.iso8601(o.start)), "seconds": .int(o.length / 1000)]
                               } ?? .null,
                               "days": .array(try days(segments, from: from, to: to, context.time))])
        }
        return Response(message: PeriodFilter.statement(window, context),
                        data: ["from": .string(context.time.iso8601(from)), "to": .string(context.time.iso8601(to)),
                               "window": PeriodFilter.json(window, context), "components": .array(components)],
                        table: .init(columns: ["COMPONENT", "UP", "UNPLANNED", "MAINTENANCE", "UNKNOWN",
                                               "LONGEST OUTAGE"], rows: rows))
    }

    static func startOfMonth(_ now: Int64, _ time: LocalTime) throws -> Int64 {
        let p = time.parts(now)
        return try time.parseDate(String(format: "%04d-%02d-01", p.year, p.month))
    }

    /// The segments cut at local midnights, summed per day.
    static func days(_ segments: [(start: Int64, end: Int64, moment: Availability.Moment)], from: Int64, to: Int64,
                     _ time: LocalTime) throws -> [JSON] {
        var out: [JSON] = []
        var day = time.startOfDay(from)
        while day < to {
            let next = time.startOfDay(day + 36 * 3_600_000)
            let clipped = segments.compactMap { s -> (start: Int64, end: Int64, moment: Availability.Moment)? in
                let a = max(s.start, day, from), b = min(s.end, next, to)
                return b > a ? (a, b, s.moment) : nil
            }
            let sum = Availability.summing(clipped)
            out.append(["date": .string(time.dateText(day)), "share_up": .double(sum.share),
                        "up_seconds": .int(sum.up / 1000), "unplanned_seconds": .int(sum.unplanned / 1000),
                        "maintenance_seconds": .int(sum.maintenance / 1000),
                        "unknown_seconds": .int(sum.unknown / 1000)])
            day = next
        }
        return out
    }
}
