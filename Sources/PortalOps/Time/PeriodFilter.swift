import OpsProtocol

/// The one period grammar of every list, statistic and report (issue 15): `--from/--to`, or
/// `--period month|quarter|half|nine-months|year [--of 2026-11]` for a Decree 09 window. A command
/// declares a filter with its own words for what the times select, adds `arguments` to its
/// declaration, and reads `window(context)`; the output states the window it used.
public struct PeriodFilter: Sendable {
    public let from: Option<Instant>
    public let to: Option<Instant>
    public let period = Option.named("period", .choice(ReportPeriod.self),
                                     "a Decree 09 reporting period (month: the 15th of the month before to the 14th)")
    public let of = Option.named("of", .text, "which period: 2026-11, 2026, 2026-Q4, 2026-H2 (default: the one under "
                                 + "way)", valueName: "WHEN")

    /// `from` and `to` say what the bounds select, e.g. "incidents opened from".
    public init(from: String, to: String) {
        self.from = Option.named("from", .time, from)
        self.to = Option.named("to", .time, to)
    }

    public var arguments: [any DeclaredArgument] { [from, to, period, of] }

    /// The window asked for, or nil when none was given. `--period` and `--from/--to` exclude each other;
    /// a window that ends before it starts is refused.
    public func window(_ context: CommandContext) throws -> ReportWindow? {
        let from = try context[from]?.milliseconds, to = try context[to]?.milliseconds
        let of = try context[of]
        if let period = try context[period] {
            guard from == nil, to == nil else {
                throw OpsError.usage("give --period (with --of) or --from/--to, not both")
            }
            return try period.window(of: of, now: context.now, time: context.time)
        }
        guard of == nil else { throw OpsError.usage("--of needs --period, e.g. --period month --of 2026-11") }
        guard from != nil || to != nil else { return nil }
        let window = ReportWindow(from: from ?? Int64.min, to: to ?? Int64.max)
        guard window.from < window.to else { throw OpsError.usage("--from must be before --to") }
        return window
    }

    /// The message line that states the window a list or statistic covers.
    public static func statement(_ window: ReportWindow?, _ context: CommandContext) -> String? {
        guard let window else { return nil }
        if window.from == Int64.min { return "Before \(context.time.format(window.to))" }
        if window.to == Int64.max { return "From \(context.time.format(window.from))" }
        return "Window: " + window.text(context.time)
    }

    public static func json(_ window: ReportWindow?, _ context: CommandContext) -> JSON {
        guard let window else { return .null }
        if window.from == Int64.min || window.to == Int64.max {
            return ["from": window.from == Int64.min ? .null : .string(context.time.iso8601(window.from)),
                    "to": window.to == Int64.max ? .null : .string(context.time.iso8601(window.to))]
        }
        return window.json(context.time)
    }
}
