import OpsProtocol

/// `check list`, `check show` and the checks' part of `status`.
enum CheckViews {
    @Sendable static func list(_ context: CommandContext) throws -> Response {
        let component = try context[ListChecks.component]
        let checks = try CheckStore(context.db).all().filter { component == nil || $0.component == component }
        let rows = checks.map { c in
            [c.key, c.component, c.kind.rawValue, c.state.rawValue, context.time.format(c.since),
             c.lastStatus.map { "\($0.rawValue): \(String((c.lastDetail ?? "").prefix(50)))" } ?? "-",
             c.incident ?? ""]
        }
        return Response(data: ["checks": .array(checks.map { $0.json(time: context.time) })],
                        table: .init(columns: ["CHECK", "COMPONENT", "KIND", "STATE", "SINCE", "LAST", "INCIDENT"],
                                     rows: rows))
    }

    @Sendable static func show(_ context: CommandContext) throws -> Response {
        let check = try CheckWork.existing(context)
        let store = CheckStore(context.db)
        let results = try store.results(check.id, limit: try context[ShowCheck.limit] ?? 20)
        let rollups = try store.rollups(check.id, limit: 24)
        var fields: [[String]] = [
            ["check", check.key], ["component", check.component], ["kind", check.kind.rawValue],
            ["target", check.json(time: context.time)["target"]?.stringValue ?? ""],
            ["state", "\(check.state.rawValue) since \(context.time.format(check.since))"],
            [check.kind == .heartbeat ? "every" : "interval", Check.span(check.interval)
                + (check.kind == .heartbeat ? " + \(Check.span(check.grace)) grace" : "")],
            ["rules", "down after \(check.failAfter) failure(s), up after \(check.recoverAfter) success(es), "
                + check.severity.rawValue],
        ]
        if let ref = check.incident { fields.append(["incident", ref]) }
        if let expiry = check.certExpiresAt { fields.append(["certificate expires", context.time.format(expiry)]) }
        for r in results {
            let latency = r.latency.map { " \($0) ms" } ?? ""
            fields.append([context.time.format(r.at),
                           "\(r.status.rawValue)\(r.maintenance ? " (maintenance)" : "")\(latency): \(r.detail)"])
        }
        var json: [String: JSON] = [:]
        if case .object(let base) = check.json(time: context.time) { json = base }
        json["results"] = .array(results.map { r in
            ["at": .string(context.time.iso8601(r.at)), "status": .string(r.status.rawValue),
             "maintenance": .bool(r.maintenance), "latency_ms": r.latency.map(JSON.int) ?? .null,
             "detail": .string(r.detail)]
        })
        json["hourly"] = .array(rollups.map { h in
            ["hour": .string(context.time.iso8601(h.hour)), "count": .int(h.count), "failures": .int(h.failures),
             "latency_p50_ms": h.p50.map(JSON.int) ?? .null, "latency_p95_ms": h.p95.map(JSON.int) ?? .null,
             "latency_max_ms": h.max.map(JSON.int) ?? .null]
        })
        return Response(data: .object(json), fields: fields)
    }

    /// Failing checks and certificates about to expire.
    @Sendable static func status(_ context: CommandContext) throws -> StatusSection {
        let checks = try CheckStore(context.db).all()
        let failing = checks.filter { $0.state == .down || $0.state == .maintenance }
        var warnings = failing.map { c in
            "check \(c.key) (\(c.component)) \(c.state == .down ? "is down" : "fails during maintenance") since "
                + "\(context.time.format(c.since)): \(c.lastDetail ?? "")" + (c.incident.map { " — \($0)" } ?? "")
        }
        let expiring = checks.filter { c in c.certExpiresAt.map { $0 - context.now <= c.certWarn } ?? false }
        warnings += expiring.map { c in
            "certificate of \(c.target) (check \(c.key)) expires \(context.time.format(c.certExpiresAt ?? 0)); renew it"
        }
        let up = checks.filter { $0.state == .up }.count
        return StatusSection(
            fields: [["checks", "\(checks.count) check(s): \(up) up, \(failing.count) failing, "
                      + "\(checks.filter { $0.state == .paused }.count) paused"]],
            data: ["checks_failing": .array(failing.map { .string($0.key) }),
                   "certificates_expiring": .array(expiring.map { c in
                       ["check": .string(c.key), "expires_at": .string(context.time.iso8601(c.certExpiresAt ?? 0))]
                   })],
            warnings: warnings)
    }
}
