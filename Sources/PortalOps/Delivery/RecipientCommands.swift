import OpsProtocol
/// Handlers of the `recipient.*` and `group.*` commands.
enum RecipientCommands {
    static let handlers: [String: CommandHandler] = [
        "recipient.add": add,
        "recipient.list": list,
        "recipient.show": show,
        "recipient.update": update,
        "recipient.remove": remove,
        "recipient.import": importCSV,
        "recipient.test": test,
        "group.list": groups,
    ]

    static func add(_ context: CommandContext) throws -> Response {
        let args = context.arguments
        let key = try args.required("key")
        let store = RecipientStore(context.db)
        if let existing = try store.byKey(key) {
            throw OpsError.refused(existing.isActive ? "recipient '\(key)' already exists; change it with 'opsctl recipient update \(key)'"
                                                     : "recipient '\(key)' was removed; bring it back with 'opsctl recipient update \(key) --restore'")
        }
        let recipient = Recipient(key: key, name: try args.required("name"),
                                  kind: args.text("kind").flatMap(Recipient.Kind.init(rawValue:)) ?? .agency,
                                  emails: args.list("email"), webhook: try args.text("webhook").map(Addresses.checkWebhook),
                                  groups: args.list("group"), removedAt: nil)
        try store.save(recipient, now: context.now)
        return Response(message: "Added recipient \(key) (\(recipient.name))", data: recipient.json(time: context.time),
                        warnings: warnings(for: recipient))
    }

    static func warnings(for recipient: Recipient) -> [String] {
        recipient.channels.isEmpty ? ["\(recipient.key) has no e-mail or webhook: it is listed on notices but receives nothing"] : []
    }

    static func list(_ context: CommandContext) throws -> Response {
        let recipients = try RecipientStore(context.db).all(group: context.arguments.text("group"),
                                                          includeRemoved: context.arguments.flag("removed"))
        return Response(data: ["recipients": .array(recipients.map { $0.json(time: context.time) })],
                        table: .init(columns: ["KEY", "NAME", "KIND", "E-MAIL", "WEBHOOK", "GROUPS"], rows: recipients.map {
                            [$0.key + ($0.isActive ? "" : " (removed)"), $0.name, $0.kind.rawValue,
                             $0.emails.isEmpty ? "-" : $0.emails.joined(separator: ", "), $0.webhook ?? "-",
                             $0.groups.isEmpty ? "-" : $0.groups.joined(separator: ", ")]
                        }))
    }

    static func show(_ context: CommandContext) throws -> Response {
        let recipient = try existing(try context.arguments.required("key"), context)
        let deliveries = try Outbox(context.db).deliveries(limit: 10_000).filter { $0.recipient == recipient.key }.suffix(10)
        var fields = [["key", recipient.key], ["name", recipient.name], ["kind", recipient.kind.rawValue],
                      ["e-mail", recipient.emails.isEmpty ? "-" : recipient.emails.joined(separator: ", ")],
                      ["webhook", recipient.webhook ?? "-"],
                      ["groups", recipient.groups.isEmpty ? "-" : recipient.groups.joined(separator: ", ")]]
        if let removed = recipient.removedAt { fields.append(["removed", context.time.format(removed)]) }
        return Response(data: recipient.json(time: context.time).merging(["deliveries": .array(deliveries.map { $0.json(time: context.time) })]),
                        fields: fields,
                        table: deliveries.isEmpty ? nil : OutboxCommands.table(Array(deliveries), context.time))
    }

    static func update(_ context: CommandContext) throws -> Response {
        let args = context.arguments
        var recipient = try existing(try args.required("key"), context, allowRemoved: true)
        if recipient.removedAt != nil && !args.flag("restore") {
            throw OpsError.refused("recipient '\(recipient.key)' was removed; add --restore to bring it back")
        }
        if args.flag("restore") { recipient.removedAt = nil }
        if let name = args.text("name") { recipient.name = name }
        if let kind = args.text("kind").flatMap(Recipient.Kind.init(rawValue:)) { recipient.kind = kind }
        try conflicting(args, "email", "no-email")
        try conflicting(args, "webhook", "no-webhook")
        try conflicting(args, "group", "no-group")
        if !args.list("email").isEmpty { recipient.emails = args.list("email") }
        if args.flag("no-email") { recipient.emails = [] }
        if let webhook = args.text("webhook") { recipient.webhook = try Addresses.checkWebhook(webhook) }
        if args.flag("no-webhook") { recipient.webhook = nil }
        if !args.list("group").isEmpty { recipient.groups = args.list("group") }
        if args.flag("no-group") { recipient.groups = [] }
        try RecipientStore(context.db).save(recipient, now: context.now)
        return Response(message: "Updated recipient \(recipient.key)", data: recipient.json(time: context.time),
                        warnings: warnings(for: recipient))
    }

