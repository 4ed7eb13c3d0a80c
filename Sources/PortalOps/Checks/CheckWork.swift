import OpsProtocol
import SQLite

/// Handlers that change checks: add, pause, resume, remove, run, ping, submit.
enum CheckWork {
    static let defaultCertWarn: Int64 = 14 * 86_400_000

    @Sendable static func add(_ context: CommandContext) throws -> Response {
        let key = try context[CheckCommand.check]
        let store = CheckStore(context.db)
        if try store.byKey(key) != nil {
            throw OpsError.refused("check '\(key)' already exists; see 'opsctl check show \(key)'")
        }
        let component = try context[AddCheck.component]
        _ = try ComponentStore(context.db).requireAll([component])
        let heartbeat = context[AddCheck.heartbeat]
        let given: [(Check.Kind, String?)] = [
            (.http, try context[AddCheck.http]), (.tcp, try context[AddCheck.tcp]), (.dns, try context[AddCheck.dns]),
            (.sqlite, try context[AddCheck.sqlite]), (.disk, try context[AddCheck.disk]),
            (.command, try context[AddCheck.pluginCommand]), (.heartbeat, heartbeat ? "" : nil),
        ].filter { $0.1 != nil }
        guard given.count == 1, let (kind, target) = given.first.map({ ($0.0, $0.1 ?? "") }) else {
            throw OpsError.usage("give exactly one of --http, --tcp, --dns, --sqlite, --disk, --command, --heartbeat")
        }
        let every = try milliseconds(context[AddCheck.every], "--every")
        let interval = try milliseconds(context[AddCheck.interval], "--interval")
        var check = Check(
            id: 0, key: key, component: component, kind: kind, target: target,
            expectStatus: try context[AddCheck.expectStatus], contains: try context[AddCheck.contains],
            maxLatency: try milliseconds(context[AddCheck.maxLatency], "--max-latency"),
            expectAddress: try context[AddCheck.expect], minFreePercent: try context[AddCheck.minFree],
            certWarn: try milliseconds(context[AddCheck.certWarn], "--cert-warn") ?? defaultCertWarn,
            interval: (kind == .heartbeat ? every : interval) ?? 30_000,
            timeout: try milliseconds(context[AddCheck.timeout], "--timeout") ?? min(5_000, interval ?? 30_000),
            failAfter: Int(try context[AddCheck.failAfter] ?? (kind == .heartbeat ? 1 : 3)),
            recoverAfter: Int(try context[AddCheck.recoverAfter] ?? (kind == .heartbeat ? 1 : 2)),
            severity: try context[AddCheck.severity] ?? .sev2,
            grace: try milliseconds(context[AddCheck.grace], "--grace") ?? 0, state: .pending, failures: 0,
            successes: 0, since: context.now, lastAt: nil, lastStatus: nil, lastDetail: nil, lastLatency: nil,
            downSince: nil, incident: nil, certExpiresAt: nil, certIncident: nil, createdAt: context.now)
        try validate(check, context)
        if kind == .heartbeat, check.interval < 1_000 { throw OpsError.usage("--every must be at least 1s") }
        if kind != .heartbeat, check.interval < 1_000 { throw OpsError.usage("--interval must be at least 1s") }
        guard check.timeout >= 100, check.timeout <= check.interval || kind == .heartbeat else {
            throw OpsError.usage("--timeout must be between 100ms and the interval")
        }
        check = try store.insert(check, by: context.caller.actorName)
        let what = kind == .heartbeat
            ? "heartbeat every \(Check.span(check.interval)) + \(Check.span(check.grace))"
            : "\(kind.rawValue) \(check.json(time: context.time)["target"]?.stringValue ?? "") every "
                + Check.span(check.interval)
        return Response(message: "Added check \(key) on \(component): \(what)", data: check.json(time: context.time))
    }

    private static func milliseconds(_ value: DurationText?, _ name: String) throws -> Int64? {
        guard let value else { return nil }
        guard case .milliseconds(let ms) = value else {
            throw OpsError.usage("\(name) takes s, m, h or d, not working days")
        }
        return ms
    }

