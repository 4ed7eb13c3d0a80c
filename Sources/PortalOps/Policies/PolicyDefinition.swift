/// The type of a setting and its allowed values.
public enum PolicyKind: Sendable {
    case text
    case integer(ClosedRange<Int64>)
    /// Milliseconds within the range; typed as `15m`, `2h`, `3d`.
    case duration(ClosedRange<Int64>)
    case bool
    case choice([String])
    /// `Name <address@domain>` or a bare address.
    case mailbox
    /// Whole working days, typed `5wd`.
    case workingDays(ClosedRange<Int>)
    /// A time of day, `07:30`.
    case timeOfDay

    var name: String {
        switch self {
        case .text: "text"
        case .integer(let r): "integer \(r.lowerBound)–\(r.upperBound)"
        case .duration(let r): "duration \(DurationText.milliseconds(r.lowerBound))–\(DurationText.milliseconds(r.upperBound))"
        case .bool: "true|false"
        case .choice(let values): values.joined(separator: "|")
        case .mailbox: "Name <address>"
        case .workingDays(let r): "working days \(r.lowerBound)wd–\(r.upperBound)wd"
        case .timeOfDay: "HH:MM"
        }
    }
}

/// A typed runtime setting with its default. Capabilities register theirs
/// in `PolicyDefinition.all`; values live in the database and change only
/// through `opsctl policy set`, so every change is audited.
public struct PolicyDefinition: Sendable {
    public let key: String
    public let kind: PolicyKind
    public let defaultValue: String
    public let help: String

    public init(_ key: String, _ kind: PolicyKind, default defaultValue: String, _ help: String) {
        self.key = key
        self.kind = kind
        self.defaultValue = defaultValue
        self.help = help
    }

    /// The canonical stored form of `value`, or `.usage` saying what is allowed.
    public func canonical(_ value: String) throws -> String {
        let text = Text.normalized(value)
        func bad() -> OpsError { .usage("'\(value)' is not a valid value for \(key): expected \(kind.name)") }
        switch kind {
        case .text:
            guard !text.isEmpty else { throw bad() }
            return text
        case .integer(let range):
            guard let number = Int64(text), range.contains(number) else { throw bad() }
            return String(number)
        case .duration(let range):
            guard case .milliseconds(let ms)? = try? DurationText.parse(text), range.contains(ms) else { throw bad() }
            return DurationText.milliseconds(ms).description
        case .bool:
            switch text.lowercased() {
            case "true", "yes", "on", "1": return "true"
            case "false", "no", "off", "0": return "false"
            default: throw bad()
            }
        case .choice(let values):
            guard values.contains(text) else { throw bad() }
            return text
        case .mailbox:
            guard (try? MailAddress.parse(text)) != nil else { throw bad() }
            return text
        case .workingDays(let range):
            guard case .workingDays(let days)? = try? DurationText.parse(text), range.contains(days) else { throw bad() }
            return "\(days)wd"
        case .timeOfDay:
            let parts = text.split(separator: ":")
            guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
                  (0...23).contains(h), (0...59).contains(m) else { throw bad() }
            return text
        }
    }
}

extension PolicyDefinition {
    /// Every setting the console knows, across capabilities.
    public static let all: [PolicyDefinition] = foundation + delivery + maintenance + notices + incidents + feedback + backups

    static let foundation: [PolicyDefinition] = [
        PolicyDefinition("portal.name", .text, default: "Cổng dịch vụ công tỉnh Lào Cai",
                         "the portal's name, as shown by status and in documents"),
        PolicyDefinition("server.idle_timeout", .duration(1_000...86_400_000), default: "5m",
                         "an opsctl connection idle this long is closed"),
    ]

    static let delivery: [PolicyDefinition] = [
        PolicyDefinition("mail.from", .mailbox, default: "PortalOps <portalops@localhost.localdomain>",
                         "the From of every mail, 'Name <address>'"),
        PolicyDefinition("delivery.give_up_after", .duration(60_000...2_592_000_000), default: "2d",
                         "a delivery still failing this long after its first try is dead"),
        PolicyDefinition("delivery.timeout", .duration(1_000...600_000), default: "1m",
                         "a sendmail run or webhook call taking longer is stopped and retried"),
        PolicyDefinition("delivery.concurrency", .integer(1...32), default: "4",
                         "deliveries sent at the same time"),
    ]

