import OpsProtocol
import SQLite

/// What `user contact` does to a person's contact methods.
enum ContactAction: String, CaseIterable, Sendable {
    case add, list, remove, test
}

/// `user contact ACTION NAME`: the ways a person is woken at 02:00 (issue 13). A page goes to every
/// contact; `test` sends a test page now and `list` shows whether it got through. People manage
/// their own contacts; admins manage anyone's.
enum UserContact {
    static let action = Required.positional("action", .choice(ContactAction.self),
                                            "add, list, remove or test", valueName: "ACTION")
    static let name = Required.positional("name", .key, "the account", valueName: "NAME")
    static let email = Option.named("email", .email, "add: an e-mail address")
    static let smsWebhook = Option.named("sms-webhook", .text,
                                         "add: a URL the page is POSTed to (SMS gateway, chat bot)",
                                         valueName: "URL").sensitive()
    static let template = Option.named(
        "template", .multilineText,
        "add: the POST body, with {{ref}} {{severity}} {{title}} {{state}} {{stage}} {{subject}} {{user}} {{ack}}")
    static let id = Option.named("id", .integer(1...Int64.max), "remove: the contact's number from 'list'")

    static let command = Command(
        "user.contact", "Add, list, remove or test the ways a person is paged", roles: .everyone, audit: .changes,
        arguments: [action, name, email, smsWebhook, template, id],
        details: """
            A page goes to the account's e-mail and to every contact. A JSON template (starting with { or [)
            gets its values JSON-escaped; default \(ContactTemplate.defaultText).
            'test' queues a test page to every contact now; 'list' shows whether each was delivered.
            """,
        handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let name = try context[Self.name]
        guard let user = try UserStore(context.db).byName(name) else {
            throw OpsError.refused("no user '\(name)'; see 'opsctl user list'")
        }
        let action = try context[Self.action]
        let me = try context.user
        if action != .list && me.name != user.name && me.role != .admin {
            throw OpsError.permission("only \(user.name) or an admin may change or test \(user.name)'s contacts")
        }
        if action != .add, try context[Self.email] != nil || context[Self.smsWebhook] != nil
            || context[Self.template] != nil {
            throw OpsError.usage("--email, --sms-webhook and --template go with 'add'")
        }
        switch action {
        case .add: return try add(context, user)
        case .list: return try list(context, user)
        case .remove:
            guard let id = try context[Self.id] else { throw OpsError.usage("remove needs --id N (see 'list')") }
            guard try ContactStore(context.db).remove(user: user.name, id: id) else {
                throw OpsError.refused("\(user.name) has no contact \(id); see 'opsctl user contact list \(user.name)'")
            }
            return Response(message: "Removed contact \(id) of \(user.name)", data: ["user": .string(user.name),
                                                                                 "removed": .int(id)])
        case .test: return try test(context, user)
        }
    }

    static func add(_ context: CommandContext, _ user: User) throws -> Response {
        if user.role == .monitor {
            throw OpsError.refused("\(user.name) is a monitor account: machines are never paged")
        }
        let email = try context[Self.email], url = try context[Self.smsWebhook]
        let store = ContactStore(context.db)
        let contact: Contact
        switch (email, url) {
        case (let email?, nil):
            if try context[Self.template] != nil { throw OpsError.usage("--template goes with --sms-webhook") }
            contact = try store.add(user: user.name, kind: .email, address: email, template: nil, now: context.now)
        case (nil, let url?):
            let checked = try Addresses.checkWebhook(url)
            try WebhookAddresses.check(checked, context.db)
            let template = try ContactTemplate(checking: try context[Self.template] ?? ContactTemplate.defaultText)
            contact = try store.add(user: user.name, kind: .webhook, address: checked, template: template.text,
                                    now: context.now)
        default:
            throw OpsError.usage("add needs exactly one of --email ADDRESS or --sms-webhook URL")
        }
        return Response(message: "Added \(contact.kind.rawValue) contact \(contact.id) to \(user.name); "
                            + "try it with 'opsctl user contact test \(user.name)'",
                        data: contact.json(time: context.time, shownTo: context.caller, lastTest: nil))
    }

    static func list(_ context: CommandContext, _ user: User) throws -> Response {
        let contacts = try ContactStore(context.db).contacts(of: user.name)
        let results = try ContactTests(db: context.db).results(contacts)
        var rows: [[String]] = []
        if let email = user.email { rows.append(["-", "email", email, "(account)", "-"]) }
        for contact in contacts {
            let shown = contact.kind == .webhook
                ? Redaction.shown(contact.address, to: context.caller) : contact.address
            rows.append([String(contact.id), contact.kind.rawValue, shown,
                         contact.testedAt.map(context.time.format) ?? "never tested", results[contact.id] ?? "-"])
        }
        return Response(data: ["user": .string(user.name), "account_email": JSON(user.email),
                               "contacts": .array(contacts.map {
                                   $0.json(time: context.time, shownTo: context.caller, lastTest: results[$0.id])
                               })],
                        table: .init(columns: ["ID", "KIND", "ADDRESS", "TESTED", "RESULT"], rows: rows),
                        warnings: rows.isEmpty ? ["\(user.name) has no contact: pages skip them"] : [])
    }

    static func test(_ context: CommandContext, _ user: User) throws -> Response {
        let reach = Reach(context.db)
        if let why = try reach.refusal(user) { throw OpsError.refused("\(user.name) cannot be paged: \(why)") }
        let subject = "[Thử nghiệm] Kiểm tra kênh nhắn tin trực sự cố cho \(user.fullName ?? user.name)"
        let message = OutgoingMessage(kind: "contact-test", subject: subject,
                                      text: "Đây là tin nhắn thử nghiệm. Không cần trả lời.",
                                      payload: ["user": .string(user.name), "stage": "test"], reference: user.name)
        let sent = try reach.send(message, fields: ["ref": "TEST", "severity": "test", "title": subject,
                                                     "state": "test", "stage": "test", "subject": subject,
                                                     "ack": "Không cần trả lời."],
                                  to: [user], by: context.caller.actorName, now: context.now)
        try ContactStore(context.db).recordTest(user: user.name, message: sent.enqueued.messageID, now: context.now)
        let count = sent.enqueued.deliveryIDs.count
        return Response(message: "Queued a test page to \(user.name) on \(count) channel(s); "
                            + "'opsctl user contact list \(user.name)' shows whether each was delivered",
                        data: ["user": .string(user.name), "message_id": .int(sent.enqueued.messageID),
                               "deliveries": .array(sent.enqueued.deliveryIDs.map(JSON.int))])
    }
}

/// What became of each contact's last test page: the outbox delivery to its address.
struct ContactTests {
    let db: Connection

    /// Contact id → the delivery state of its last test (sent, queued, failed, dead…).
    func results(_ contacts: [Contact]) throws -> [Int64: String] {
        var results: [Int64: String] = [:]
        for contact in contacts {
            guard let message = contact.testMessage else { continue }
            let deliveries = try Outbox(db).deliveries(message: message, limit: 1000)
            if let delivery = deliveries.first(where: { $0.address == contact.address }) {
                results[contact.id] = delivery.state.rawValue + (delivery.lastError.map { ": \($0)" } ?? "")
            }
        }
        return results
    }

    /// Whether the last test of every contact of `user` failed for good (so none is known to work).
    func allFailed(_ user: User) throws -> Bool {
        let contacts = try ContactStore(db).contacts(of: user.name)
        guard !contacts.isEmpty, user.email == nil else { return false }
        let results = try self.results(contacts)
        return contacts.allSatisfy { results[$0.id]?.hasPrefix("dead") == true }
    }
}
