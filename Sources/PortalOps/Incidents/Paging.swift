import OpsProtocol
import SQLite

/// Pages people about an incident through the outbox, on every contact each
/// person has (see `Reach`), and writes on the incident's timeline who was
/// reached, how, and who was not and why. Who to page is the escalation
/// policy's business (`Escalation`, in Rota/).
struct Paging {
    let db: Connection
    let time: LocalTime

    /// Pages the first step of `incident`'s escalation policy (the on-call); returns who was paged.
    @discardableResult
    func pageFirstResponders(_ incident: Incident, actor: String, now: Int64) throws -> [User] {
        try Escalation(db: db, time: time).start(incident, actor: actor, now: now, page: true)
    }

    func supervisors() throws -> [User] {
        try UserStore(db).all().filter { !$0.disabled && $0.role == .supervisor }
    }

    /// Queues the page to those of `users` who can be reached and writes it on the timeline:
    /// who was reached and how, who was not and why. Returns who was reached.
    @discardableResult
    func page(_ users: [User], about incident: Incident, stage: String, actor: String, now: Int64,
              kind: Incident.EventKind? = nil, note: String? = nil) throws -> [User] {
        let (reached, skipped) = try Reach(db).sort(users)
        let components = incident.components.joined(separator: ", ")
        let escalation = stage != "page"
        let subject = "[\(VietnameseTerms.level(incident.severity).uppercased())] \(incident.ref) \(incident.title)"
            + (escalation ? " — chưa được tiếp nhận" : "")
        let ack = "Tiếp nhận: opsctl incident ack \(incident.ref)"
        let message = OutgoingMessage(
            kind: "page", subject: subject,
            text: """
                \(incident.ref) (\(VietnameseTerms.severity(incident.severity)))
                \(incident.title)
                Thành phần: \(components)
                Phát hiện: \(time.format(incident.detectedAt))
                Trạng thái: \(VietnameseTerms.state(incident.state))

                \(ack)
                """,
            payload: ["incident": .string(incident.ref), "severity": .string(incident.severity.rawValue),
                      "stage": .string(stage)],
            reference: incident.ref, security: incident.security)
        let fields = ["ref": incident.ref, "severity": incident.severity.rawValue, "title": incident.title,
                      "state": incident.state.rawValue, "stage": stage, "subject": subject, "ack": ack]
        let sent = try Reach(db).send(message, fields: fields, to: reached, by: actor, now: now)
        let how = reached.map { "\($0.name) (\((sent.channels[$0.name] ?? []).joined(separator: ", ")))" }
        var text = "paged " + (how.isEmpty ? "no one" : how.joined(separator: ", "))
            + " (\(sent.enqueued.deliveryIDs.count) deliveries)"
        if !skipped.isEmpty {
            text += "; not paged: " + skipped.map { "\($0.0.name) (\($0.1))" }.joined(separator: ", ")
        }
        if let note { text += "; \(note)" }
        try IncidentStore(db).event(incident.id, at: now, actor: actor,
                                    kind: kind ?? (escalation ? .escalated : .paged), text: text)
        return reached
    }
}
