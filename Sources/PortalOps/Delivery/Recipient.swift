import OpsProtocol
/// Who receives notices and alerts: an agency, an organisation, a public
/// channel (the portal's news page, a Zalo OA relay…), or a person on the
/// provider's side. Removed recipients are kept for history.
public struct Recipient: Sendable, Equatable {
    public enum Kind: String, CaseIterable, Sendable {
        case agency, organisation
        case publicChannel = "public-channel"
        case `operator`, supervisor, security
        /// Someone who sent feedback from an address and is owed an answer (issue 19): made by
        /// `feedback respond`, in no group, so it receives that answer and nothing else.
        case correspondent

        /// The kinds an operator may give a recipient: correspondents are made by the console only,
        /// so `--kind` and the CSV import do not offer them.
        public static var allCases: [Kind] {
            [.agency, .organisation, .publicChannel, .operator, .supervisor, .security]
        }
    }

    public let key: String
    public var name: String
    public var kind: Kind
    public var emails: [String]
    public var webhook: String?
    public var groups: [String]
    public var removedAt: Int64?

    public var isActive: Bool { removedAt == nil }

    /// Keys the console makes itself: `user-NAME` for pages to people, `feedback-REF` for the sender of
    /// feedback. A recipient added under one would be overwritten by the console.
    static func checkNotReserved(_ key: String) throws {
        for prefix in ["user-", "feedback-"] where key.hasPrefix(prefix) {
            throw OpsError.usage("keys starting '\(prefix)' are the console's own; choose another key")
        }
    }

    public func shownWebhook(to caller: Caller) -> String? {
        webhook.map { Redaction.shown($0, to: caller) }
    }

    /// The channels a message to this recipient goes out on, one delivery each.
    public var channels: [(Channel, String)] {
        emails.map { (.email, $0) } + (webhook.map { [(.webhook, $0)] } ?? [])
    }

    /// The recipient as `caller` may read it: the webhook URL whole for
    /// admins, redacted for everyone else (it may carry a token).
    public func json(time: LocalTime, shownTo caller: Caller) -> JSON {
        ["key": .string(key), "name": .string(name), "kind": .string(kind.rawValue),
         "emails": .array(emails.map(JSON.string)), "webhook": JSON(shownWebhook(to: caller)),
         "groups": .array(groups.map(JSON.string)), "removed": .bool(removedAt != nil),
         "removed_at": removedAt.map { .string(time.iso8601($0)) } ?? .null]
    }
}

/// How one delivery travels.
public enum Channel: String, Sendable, CaseIterable {
    case email
    case webhook
}
