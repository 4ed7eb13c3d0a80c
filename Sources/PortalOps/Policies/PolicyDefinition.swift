import OpsProtocol
import Foundation
/// The type of a setting and its allowed values.
public enum PolicyKind: Sendable {
    case text
    case integer(ClosedRange<Int64>)
    /// Milliseconds within the range; typed as `15m`, `2h`, `3d`.
    case duration(ClosedRange<Int64>)
    case bool
    case choice([String])
    /// Any of the values, comma-separated, each once; may be empty.
    case list([String])
    /// `Name <address@domain>` or a bare address.
    case mailbox
    /// Whole working days, typed `5wd`.
    case workingDays(ClosedRange<Int>)
    /// A time of day, `07:30`.
    case timeOfDay
    /// Comma-separated host names, IP addresses or CIDR networks; may be empty.
    case networks

    var name: String {
        switch self {
        case .text: "text"
        case .integer(let r): "integer \(r.lowerBound)–\(r.upperBound)"
        case .duration(let r): "duration \(DurationText.milliseconds(r.lowerBound))–\(DurationText.milliseconds(r.upperBound))"
        case .bool: "true|false"
        case .choice(let values): values.joined(separator: "|")
        case .list(let values): "comma-separated from " + values.joined(separator: "|") + ", or empty"
        case .mailbox: "Name <address>"
        case .workingDays(let r): "working days \(r.lowerBound)wd–\(r.upperBound)wd"
        case .timeOfDay: "HH:MM"
        case .networks: "hosts, IPs or CIDRs, comma-separated"
        }
    }
}

/// A typed runtime setting with its default. Capabilities register theirs
/// in their `Capability`; values live in the database and change only
/// through `opsctl policy set`, so every change is audited.
public struct PolicyDefinition: Sendable {
    public let key: String
    public let kind: PolicyKind
    public let defaultValue: String
    public let help: String
    /// Who may change it with `policy set`. Admins by default: most settings
    /// change what opsd does for everyone (where mail comes from, where
    /// webhooks may go). A capability widens it only for a setting that is a
    /// day-to-day judgement of another role (the escalation timings).
    public let roles: Set<Role>

    public init(_ key: String, _ kind: PolicyKind, default defaultValue: String, _ help: String,
                roles: Set<Role> = .admins) {
        self.key = key
        self.kind = kind
        self.defaultValue = defaultValue
        self.help = help
        self.roles = roles
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
        case .list(let values):
            let given = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard given.allSatisfy(values.contains) else { throw bad() }
            return values.filter(given.contains).joined(separator: ",")
        case .mailbox:
            guard (try? MailAddress.parse(text)) != nil else { throw bad() }
            return text
        case .workingDays(let range):
            guard case .workingDays(let days)? = try? DurationText.parse(text), range.contains(days) else { throw bad() }
            return "\(days)wd"
        case .networks:
            return try WebhookAddresses.canonicalAllowList(text, key: key)
        case .timeOfDay:
            let parts = text.split(separator: ":")
            guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
                  (0...23).contains(h), (0...59).contains(m) else { throw bad() }
            return text
        }
    }
}

extension PolicyDefinition {
    /// The portal's name, shown by status and written in documents of every capability.
    public static let portalName = PolicyDefinition("portal.name", .text, default: "Cổng dịch vụ công tỉnh Lào Cai",
                                                    "the portal's name, as shown by status and in documents")
}
