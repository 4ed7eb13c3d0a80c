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