    static let maintenance: [PolicyDefinition] = [
        PolicyDefinition("maintenance.lead.maintenance", .workingDays(0...30), default: "1wd",
                         "notice needed before maintenance (Circular 32/2017/TT-BTTTT: 1 working day)"),
        PolicyDefinition("maintenance.lead.upgrade", .workingDays(0...30), default: "5wd",
                         "notice needed before an upgrade (National Public Service Portal practice: 5 working days)"),
        PolicyDefinition("maintenance.lead.version-update", .workingDays(0...30), default: "5wd",
                         "notice needed before a version update"),
        PolicyDefinition("maintenance.reminder_before", .duration(0...1_209_600_000), default: "1d",
                         "a reminder citing the notice goes this long before the start (0s: none)"),
        PolicyDefinition("maintenance.service_start", .timeOfDay, default: "07:30",
                         "service hours start on working days; a window inside them needs --in-service-hours"),
        PolicyDefinition("maintenance.service_end", .timeOfDay, default: "17:00",
                         "service hours end on working days"),
        PolicyDefinition("maintenance.evidence_max_age", .duration(60_000...604_800_000), default: "6h",
                         "an upgrade starts only with backup and integrity evidence at most this old"),
    ]

    static let incidents: [PolicyDefinition] = [
        PolicyDefinition("incident.escalate.sev1", .duration(0...86_400_000), default: "5m", "an unacknowledged sev1 pages the supervisors after this, and again at each multiple"),
        PolicyDefinition("incident.escalate.sev2", .duration(0...86_400_000), default: "15m", "the same for sev2"),
        PolicyDefinition("incident.escalate.sev3", .duration(0...86_400_000), default: "1h", "the same for sev3"),
    ]

    static let feedback: [PolicyDefinition] = [
        PolicyDefinition("feedback.response_within", .workingDays(1...60), default: "5wd",
                         "feedback is answered within this many working days of receipt"),
    ]

    static let backups: [PolicyDefinition] = [
        PolicyDefinition("backup.timeout", .duration(60_000...86_400_000), default: "6h",
                         "a dump, check or restore command running longer is stopped"),
        PolicyDefinition("backup.keep_free_mib", .integer(0...1_000_000_000), default: "100",
                         "a backup, copy or drill that would leave less than this many MiB free on its disk is refused before it writes"),
    ]

    /// What a written notice says about its issuer: settings, not code.
    static let notices: [PolicyDefinition] = [
        PolicyDefinition("notice.parent_body", .text, default: "UBND TỈNH LÀO CAI", "the parent body, top left, upper case"),
        PolicyDefinition("notice.issuer", .text, default: "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "the issuing body, top left, upper case"),
        PolicyDefinition("notice.issuer_name", .text, default: "Sở Thông tin và Truyền thông", "the issuing body as the text names it"),
        PolicyDefinition("notice.issuer_code", .text, default: "STTTT", "the issuer's abbreviation in the number: 07/TB-STTTT"),
        PolicyDefinition("notice.place", .text, default: "Lào Cai", "the place in the date line"),
        PolicyDefinition("notice.signer_authority", .text, default: "KT. GIÁM ĐỐC", "signing authority (TM. / KT. / TL. / Q. / TUQ. …)"),
        PolicyDefinition("notice.signer_title", .text, default: "PHÓ GIÁM ĐỐC", "the signer's position, upper case"),
        PolicyDefinition("notice.signer_name", .text, default: "Người ký", "the signer's full name"),
        PolicyDefinition("notice.hotline", .text, default: "0214 3 840 000", "the hotline given in notices"),
        PolicyDefinition("notice.email", .text, default: "hotro@laocai.gov.vn", "the e-mail given in notices"),
        PolicyDefinition("notice.archive", .text, default: "VT, CNTT", "what follows 'Lưu:' in the list of recipients"),
    ]

    public static func named(_ key: String) -> PolicyDefinition? {
        all.first { $0.key == key }
    }
}
