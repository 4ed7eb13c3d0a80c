import OpsProtocol
import SQLite

/// Who can be paged and on which channels (issue 13). Paging never targets a
/// machine account (`monitor`), a disabled user or a person with no contact:
/// they are named as not reached instead, so a page to no one is never silent.
public struct Reach {
    let db: Connection

    public init(_ db: Connection) { self.db = db }

    /// Why `user` cannot be paged, or nil when they can.
    public func refusal(_ user: User) throws -> String? {
        if user.role == .monitor { return "a monitor account" }
        if user.disabled { return "disabled" }
        if try !hasContact(user) { return "no contact" }
        return nil
    }

    public func hasContact(_ user: User) throws -> Bool {
        if user.email != nil { return true }
        return try !ContactStore(db).contacts(of: user.name).isEmpty
    }

    /// Splits `users` into those a page reaches and the others with why not.
    public func sort(_ users: [User]) throws -> (reached: [User], skipped: [(User, String)]) {
        var reached: [User] = [], skipped: [(User, String)] = []
        for user in users {
            if let why = try refusal(user) { skipped.append((user, why)) } else { reached.append(user) }
        }
        return (reached, skipped)
    }

    /// Queues `message` to every contact of each user: their account's e-mail, e-mail contacts, and
    /// each SMS webhook with its template filled from `fields`. Returns the message and what went where.
    @discardableResult
    public func send(_ message: OutgoingMessage, fields: [String: String], to users: [User], by actor: String,
                     now: Int64) throws -> (enqueued: Outbox.Enqueued, channels: [String: [String]]) {
        var recipients: [Recipient] = []
        var rendered: [Outbox.RenderedWebhook] = []
        var channels: [String: [String]] = [:]
        for user in users {
            let contacts = try ContactStore(db).contacts(of: user.name)
            var emails = user.email.map { [$0] } ?? []
            for contact in contacts where contact.kind == .email && !emails.contains(contact.address) {
                emails.append(contact.address)
            }
            let recipient = try mirror(user, emails: emails, now: now)
            recipients.append(recipient)
            channels[user.name] = emails.isEmpty ? [] : ["e-mail"]
            for contact in contacts where contact.kind == .webhook {
                let template = ContactTemplate(trusted: contact.template ?? ContactTemplate.defaultText)
                var values = fields
                values["user"] = user.fullName ?? user.name
                rendered.append(.init(recipient: recipient.key, address: contact.address,
                                      body: template.render(values), contentType: template.contentType))
                if channels[user.name]?.contains("sms-webhook") != true {
                    channels[user.name, default: []].append("sms-webhook")
                }
            }
        }
        let enqueued = try Outbox(db).enqueue(message, to: recipients, rendered: rendered, by: actor, now: now)
        return (enqueued, channels)
    }

    /// Each paged user is mirrored as the outbox recipient `user-NAME`, refreshed when it changed.
    private func mirror(_ user: User, emails: [String], now: Int64) throws -> Recipient {
        let kind: Recipient.Kind = switch user.role {
        case .supervisor, .admin: .supervisor
        case .security: .security
        default: .operator
        }
        let recipient = Recipient(key: "user-\(user.name)", name: user.fullName ?? user.name, kind: kind,
                                  emails: emails, webhook: nil, groups: ["staff"], removedAt: nil)
        let store = RecipientStore(db)
        if try store.byKey(recipient.key) != recipient { try store.save(recipient, now: now) }
        return recipient
    }
}
