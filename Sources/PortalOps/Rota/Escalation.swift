import OpsProtocol
import SQLite

/// Runs escalation policies (issue 13). An incident's escalation starts when
/// it opens (and again when it is reopened or its severity changes): step 0
/// pages at once; the scheduler's tick fires each later step when due. Each
/// position fired is stored, and only a position beyond the last fired one
/// pages: a clock jump sends one page (the latest step due), not one per step
/// missed, and a clock stepped back sends nothing until it passes it again.
/// Acknowledging stops the escalation (only open incidents escalate).
public struct Escalation {
    let db: Connection
    let time: LocalTime

    public init(db: Connection, time: LocalTime) {
        self.db = db
        self.time = time
    }

    /// The policy `incident` follows: the one set for its severity and scope, else the standard one.
    public func policy(for incident: Incident) throws -> EscalationPolicy? {
        guard incident.severity.pages, let delay = PolicyDefinition.escalation(incident.severity) else { return nil }
        let scope: Rota.Role = incident.security ? .security : .operator
        if let set = try EscalationStore(db: db).policy(incident.severity, scope: scope) { return set }
        return EscalationPolicy.standard(delay: try PolicyStore(db).milliseconds(delay))
    }

    /// (Re)starts `incident`'s escalation now; with `page`, step 0 pages at once. Returns who was paged.
    @discardableResult
    public func start(_ incident: Incident, actor: String, now: Int64, page: Bool) throws -> [User] {
        let store = EscalationStore(db: db)
        try store.start(incident.ref, severity: incident.severity, at: now)
        guard let policy = try policy(for: incident) else { return [] }
        try store.fired(incident.ref, startedAt: now, position: 0, at: now)
        guard page else { return [] }
        return try fire(policy, position: 0, incident: incident, actor: actor, now: now)
    }

    /// Fires the steps that fell due; returns a log line per page.
    public func tick(now: Int64) throws -> [String] {
        let store = EscalationStore(db: db)
        var log: [String] = []
        for var incident in try IncidentStore(db).all(in: [.open], includeSecurity: true) {
            guard let policy = try policy(for: incident) else { continue }
            guard let run = try store.run(incident.ref), run.severity == incident.severity.rawValue else {
                // Opened before escalation runs were kept (or re-graded outside the commands):
                // counted from its last page, which stands for step 0.
                let since = try IncidentStore(db).lastPage(incident.id) ?? incident.openedAt
                try store.start(incident.ref, severity: incident.severity, at: since)
                try store.fired(incident.ref, startedAt: since, position: 0, at: since)
                continue
            }
            guard let due = policy.lastDue(elapsed: now - run.startedAt),
                  due > (try store.lastFired(incident.ref, startedAt: run.startedAt) ?? -1) else { continue }
            try store.fired(incident.ref, startedAt: run.startedAt, position: due, at: now)
            incident.escalations += 1
            try IncidentStore(db).update(incident)
            let users = try fire(policy, position: due, incident: incident, actor: "opsd", now: now)
            let step = policy.step(at: due).target.text
            let line = "escalated \(incident.ref) (\(incident.severity.rawValue), unacknowledged for "
                + "\(DurationText.elapsed(now - incident.openedAt))) step \(due + 1) \(step): "
                + (users.isEmpty ? "no one reachable" : users.map(\.name).joined(separator: ", "))
            try AuditRecorder().recordDaemon(db, at: now, command: "incident.escalate",
                                             arguments: ["incident": .string(incident.ref)], detail: line)
            log.append(line)
        }
        return log
    }

    /// Pages the target of `position`. A step that reaches no one pages the supervisors
    /// instead (then the admins), and the timeline says so: a page to no one is never silent.
    private func fire(_ policy: EscalationPolicy, position: Int, incident: Incident, actor: String, now: Int64)
        throws -> [User] {
        let step = policy.step(at: position)
        let paging = Paging(db: db, time: time)
        let stage = position == 0 ? "page" : "escalation"
        let label = "step \(position + 1) of the \(incident.severity.rawValue) policy: \(step.target.text)"
        let targets = try Targets(db: db).users(step.target, security: incident.security, now: now)
        let reach = Reach(db)
        if try !reach.sort(targets).reached.isEmpty {
            return try paging.page(targets, about: incident, stage: stage, actor: actor, now: now, note: label)
        }
        var fallback = try Targets(db: db).users(.supervisors, security: incident.security, now: now)
        var who = "the supervisors"
        if try reach.sort(fallback).reached.isEmpty {
            fallback = try UserStore(db).all().filter { $0.role == .admin }
            who = "the admins"
        }
        let missing = targets.isEmpty ? "no one is \(step.target.text)" : "no one of \(step.target.text) is reachable"
        return try paging.page(targets + fallback.filter { f in !targets.contains { $0.name == f.name } },
                               about: incident, stage: stage, actor: actor, now: now,
                               note: "\(label) — \(missing); paged \(who) instead")
    }
}

/// Who a step target means now.
struct Targets {
    let db: Connection

    func users(_ target: StepTarget, security: Bool, now: Int64) throws -> [User] {
        let everyone = try UserStore(db).all()
        let users = everyone.filter { !$0.disabled && $0.role != .monitor }
        /// People named (on call, by a step) are kept even when disabled: the page's timeline entry then
        /// says they were not paged and why, instead of leaving them out silently.
        func named(_ names: [String]) -> [User] {
            var seen = Set<String>()
            return names.filter { seen.insert($0).inserted }.compactMap { name in everyone.first { $0.name == name } }
        }
        let role: Rota.Role = security ? .security : .operator
        let rotas = try RotaStore(db).all().filter { $0.role == role }
        switch target {
        case .oncall:
            if !rotas.isEmpty { return named(rotas.map { $0.onCall(at: now) }) }
            if security { return users.filter { $0.role == .security } }
            let onShift = named(try ShiftStore(db).onShift().map(\.user))
            return onShift.isEmpty ? users.filter { $0.role == .operator } : onShift
        case .oncallSecondary:
            return named(rotas.compactMap { $0.secondary(at: now) })
        case .supervisors: return users.filter { $0.role == .supervisor }
        case .security: return users.filter { $0.role == .security }
        case .onShift: return named(try ShiftStore(db).onShift().map(\.user))
        case .user(let name): return named([name])
        }
    }
}
