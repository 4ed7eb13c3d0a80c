import OpsProtocol
import SQLite

/// Pages people about an incident through the outbox. People are users;
/// the outbox sends to recipients, so each paged user is mirrored as a
/// recipient `user-NAME` (kind operator/supervisor/security) carrying the
/// user's e-mail, created or refreshed when first paged.
struct Paging {
    let db: Connection
    let time: LocalTime

    /// Who a new incident pages: the operators on shift, or every operator
    /// when no one is; security incidents page the security staff instead,
    /// since operators may not see them.
    func firstResponders(for incident: Incident) throws -> [User] {
        let users = try UserStore(db).all().filter { !$0.disabled }
        if incident.security { return users.filter { $0.role == .security } }
        let onShift = Set(try ShiftStore(db).onShift().map(\.user))
        let operators = users.filter { $0.role == .operator }
        let shiftUsers = users.filter { onShift.contains($0.name) }
        return shiftUsers.isEmpty ? operators : shiftUsers
    }

    /// Pages the first responders of `incident`; returns who was paged.
    @discardableResult
    func pageFirstResponders(_ incident: Incident, actor: String, now: Int64) throws -> [User] {
        let users = try firstResponders(for: incident)
        try page(users, about: incident, stage: "page", actor: actor, now: now)
        return users
    }

    func supervisors() throws -> [User] {
        try UserStore(db).all().filter { !$0.disabled && $0.role == .supervisor }
    }

    /// Queues the page and writes it on the incident's timeline.
    func page(_ users: [User], about incident: Incident, stage: String, actor: String, now: Int64) throws {
        let recipients = try users.map { try recipient($0, now: now) }
        let components = incident.components.joined(separator: ", ")
        let message = OutgoingMessage(
            kind: "page",
            subject: "[\(VietnameseTerms.level(incident.severity).uppercased())] \(incident.ref) \(incident.title)"
                + (stage == "escalation" ? " — chưa được tiếp nhận" : ""),
            text: """
                \(incident.ref) (\(VietnameseTerms.severity(incident.severity)))
                \(incident.title)
                Thành phần: \(components)
                Phát hiện: \(time.format(incident.detectedAt))
                Trạng thái: \(VietnameseTerms.state(incident.state))

                Tiếp nhận: opsctl incident ack \(incident.ref)
                """,
            payload: ["incident": .string(incident.ref), "severity": .string(incident.severity.rawValue), "stage": .string(stage)],
            reference: incident.ref, security: incident.security)
        let deliveries = try Outbox(db).enqueue(message, to: recipients, by: actor, now: now).deliveryIDs.count
        let names = users.map(\.name).joined(separator: ", ")
        let who = users.isEmpty ? "no one (no matching users)" : names
        try IncidentStore(db).event(incident.id, at: now, actor: actor,
                                    kind: stage == "escalation" ? .escalated : .paged,
                                    text: "paged \(who) (\(deliveries) deliveries)")
    }

    private func recipient(_ user: User, now: Int64) throws -> Recipient {
        let kind: Recipient.Kind = switch user.role {
        case .supervisor, .admin: .supervisor
        case .security: .security
        default: .operator
        }
        let recipient = Recipient(key: "user-\(user.name)", name: user.fullName ?? user.name, kind: kind,
                                  emails: user.email.map { [$0] } ?? [], webhook: nil, groups: ["staff"], removedAt: nil)
        let store = RecipientStore(db)
        if try store.byKey(recipient.key) != recipient { try store.save(recipient, now: now) }
        return recipient
    }
}
