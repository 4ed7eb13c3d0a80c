import OpsProtocol
import SQLite

/// Escalation policies, and each incident's escalation so far: when it
/// (re)started and which positions fired. A step is recorded as fired in the
/// transaction that queues its page, so it fires once whatever the ticks do.
struct EscalationStore {
    let db: Connection

    func policy(_ severity: Incident.Severity, scope: Rota.Role) throws -> EscalationPolicy? {
        guard let row = try db.queryRow("SELECT * FROM escalation_policies WHERE severity = ? AND scope = ?",
                                        severity.rawValue, scope.rawValue),
              let steps = try? JSON.parse(row.string("steps") ?? "").arrayValue else { return nil }
        let parsed = steps.compactMap { step -> EscalationPolicy.Step? in
            guard let target = step["target"]?.stringValue.flatMap({ try? StepTarget(parsing: $0) }),
                  let after = step["after"]?.intValue else { return nil }
            return EscalationPolicy.Step(target: target, after: after)
        }
        guard !parsed.isEmpty else { return nil }
        return EscalationPolicy(steps: parsed, repeats: Int(row.int("repeats") ?? 0))
    }

    func setPolicy(_ policy: EscalationPolicy, severity: Incident.Severity, scope: Rota.Role, now: Int64,
                   by actor: String) throws {
        let steps = JSON.array(policy.steps.map { ["target": .string($0.target.text), "after": .int($0.after)] })
        try db.run("""
            INSERT INTO escalation_policies(severity, scope, steps, repeats, updated_at, updated_by)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT(severity, scope) DO UPDATE SET steps = excluded.steps, repeats = excluded.repeats,
                updated_at = excluded.updated_at, updated_by = excluded.updated_by
            """, severity.rawValue, scope.rawValue, steps.serialized(), Int64(policy.repeats ?? 0), now, actor)
    }

    struct Run {
        let startedAt: Int64
        let severity: String
    }

    func run(_ incident: String) throws -> Run? {
        try db.queryRow("SELECT * FROM escalation_runs WHERE incident = ?", incident).map {
            Run(startedAt: $0.int("started_at") ?? 0, severity: $0.string("severity") ?? "")
        }
    }

    func start(_ incident: String, severity: Incident.Severity, at: Int64) throws {
        try db.run("""
            INSERT INTO escalation_runs(incident, started_at, severity) VALUES (?, ?, ?)
            ON CONFLICT(incident) DO UPDATE SET started_at = excluded.started_at, severity = excluded.severity
            """, incident, at, severity.rawValue)
    }

    /// The highest position fired in the run that started at `startedAt`.
    func lastFired(_ incident: String, startedAt: Int64) throws -> Int? {
        try db.queryRow("SELECT MAX(position) FROM escalation_fired WHERE incident = ? AND started_at = ?",
                        incident, startedAt)?.int(0).map(Int.init)
    }

    func fired(_ incident: String, startedAt: Int64, position: Int, at: Int64) throws {
        try db.run("""
            INSERT OR IGNORE INTO escalation_fired(incident, started_at, position, fired_at) VALUES (?, ?, ?, ?)
            """, incident, startedAt, Int64(position), at)
    }
}