    private static func conflicting(_ args: Arguments, _ value: String, _ clear: String) throws {
        if args.values[value] != nil && args.flag(clear) {
            throw OpsError.usage("--\(value) and --\(clear) contradict each other; give one")
        }
    }

    static func remove(_ context: CommandContext) throws -> Response {
        var recipient = try existing(try context.arguments.required("key"), context)
        recipient.removedAt = context.now
        try RecipientStore(context.db).save(recipient, now: context.now)
        return Response(message: "Removed recipient \(recipient.key); it stays in the history and receives nothing more",
                        data: recipient.json(time: context.time))
    }

    static func importCSV(_ context: CommandContext) throws -> Response {
        let recipients = try RecipientImport.parse(try context.arguments.required("file"))
        let store = RecipientStore(context.db)
        var added = 0, updated = 0
        for var recipient in recipients {
            if let old = try store.byKey(recipient.key) {
                recipient.removedAt = old.removedAt
                updated += 1
            } else {
                added += 1
            }
            try store.save(recipient, now: context.now)
        }
        return Response(message: "Imported \(recipients.count) recipients: \(added) added, \(updated) updated",
                        data: ["added": .int(Int64(added)), "updated": .int(Int64(updated)),
                               "keys": .array(recipients.map { .string($0.key) })],
                        warnings: recipients.flatMap(warnings))
    }

    static func test(_ context: CommandContext) throws -> Response {
        let recipient = try existing(try context.arguments.required("key"), context)
        guard !recipient.channels.isEmpty else {
            throw OpsError.refused("\(recipient.key) has no e-mail or webhook to test; add one with 'opsctl recipient update \(recipient.key) --email ADDR'")
        }
        let portal = try PolicyStore(context.db).value(PolicyDefinition.portalName)
        let message = OutgoingMessage(
            kind: "test", subject: "[Thử nghiệm] Kiểm tra kênh nhận thông báo – \(portal)",
            text: """
                Kính gửi: \(recipient.name)

                Đây là thư thử nghiệm của hệ thống vận hành \(portal), gửi lúc \(context.time.format(context.now)) \
                theo yêu cầu của \(context.caller.actorName). Thư này xác nhận địa chỉ của Quý cơ quan nhận được \
                thông báo bảo trì, nâng cấp. Không cần trả lời thư này.
                """,
            payload: ["test": true, "requested_by": .string(context.caller.actorName)], reference: "test")
        let ids = try Outbox(context.db).enqueue(message, to: [recipient], by: context.caller.actorName, now: context.now).deliveryIDs
        return Response(message: "Queued a test message to \(recipient.key): deliveries \(ids.map(String.init).joined(separator: ", ")); follow with 'opsctl outbox show ID'",
                        data: ["deliveries": .array(ids.map(JSON.int))])
    }

    static func groups(_ context: CommandContext) throws -> Response {
        let groups = try RecipientStore(context.db).groups()
        return Response(data: ["groups": .array(groups.map { ["name": .string($0.name), "members": .int(Int64($0.members))] })],
                        table: .init(columns: ["GROUP", "MEMBERS"], rows: groups.map { [$0.name, String($0.members)] }))
    }

    private static func existing(_ key: String, _ context: CommandContext, allowRemoved: Bool = false) throws -> Recipient {
        guard let recipient = try RecipientStore(context.db).byKey(key), allowRemoved || recipient.isActive else {
            throw OpsError.refused("no recipient '\(key)'; see 'opsctl recipient list'")
        }
        return recipient
    }
}
