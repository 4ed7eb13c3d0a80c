import OpsProtocol
import SQLite

/// Raises an alarm that people must act on: an incident, which pages the
/// people on shift (and the supervisors when asked) through the outbox.
/// Used by work the daemon does by itself (scheduled backups and drills)
/// and by gates that refuse (an upgrade that changed data it should not).
public enum Alerts {
    @discardableResult
    public static func raise(title: String, detail: String, severity: Incident.Severity, components: [String],
                      alsoSupervisors: Bool, security: Bool = false, db: Connection, now: Int64,
                      time: LocalTime) throws -> Incident {
        let incident = try IncidentStore(db).insert(Incident(
            id: 0, ref: try Sequences(db).nextIdentifier(prefix: security ? Incident.securityPrefix : Incident.prefix,
                                                  year: time.year(now)), title: title, severity: severity,
            state: .open, source: .monitor, detail: detail, security: security, components: components,
            detectedAt: now, openedAt: now,
            openedBy: "opsd", acknowledgedAt: nil, acknowledgedBy: nil, assignee: nil, resolvedAt: nil, cause: nil, resolution: nil,
            closedAt: nil, review: nil, escalations: 0))
        try IncidentStore(db).event(incident.id, at: now, actor: "opsd", kind: .opened,
                                    text: "opened \(severity.rawValue): \(title)")
        let paging = Paging(db: db, time: time)
        let paged = try paging.pageFirstResponders(incident, actor: "opsd", now: now)
        if alsoSupervisors {
            let more = try paging.supervisors().filter { s in !paged.contains { $0.name == s.name } }
            if !more.isEmpty { try paging.page(more, about: incident, stage: "page", actor: "opsd", now: now) }
        }
        return incident
    }
}

extension Alerts {
    /// Adds what the daemon saw to an incident's timeline (a monitor's changed failure detail).
    public static func note(_ ref: String, _ text: String, db: Connection, now: Int64) throws {
        guard let incident = try IncidentStore(db).byRef(ref) else { return }
        try IncidentStore(db).event(incident.id, at: now, actor: "opsd", kind: .note, text: text)
    }

    /// Resolves an incident the daemon opened, when it is still open or acknowledged
    /// (a person may have resolved it already). Returns whether it did.
    @discardableResult
    public static func resolve(_ ref: String, cause: String, resolution: String, db: Connection,
                               now: Int64) throws -> Bool {
        let store = IncidentStore(db)
        guard var incident = try store.byRef(ref), incident.state == .open || incident.state == .acknowledged else {
            return false
        }
        incident.state = .resolved
        incident.resolvedAt = now
        incident.cause = cause
        incident.resolution = resolution
        if incident.acknowledgedAt == nil {
            incident.acknowledgedAt = now
            incident.acknowledgedBy = "opsd"
        }
        try store.update(incident)
        try store.event(incident.id, at: now, actor: "opsd", kind: .resolved,
                        text: "resolved: \(resolution) (cause: \(cause))")
        return true
    }

    /// Whether the incident is still being worked (open or acknowledged).
    public static func isActive(_ ref: String, db: Connection) throws -> Bool {
        guard let incident = try IncidentStore(db).byRef(ref) else { return false }
        return incident.state == .open || incident.state == .acknowledged
    }
}