    private static func validate(_ c: Check, _ context: CommandContext) throws {
        let only: [(Bool, String, Check.Kind)] = [
            (c.expectStatus != nil, "--expect-status", .http), (c.contains != nil, "--contains", .http),
            (c.maxLatency != nil, "--max-latency", .http), (c.expectAddress != nil, "--expect", .dns),
            (c.minFreePercent != nil, "--min-free", .disk),
        ]
        for (given, name, kind) in only where given && c.kind != kind {
            throw OpsError.usage("\(name) goes with --\(kind.rawValue)")
        }
        let heartbeatOnly = try context[AddCheck.every] != nil || context[AddCheck.grace] != nil
        if heartbeatOnly, c.kind != .heartbeat {
            throw OpsError.usage("--every and --grace go with --heartbeat")
        }
        switch c.kind {
        case .http:
            let lower = c.target.lowercased()
            guard lower.hasPrefix("http://") || lower.hasPrefix("https://"), c.target.count > 8,
                  !c.target.contains(where: \.isWhitespace) else {
                throw OpsError.usage("--http needs an http:// or https:// URL, not '\(c.target)'")
            }
            if let spec = c.expectStatus, StatusCodes(spec) == nil {
                throw OpsError.usage("--expect-status takes codes and ranges like 200-399 or 200,301, not '\(spec)'")
            }
        case .tcp:
            guard HostPort(c.target) != nil else { throw OpsError.usage("--tcp needs HOST:PORT, not '\(c.target)'") }
        case .dns:
            guard !c.target.isEmpty, !c.target.contains(where: \.isWhitespace) else {
                throw OpsError.usage("--dns needs a host name")
            }
        case .sqlite:
            guard let target = try BackupStore(context.db).target(c.target) else {
                throw OpsError.refused("no backup target '\(c.target)'; see 'opsctl target list'")
            }
            guard target.kind == .sqlite else {
                throw OpsError.refused("\(c.target) is a command target; --sqlite takes a SQLite target")
            }
        case .disk:
            guard c.target.hasPrefix("/") else { throw OpsError.usage("--disk needs an absolute path") }
            guard c.minFreePercent != nil else { throw OpsError.usage("--disk needs --min-free PERCENT") }
        case .command:
            guard !c.target.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw OpsError.usage("--command needs a command line")
            }
        case .heartbeat:
            guard (try context[AddCheck.every]) != nil else { throw OpsError.usage("--heartbeat needs --every") }
            if (try context[AddCheck.interval]) != nil {
                throw OpsError.usage("a heartbeat takes --every, not --interval")
            }
        }
    }

    static func existing(_ context: CommandContext) throws -> Check {
        let key = try context[CheckCommand.check]
        guard let check = try CheckStore(context.db).byKey(key) else {
            throw OpsError.refused("no check '\(key)'; see 'opsctl check list'")
        }
        return check
    }

    @Sendable static func pause(_ context: CommandContext) throws -> Response {
        var check = try existing(context)
        guard check.state != .paused else { throw OpsError.refused("\(check.key) is already paused") }
        if check.incident != nil {
            throw OpsError.refused("\(check.key) is down with \(check.incident ?? ""); resolve or wait for recovery, "
                                   + "or plan a maintenance window for \(check.component)")
        }
        check.state = .paused
        check.since = context.now
        check.failures = 0
        check.successes = 0
        try CheckStore(context.db).saveState(check)
        try CheckStore(context.db).switchPeriod(check.id, to: .paused, at: context.now)
        let reason = try context[PauseCheck.reason].map { ": \($0)" } ?? ""
        return Response(message: "Paused \(check.key)\(reason); its time counts as unknown until resumed",
                        data: check.json(time: context.time))
    }

    @Sendable static func resume(_ context: CommandContext) throws -> Response {
        var check = try existing(context)
        guard check.state == .paused else { throw OpsError.refused("\(check.key) is not paused") }
        check.state = .pending
        check.since = context.now
        // A heartbeat's clock restarts now: the pause is not a missed ping.
        if check.kind == .heartbeat { check.lastAt = context.now }
        try CheckStore(context.db).saveState(check)
        return Response(message: "Resumed \(check.key)", data: check.json(time: context.time))
    }

    @Sendable static func remove(_ context: CommandContext) throws -> Response {
        let check = try existing(context)
        try CheckStore(context.db).switchPeriod(check.id, to: nil, at: context.now)
        try CheckStore(context.db).remove(check, now: context.now)
        return Response(message: "Removed check \(check.key); its history still counts for availability",
                        data: ["check": .string(check.key)])
    }

    @Sendable static func run(_ context: CommandContext) throws -> PreparedJob {
        var check = try existing(context)
        guard let prober = context.environment.prober else {
            throw OpsError.refused("this process cannot probe; run 'opsctl check run' against opsd")
        }
        if check.kind == .heartbeat { throw OpsError.refused("\(check.key) is a heartbeat: it is pinged, not probed") }
        if check.kind == .sqlite { check.target = try CheckPlan.sqlitePath(check.target, db: context.db) }
        let now = context.now
        let probed = check
        let key = check.key
        return PreparedJob(work: { _ in
            let r = prober.probe(probed, dueAt: now, now: now)
            return ["status": .string(r.status.rawValue), "detail": .string(r.detail),
                    "latency_ms": r.latency.map(JSON.int) ?? .null,
                    "certificate_expires_at": r.certExpiresAt.map(JSON.int) ?? .null]
        }, finish: { context, result in
            let json = try result.get()
            let r = ProbeResult(check: key, dueAt: now, at: now,
                                status: ProbeStatus(rawValue: json["status"]?.stringValue ?? "") ?? .unknown,
                                latency: json["latency_ms"]?.intValue, detail: json["detail"]?.stringValue ?? "",
                                certExpiresAt: json["certificate_expires_at"]?.intValue)
            if try CheckStore(context.db).byKey(key) != nil {
                _ = try CheckRules.record([r], db: context.db, now: context.now, time: context.time)
            }
            let latency = r.latency.map { " in \($0) ms" } ?? ""
            return Response(message: "\(key): \(r.status.rawValue.uppercased())\(latency): \(r.detail)",
                            data: ["check": .string(key), "status": .string(r.status.rawValue),
                                   "detail": .string(r.detail), "latency_ms": r.latency.map(JSON.int) ?? .null])
        })
    }

    @Sendable static func ping(_ context: CommandContext) throws -> Response {
        let check = try existing(context)
        guard check.kind == .heartbeat else {
            throw OpsError.refused("\(check.key) is a \(check.kind.rawValue) check; only heartbeats are pinged "
                                   + "(use 'opsctl check submit' for other results)")
        }
        let failed = context[PingCheck.fail]
        let detail = try context[PingCheck.detail] ?? (failed ? "the job reported a failure" : "ping")
        return try report(check, status: failed ? .critical : .ok, detail: detail, latency: nil, context)
    }

    @Sendable static func submit(_ context: CommandContext) throws -> Response {
        let check = try existing(context)
        let status = try context[SubmitCheck.status]
        return try report(check, status: status, detail: try context[SubmitCheck.detail] ?? status.rawValue,
                          latency: try context[SubmitCheck.latency], context)
    }

    private static func report(_ check: Check, status: ProbeStatus, detail: String, latency: Int64?,
                               _ context: CommandContext) throws -> Response {
        guard check.state != .paused else { throw OpsError.refused("\(check.key) is paused; resume it first") }
        let result = ProbeResult(check: check.key, dueAt: context.now, at: context.now, status: status,
                                 latency: latency, detail: String(detail.prefix(500)))
        _ = try CheckRules.record([result], db: context.db, now: context.now, time: context.time)
        let after = try CheckStore(context.db).byKey(check.key) ?? check
        return Response(message: "Recorded \(status.rawValue) for \(check.key) (now \(after.state.rawValue))",
                        data: after.json(time: context.time))
    }
}

