import OpsProtocol
import SQLite

/// Proof that the notice in force arrived before the work (issue 14): per recipient, when the mail server or
/// webhook accepted it (the Delivery capability's `sent_at`), when the recipient acknowledged it, and the lead
/// time actually given, counted from acceptance rather than from issue. `maintenance start` refuses while a
/// recipient the policy requires has not been reached.
struct ArrivalProof {
    /// Who must have been reached before `maintenance start` (policy `maintenance.start_requires`).
    enum Requirement: String, CaseIterable, Sendable {
        /// Every agency among the notice's recipients, and at least one public channel.
        case agenciesAndPublic = "agencies-and-public"
        case agencies
        case all
        /// Nothing is checked (delivery problems are only warned about).
        case none
    }

    struct Line: Sendable {
        let key: String
        let name: String
        let kind: Recipient.Kind?
        let required: Bool
        /// The first acceptance by a mail server or webhook, and on which channel.
        let acceptedAt: Int64?
        let channel: Channel?
        let deliveries: [Delivery]
        let acknowledgedAt: Int64?
        let acknowledgedBy: String?
        /// Whole working days between the day of acceptance and the day of the start, as lead times count.
        let leadWorkingDays: Int?
        let leadMilliseconds: Int64?
    }

    let notice: Notice
    let requirement: Requirement
    let lines: [Line]
    /// Who the policy requires and the notice has not reached, in words: "so-tu-phap (Sở Tư pháp)", "a public
    /// channel (none reached: zalo)".
    let missing: [String]

    static func of(_ w: MaintenanceWindow, notice: Notice, db: Connection, time: LocalTime) throws -> ArrivalProof {
        let setting = try PolicyStore(db).value(.maintenanceStartRequires)
        let requirement = Requirement(rawValue: setting) ?? .agenciesAndPublic
        let deliveries = try notice.messageID.map { try Outbox(db).deliveries(message: $0, limit: 100_000) } ?? []
        let acks = try MaintenanceStore(db).acknowledgements(w.id)[notice.id] ?? [:]
        let calendar = try HolidayStore(db).calendar(time: time)
        let recipients = RecipientStore(db)
        var lines: [Line] = []
        var active = Set<String>()
        for (key, name) in try NoticeStore(db).recipients(of: notice.id) {
            let recipient = try recipients.byKey(key)
            let kind = recipient?.kind
            if recipient?.isActive == true { active.insert(key) }
            let mine = deliveries.filter { $0.recipient == key }
            let accepted = mine.filter { $0.state == .sent && $0.sentAt != nil }.min { $0.sentAt! < $1.sentAt! }
            let at = accepted?.sentAt
            // A recipient removed since the notice was issued can no longer be reached (its deliveries were
            // cancelled): it is shown but not required.
            let required = recipient?.isActive == true && {
                switch requirement {
                case .all: true
                case .agenciesAndPublic, .agencies: kind == .agency
                case .none: false
                }
            }()
            lines.append(Line(key: key, name: name, kind: kind, required: required, acceptedAt: at,
                              channel: accepted?.channel, deliveries: mine, acknowledgedAt: acks[key]?.at,
                              acknowledgedBy: acks[key]?.by,
                              leadWorkingDays: at.map { calendar.workingDaysGiven(from: $0, before: w.start) },
                              leadMilliseconds: at.map { w.start - $0 }))
        }
        var missing = lines.filter { $0.required && $0.acceptedAt == nil }.map { "\($0.key) (\($0.name))" }
        if requirement == .agenciesAndPublic {
            let channels = lines.filter { $0.kind == .publicChannel && active.contains($0.key) }
            if channels.isEmpty {
                missing.append("a public channel (the notice has none: add a public-channel recipient to a group)")
            } else if !channels.contains(where: { $0.acceptedAt != nil }) {
                missing.append("a public channel (none reached: \(channels.map(\.key).joined(separator: ", ")))")
            }
        }
        return ArrivalProof(notice: notice, requirement: requirement, lines: lines, missing: missing)
    }

    /// "3 working days (4d 13h)", or "-" when not accepted.
    static func leadText(_ line: Line) -> String {
        guard let days = line.leadWorkingDays, let ms = line.leadMilliseconds else { return "-" }
        guard ms > 0 else { return "none (accepted after the start)" }
        let hours = ms / 3_600_000
        return "\(days) working \(days == 1 ? "day" : "days") (\(hours / 24)d \(hours % 24)h)"
    }

    func json(_ line: Line, time: LocalTime, shownTo caller: Caller) -> JSON {
        ["recipient": .string(line.key), "name": .string(line.name), "kind": JSON(line.kind?.rawValue),
         "required": .bool(line.required), "accepted_at": line.acceptedAt.map { .string(time.iso8601($0)) } ?? .null,
         "accepted_channel": JSON(line.channel?.rawValue),
         "acknowledged_at": line.acknowledgedAt.map { .string(time.iso8601($0)) } ?? .null,
         "acknowledged_by": JSON(line.acknowledgedBy),
         "lead_working_days": line.leadWorkingDays.map { .int(Int64($0)) } ?? .null,
         "lead_seconds": line.leadMilliseconds.map { .int($0 / 1000) } ?? .null,
         "deliveries": .array(line.deliveries.map { $0.json(time: time, shownTo: caller) })]
    }
}
