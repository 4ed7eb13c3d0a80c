import OpsProtocol
import SQLite

/// Escalation as time passes: the steps of each open incident's escalation
/// policy that fell due (see `Escalation`, in Rota/).
public enum IncidentSchedule {
    public static func tick(db: Connection, now: Int64, time: LocalTime) throws -> [String] {
        try Escalation(db: db, time: time).tick(now: now)
    }
}

/// The incident and shift lines of `opsctl status`.
enum IncidentStatus {
    static func section(_ context: CommandContext) throws -> StatusSection {
        let seesSecurity = (context.caller.user?.role ?? .viewer).seesSecurityIncidents
        // The active incidents and the security ones only: status runs often, and reading every incident
        // ever recorded made it cost more as history grew (issue 18's soak).
        let store = IncidentStore(context.db)
        let active = try store.all(in: [.open, .acknowledged], includeSecurity: seesSecurity)
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
            for incident in try store.securityReportsDue(now: context.now) {
                let sent = try store.notifications(incident.id)
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
