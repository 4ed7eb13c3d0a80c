import OpsProtocol
import Foundation
import PortalOps
import SQLite
import Synchronization

/// The daemon's own capability: `status` (which gathers every capability's
/// section), the test clock, and the settings of the process itself.
struct SystemCapability: Sendable {
    let options: DaemonOptions
    let startedAt: Int64
    let testClock: AdjustableClock?
    let scheduler: SchedulerProgress
    /// The process's counters; the writer that serves this capability records into the same value.
    var metrics = DaemonMetrics()

    static let idleTimeout = PolicyDefinition("server.idle_timeout", .duration(1_000...86_400_000), default: "5m",
                                              "an opsctl connection idle this long is closed")

    enum SetClock {
        static let time = Required.positional("time", .time, "the new time", valueName: "TIME")
    }

    enum AdvanceClock {
        static let duration = Required.positional("duration", .duration, "how far, e.g. 15m, 2h, 3d",
                                                  valueName: "DURATION")
    }

    var capability: Capability {
        Capability(
            "system",
            commands: [
                Command("status", "Show the daemon, its database and what needs attention", roles: .everyone,
                        audit: .none, handler: status),
                Command("clock.set", "Set the daemon's clock (only with opsd --test-clock)", roles: .admins,
                        audit: .changes, arguments: [SetClock.time], handler: setClock),
                Command("clock.advance", "Move the daemon's clock forward (only with opsd --test-clock)",
                        roles: .admins, audit: .changes, arguments: [AdvanceClock.duration], handler: advanceClock),
                Command("metrics", "Print the console's metrics in Prometheus text format (read-only)",
                        roles: Set<Role>.everyone.union([.monitor]), audit: .none, handler: showMetrics),
            ],
            nouns: ["status": "the console's state at a glance",
                    "clock": "move the daemon's clock (test daemons only)",
                    "metrics": "the console's health for Prometheus (opsd --metrics-file keeps a file up to date)"],
            policies: [Self.idleTimeout])
    }

    @Sendable func status(_ context: CommandContext) throws -> Response {
        let user = try context.user
        let size = ["", "-wal"].reduce(Int64(0)) { total, suffix in
            let attributes = try? FileManager.default.attributesOfItem(atPath: options.databasePath + suffix)
            return total + ((attributes?[.size] as? NSNumber)?.int64Value ?? 0)
        }
        let portal = try PolicyStore(context.db).value(PolicyDefinition.portalName)
        let schema = try context.db.schemaVersion()
        let uptime = SystemClock().now() - startedAt
        var fields: [[String]] = [
            ["portal", portal],
            ["version", PortalOpsVersion.text],
            ["uptime", DurationText.elapsed(uptime)],
            ["time", context.time.format(context.now) + (testClock != nil ? " (test clock)" : "")],
            ["data", options.dataDirectory],
            ["database", "\(options.databasePath) (\(Self.bytes(size)))"],
            ["schema", "version \(schema)"],
            ["caller", "\(user.name) (\(user.role.rawValue))"],
        ]
        var data: [String: JSON] = [
            "portal": .string(portal), "version": .string(PortalOpsVersion.text), "uptime_seconds": .int(uptime / 1000),
            "time": .string(context.time.iso8601(context.now)), "zone": .string(options.zone),
            "test_clock": .bool(testClock != nil), "data_directory": .string(options.dataDirectory),
            "database_path": .string(options.databasePath), "database_bytes": .int(size),
            "schema_version": .int(Int64(schema)), "caller": .string(user.name), "role": .string(user.role.rawValue),
        ]
        let ticks = scheduler.ticks.load(ordering: .acquiring)
        fields.append(["scheduler", "\(ticks) tick(s) done, one a second"])
        data["scheduler_ticks"] = .int(Int64(ticks))
        var warnings: [String] = []
        if let step = scheduler.stepBack {
            warnings.append("the clock stepped back by \(DurationText.milliseconds(step.from - step.to)) "
                            + "(from \(context.time.format(step.from)) to \(context.time.format(step.to))); "
                            + "schedules run from the new time; check the time source (timedatectl, chronyc tracking)")
            data["clock_step_back_seconds"] = .int((step.from - step.to) / 1000)
        }
        if testClock != nil { warnings.append("test clock enabled: time can be moved by admins") }
        for section in context.registry.statusSections {
            let part = try section(context)
            fields += part.fields
            data.merge(part.data) { _, new in new }
            warnings += part.warnings
        }
        data["warnings"] = .array(warnings.map(JSON.string))
        fields += warnings.map { ["warning", $0] }
        return Response(data: .object(data), fields: fields)
    }

    /// Counts security incidents and their pages only for the roles that see them.
    @Sendable func showMetrics(_ context: CommandContext) throws -> Response {
        let role = context.caller.user?.role ?? .viewer
        let report = MetricsReport(registry: context.registry, daemon: metrics, startedAt: startedAt)
        let families = try report.families(db: context.db, now: context.now,
                                           includeSecurity: role.seesSecurityIncidents)
        var response = Response(data: MetricsReport.json(families))
        response.output = PrometheusText.render(families)
        return response
    }

    private func requireTestClock() throws -> AdjustableClock {
        guard let testClock else {
            throw OpsError.refused("the clock can only be moved on a daemon started with --test-clock")
        }
        return testClock
    }

    @Sendable func setClock(_ context: CommandContext) throws -> Response {
        let clock = try requireTestClock()
        let target = try context[SetClock.time].milliseconds
        clock.set(target)
        return Response(message: "Clock set to \(context.time.format(target))", data: ["time": .string(context.time.iso8601(target))])
    }

    @Sendable func advanceClock(_ context: CommandContext) throws -> Response {
        let clock = try requireTestClock()
        guard case .milliseconds(let step) = try context[AdvanceClock.duration] else {
            throw OpsError.usage("the clock advances by s, m, h or d, not working days")
        }
        clock.advance(by: step)
        let now = clock.now()
        return Response(message: "Clock advanced by \(DurationText.milliseconds(step)) to \(context.time.format(now))",
                        data: ["time": .string(context.time.iso8601(now))])
    }

    static func bytes(_ count: Int64) -> String {
        if count >= 1 << 30 { return String(format: "%.1f GiB", Double(count) / Double(1 << 30)) }
        if count >= 1 << 20 { return String(format: "%.1f MiB", Double(count) / Double(1 << 20)) }
        if count >= 1 << 10 { return String(format: "%.1f KiB", Double(count) / Double(1 << 10)) }
        return "\(count) B"
    }
}