/// Accepted HTTP status codes: `200-399`, `200,301`, `204`.
public struct StatusCodes: Sendable {
    let ranges: [ClosedRange<Int>]

    public init?(_ spec: String) {
        var ranges: [ClosedRange<Int>] = []
        for part in spec.split(separator: ",") {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
                .map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard let low = bounds.first ?? nil, let high = bounds.last ?? nil, bounds.count <= 2, low <= high,
                  (100...599).contains(low), (100...599).contains(high) else { return nil }
            ranges.append(low...high)
        }
        guard !ranges.isEmpty else { return nil }
        self.ranges = ranges
    }

    public func accepts(_ code: Int) -> Bool { ranges.contains { $0.contains(code) } }
}

/// `HOST:PORT` (an IPv6 host in brackets: `[::1]:443`).
public struct HostPort: Sendable {
    public let host: String
    public let port: UInt16

    public init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]), port > 0
        else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, !host.contains(where: \.isWhitespace) else { return nil }
        self.host = host
        self.port = port
    }
}

/// What the daemon's prober loads: the checks to probe, with SQLite targets
/// resolved to their paths (the prober never reads the Backups tables).
public enum CheckPlan {
    public static func probed(db: Connection) throws -> [Check] {
        try CheckStore(db).all().compactMap { check in
            guard check.kind != .heartbeat, check.state != .paused else { return nil }
            guard check.kind == .sqlite else { return check }
            var resolved = check
            guard let path = try? sqlitePath(check.target, db: db) else { return nil }
            resolved.target = path
            return resolved
        }
    }

    static func sqlitePath(_ key: String, db: Connection) throws -> String {
        guard let target = try BackupStore(db).target(key), let path = target.path else {
            throw OpsError.refused("backup target '\(key)' is gone or not a SQLite target")
        }
        return path
    }

    /// Changes when the list of checks to probe does (see `CheckStore.listVersion`).
    public static func version(db: Connection) throws -> String { try CheckStore(db).listVersion() }

    /// The policies the prober follows, read on each refresh.
    public static func settings(db: Connection) throws -> (concurrency: Int, quickCheckEvery: Int64) {
        let store = PolicyStore(db)
        return (Int(try store.integer(.checksConcurrency)), try store.milliseconds(.checksSQLiteQuickCheck))
    }
}
