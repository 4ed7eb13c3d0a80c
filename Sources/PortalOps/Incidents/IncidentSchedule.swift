import OpsProtocol
import SQLite

/// Escalation as time passes: an unacknowledged sev1–sev3 incident pages
/// the supervisors after its severity's delay (policies
/// `incident.escalate.*`), and again at each further delay until someone
/// acknowledges it. Each page is a timeline entry.
///
/// The next step is due a whole delay after the incident's last page (its
/// opening, a reopening, a raised severity or the previous escalation), read
/// from the timeline rather than counted from the opening. So a step fires
/// once whatever the ticks do: a clock jump sends one page, not one per step
/// missed; a clock stepped back sends nothing until it passes the last page
/// again; a reopened or raised incident, which has just paged, is not paged
/// again the next second.
public enum IncidentSchedule {
    public static func tick(db: Connection, now: Int64, time: LocalTime) throws -> [String] {
        let store = IncidentStore(db)
        let paging = Paging(db: db, time: time)
        var log: [String] = []
        for var incident in try store.all(includeSecurity: true) where incident.state == .open && incident.severity.pages {
            guard let policy = PolicyDefinition.escalation(incident.severity) else { continue }
            let delay = try PolicyStore(db).milliseconds(policy)
            guard delay > 0 else { continue }
            let lastPage = try store.lastPage(incident.id) ?? incident.openedAt
            guard now - lastPage >= delay else { continue }
            incident.escalations += 1
            try store.update(incident)
            var users = try paging.supervisors()
            if incident.security { users += try UserStore(db).all().filter { !$0.disabled && $0.role == .security } }
            try paging.page(users, about: incident, stage: "escalation", actor: "opsd", now: now)
            let line = "escalated \(incident.ref) (\(incident.severity.rawValue), unacknowledged for \(DurationText.elapsed(now - incident.openedAt))) to \(users.map(\.name).joined(separator: ", "))"
            try AuditRecorder().recordDaemon(db, at: now, command: "incident.escalate",
                                             arguments: ["incident": .string(incident.ref)], detail: line)
            log.append(line)
        }
        return log
    }
}

/// The incident and shift lines of `opsctl status`.
enum IncidentStatus {
    static func section(_ context: CommandContext) throws -> StatusSection {
        let seesSecurity = (context.caller.user?.role ?? .viewer).seesSecurityIncidents
        let incidents = try IncidentStore(context.db).all(includeSecurity: seesSecurity)
        let active = incidents.filter { $0.state == .open || $0.state == .acknowledged }
        var counts: [String: JSON] = [:]
        let text = Incident.Severity.allCases.map { severity -> String in
            let n = active.filter { $0.severity == severity }.count
            counts[severity.rawValue] = .int(Int64(n))
            return "\(n) \(severity.rawValue)"
        }.joined(separator: ", ")
        // Others count without security incidents (the store left them out); those who
        // see them get the security part split out, so either figure can be read alone.
        let secure = active.filter(\.security).count
        var fields = [["incidents", "\(active.count) open: \(text)" + (seesSecurity ? " (\(secure) security)" : "")]]
        var warnings: [String] = []
        let oldest = active.filter { $0.state == .open }.min { $0.openedAt < $1.openedAt }
        if let oldest {
            fields.append(["unacknowledged", "\(oldest.ref) (\(oldest.severity.rawValue)) for \(DurationText.elapsed(context.now - oldest.openedAt)): \(oldest.title)"])
        }
        let shifts = try ShiftStore(context.db).onShift()
        fields.append(["on shift", shifts.isEmpty ? "no one (new incidents page every operator)" : shifts.map { "\($0.user) since \(context.time.format($0.startedAt))" }.joined(separator: ", ")])
        if seesSecurity {
            for incident in incidents where incident.security {
                let sent = try IncidentStore(context.db).notifications(incident.id)
                if let due = incident.notifyDue, context.now > due, !sent.contains(where: { $0.form == .initial }) {
                    warnings.append("\(incident.ref): notifying VNCERT/CC was due \(context.time.format(due))")
                }
                if let due = incident.closingReportDue, context.now > due,
                   !sent.contains(where: { $0.form == .closing }) {
                    warnings.append("\(incident.ref): the closing report was due \(context.time.format(due))")
                }
            }
        }
        var summary: [String: JSON] = ["open": .int(Int64(active.count)), "by_severity": .object(counts),
                                       "oldest_unacknowledged": JSON(oldest?.ref)]
        if seesSecurity { summary["security_open"] = .int(Int64(secure)) }
        return StatusSection(fields: fields,
                             data: ["incidents": .object(summary),
                                    "on_shift": .array(shifts.map { .string($0.user) })],
                             warnings: warnings)
    }
}
