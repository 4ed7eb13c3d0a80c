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

    var name: String {
        switch self {
        case .text: "text"
        case .integer(let r): "integer \(r.lowerBound)–\(r.upperBound)"
        case .duration(let r): "duration \(DurationText.milliseconds(r.lowerBound))–\(DurationText.milliseconds(r.upperBound))"
        case .bool: "true|false"
        case .choice(let values): values.joined(separator: "|")
        case .mailbox: "Name <address>"
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
        }
    }
}

extension PolicyDefinition {
    /// Every setting the console knows, across capabilities.
    public static let all: [PolicyDefinition] = foundation + delivery

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

    public static func named(_ key: String) -> PolicyDefinition? {
        all.first { $0.key == key }
    }
}
