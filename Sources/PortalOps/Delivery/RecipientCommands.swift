import OpsProtocol

extension Recipient {
    /// Who may change recipients and resend deliveries: the people who run
    /// notices day to day.
    static let editors: Set<Role> = [.operator, .supervisor, .admin]
}

/// `recipient add`: who receives notices and alerts, by e-mail, webhook or
/// neither (then it is only listed on notices).
enum AddRecipient {
    static let key = Required.positional("key", .key, "short key, e.g. 'so-tu-phap'", valueName: "KEY")
    static let name = Required.named("name", .text, "full name as written on notices, e.g. 'Sở Tư pháp tỉnh Lào Cai'")
    static let email = Repeated.named("email", .email, "an address mail goes to")
    static let webhook = Option.named("webhook", .text, "an https URL that receives a JSON POST", valueName: "URL")
        .sensitive()
    static let group = Repeated.named("group", .key, "a group it belongs to, e.g. 'agencies'", valueName: "NAME")
    static let kind = Option.named("kind", .choice(Recipient.Kind.self), "what it is (default agency)")
    static let command = Command("recipient.add", "Register who receives notices and alerts", roles: Recipient.editors,
                                 audit: .changes, arguments: [key, name, email, webhook, group, kind],
                                 details: "A recipient with neither e-mail nor webhook is still listed on notices "
                                     + "but receives nothing.",
                                 handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let key = try context[Self.key]
        try Recipient.checkNotReserved(key)
        let store = RecipientStore(context.db)
        if let existing = try store.byKey(key) {
            throw OpsError.refused(existing.isActive
                ? "recipient '\(key)' already exists; change it with 'opsctl recipient update \(key)'"
                : "recipient '\(key)' was removed; bring it back with 'opsctl recipient update \(key) --restore'")
        }
        let recipient = Recipient(key: key, name: try context[Self.name], kind: try context[Self.kind] ?? .agency,
                                  emails: try context[Self.email],
                                  webhook: try context[Self.webhook].map(Addresses.checkWebhook),
                                  groups: try context[Self.group], removedAt: nil)
        if let webhook = recipient.webhook { try WebhookAddresses.check(webhook, context.db) }
        try store.save(recipient, now: context.now)
        return Response(message: "Added recipient \(key) (\(recipient.name))",
                        data: recipient.json(time: context.time, shownTo: context.caller),
                        warnings: RecipientCommand.warnings(for: recipient))
    }
}

/// `recipient list`: active recipients, or all with `--removed`.
enum ListRecipients {
    static let group = Option.named("group", .key, "only members of this group", valueName: "NAME")
    static let removed = Flag.named("removed", "include removed recipients")
    static let command = Command("recipient.list", "List recipients", roles: .everyone, audit: .none,
                                 arguments: [group, removed], handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        // Correspondents are citizens' own addresses, one per answered feedback: shown on the feedback, not here.
        let recipients = try RecipientStore(context.db).all(group: try context[Self.group],
                                                          includeRemoved: context[Self.removed])
            .filter { $0.kind != .correspondent }
        let columns = ["KEY", "NAME", "KIND", "E-MAIL", "WEBHOOK", "GROUPS"]
        let subscriptions = IncidentSubscriptions(context.db)
        let shown = try recipients.map {
            $0.json(time: context.time, shownTo: context.caller)
                .merging(["incident_notices": .array(try subscriptions.components(of: $0.key).map(JSON.string))])
        }
        return Response(data: ["recipients": .array(shown)],
                        table: .init(columns: columns, rows: recipients.map {
                            [$0.key + ($0.isActive ? "" : " (removed)"), $0.name, $0.kind.rawValue,
                             $0.emails.isEmpty ? "-" : $0.emails.joined(separator: ", "),
                             $0.shownWebhook(to: context.caller) ?? "-",
                             $0.groups.isEmpty ? "-" : $0.groups.joined(separator: ", ")]
                        }))
    }
}

/// `recipient show`: one recipient with its last ten deliveries.
enum ShowRecipient {
    static let key = Required.positional("key", .key, "the recipient", valueName: "KEY")
    static let command = Command("recipient.show", "Show one recipient and its latest deliveries", roles: .everyone,
                                 audit: .none, arguments: [key], handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let recipient = try RecipientCommand.existing(try context[Self.key], context)
        let deliveries = try Outbox(context.db).deliveries(limit: 10_000, includeSecurity: context.seesSecurityMessages)
            .filter { $0.recipient == recipient.key }.suffix(10)
        var fields = [["key", recipient.key], ["name", recipient.name], ["kind", recipient.kind.rawValue],
                      ["e-mail", recipient.emails.isEmpty ? "-" : recipient.emails.joined(separator: ", ")],
                      ["webhook", recipient.shownWebhook(to: context.caller) ?? "-"],
                      ["groups", recipient.groups.isEmpty ? "-" : recipient.groups.joined(separator: ", ")]]
        let subscribed = try IncidentSubscriptions(context.db).components(of: recipient.key)
        fields.append(["incident notices", subscribed.isEmpty ? "-" : IncidentSubscriptionCommand.describe(subscribed)])
        if let removed = recipient.removedAt { fields.append(["removed", context.time.format(removed)]) }
        let history: JSON = .array(deliveries.map { $0.json(time: context.time, shownTo: context.caller) })
        return Response(data: recipient.json(time: context.time, shownTo: context.caller)
                            .merging(["deliveries": history, "incident_notices": .array(subscribed.map(JSON.string))]),
                        fields: fields,
                        table: deliveries.isEmpty ? nil
                            : Delivery.table(Array(deliveries), context.time, shownTo: context.caller))
    }
}

/// `recipient update`: a list given replaces the old one; each `--no-…`
/// flag clears one, and giving both is refused rather than guessed at.
enum UpdateRecipient {
    static let key = Required.positional("key", .key, "the recipient", valueName: "KEY")
    static let name = Option.named("name", .text, "new full name")
    static let email = Repeated.named("email", .email, "new addresses (replace the old ones)")
    static let noEmail = Flag.named("no-email", "remove every e-mail address")
    static let webhook = Option.named("webhook", .text, "new webhook URL", valueName: "URL").sensitive()
    static let noWebhook = Flag.named("no-webhook", "remove the webhook")
    static let group = Repeated.named("group", .key, "new groups (replace the old ones)", valueName: "NAME")
    static let noGroup = Flag.named("no-group", "remove it from every group")
    static let kind = Option.named("kind", .choice(Recipient.Kind.self), "new kind")
    static let restore = Flag.named("restore", "bring back a removed recipient")
    static let command = Command("recipient.update", "Change a recipient; a list given replaces the old one",
                                 roles: Recipient.editors, audit: .changes,
                                 arguments: [key, name, email, noEmail, webhook, noWebhook, group, noGroup, kind,
                                             restore],
                                 handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        var recipient = try RecipientCommand.existing(try context[Self.key], context, allowRemoved: true)
        let restore = context[Self.restore]
        if recipient.removedAt != nil && !restore {
            throw OpsError.refused("recipient '\(recipient.key)' was removed; add --restore to bring it back")
        }
        if restore { recipient.removedAt = nil }
        if let name = try context[Self.name] { recipient.name = name }
        if let kind = try context[Self.kind] { recipient.kind = kind }
        try conflicting(context, Self.email, Self.noEmail)
        try conflicting(context, Self.webhook, Self.noWebhook)
        try conflicting(context, Self.group, Self.noGroup)
        let emails = try context[Self.email]
        if !emails.isEmpty { recipient.emails = emails }
        if context[Self.noEmail] { recipient.emails = [] }
        if let webhook = try context[Self.webhook] {
            recipient.webhook = try Addresses.checkWebhook(webhook)
            try WebhookAddresses.check(webhook, context.db)
        }
        if context[Self.noWebhook] { recipient.webhook = nil }
        let groups = try context[Self.group]
        if !groups.isEmpty { recipient.groups = groups }
        if context[Self.noGroup] { recipient.groups = [] }
        try RecipientStore(context.db).save(recipient, now: context.now)
        return Response(message: "Updated recipient \(recipient.key)",
                        data: recipient.json(time: context.time, shownTo: context.caller),
                        warnings: RecipientCommand.warnings(for: recipient))
    }

    /// Refuses `value` given together with the flag that clears it. Whether
    /// `value` was given is read from the request itself (by the declared
    /// argument's name), so even an empty list counts as given.
    private static func conflicting(_ context: CommandContext, _ value: any DeclaredArgument, _ clear: Flag) throws {
        if context.arguments.values[value.spec.name] != nil && context[clear] {
            throw OpsError.usage("--\(value.spec.name) and --\(clear.spec.name) contradict each other; give one")
        }
    }
}

/// `recipient remove`: it receives nothing more but stays in the history.
enum RemoveRecipient {
    static let key = Required.positional("key", .key, "the recipient", valueName: "KEY")
    static let command = Command("recipient.remove", "Stop sending to a recipient (it stays in the history)",
                                 roles: Recipient.editors, audit: .changes, arguments: [key], handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        var recipient = try RecipientCommand.existing(try context[Self.key], context)
        recipient.removedAt = context.now
        try RecipientStore(context.db).save(recipient, now: context.now)
        // Nothing more means also nothing already queued or waiting for a retry (issue 19).
        let cancelled = try Outbox(context.db).cancelPending(recipient: recipient.key,
                                                             reason: "recipient \(recipient.key) was removed",
                                                             by: context.caller.actorName)
        let pending = cancelled == 0 ? "" : "; cancelled \(cancelled) pending "
            + (cancelled == 1 ? "delivery" : "deliveries")
        return Response(message: "Removed recipient \(recipient.key); "
                            + "it stays in the history and receives nothing more\(pending)",
                        data: recipient.json(time: context.time, shownTo: context.caller)
                            .merging(["cancelled_deliveries": .int(Int64(cancelled))]))
    }
}

/// `recipient import`: a CSV file, all rows or none, so a half-imported
/// list never sends notices to some agencies and not others.
enum ImportRecipients {
    static let file = Required.positional("file", .file, "UTF-8 CSV with a header row", valueName: "FILE.csv")
        .sensitive()
    static let command = Command("recipient.import", "Add or update recipients from a CSV file, all or nothing",
                                 roles: Recipient.editors, audit: .changes, arguments: [file], details: """
                                     Columns: key,name[,kind][,emails][,webhook][,groups] \
                                     — emails and groups separated by ';'.
                                     Every invalid row is reported with its line number; \
                                     if any row is invalid, nothing is imported.
                                     """, handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let recipients = try RecipientImport.parse(try context[Self.file])
        let store = RecipientStore(context.db)
        var added = 0, updated = 0
        for var recipient in recipients {
            if let webhook = recipient.webhook {
                do { try WebhookAddresses.check(webhook, context.db) } catch let error as OpsError {
                    throw OpsError.refused("recipient \(recipient.key): \(error.message); nothing was imported")
                }
            }
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
                        warnings: recipients.flatMap(RecipientCommand.warnings))
    }
}

/// `recipient test`: queues a harmless message through the outbox, so the
/// channel is proven the same way a notice would travel.
enum TestRecipient {
    static let key = Required.positional("key", .key, "the recipient", valueName: "KEY")
    static let command = Command("recipient.test", "Send a test message to a recipient now", roles: Recipient.editors,
                                 audit: .changes, arguments: [key], handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let recipient = try RecipientCommand.existing(try context[Self.key], context)
        guard !recipient.channels.isEmpty else {
            throw OpsError.refused("\(recipient.key) has no e-mail or webhook to test; "
                                   + "add one with 'opsctl recipient update \(recipient.key) --email ADDR'")
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
        let ids = try Outbox(context.db).enqueue(message, to: [recipient], by: context.caller.actorName,
                                                 now: context.now).deliveryIDs
        let list = ids.map(String.init).joined(separator: ", ")
        return Response(message: "Queued a test message to \(recipient.key): deliveries \(list); "
                            + "follow with 'opsctl outbox show ID'",
                        data: ["deliveries": .array(ids.map(JSON.int))])
    }
}

/// `group list`: the groups recipients name, with how many belong to each.
enum ListGroups {
    static let command = Command("group.list", "List recipient groups and their member counts", roles: .everyone,
                                 audit: .none, handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let groups = try RecipientStore(context.db).groups()
        return Response(data: ["groups": .array(groups.map {
                            ["name": .string($0.name), "members": .int(Int64($0.members))]
                        })],
                        table: .init(columns: ["GROUP", "MEMBERS"], rows: groups.map { [$0.name, String($0.members)] }))
    }
}

/// What the `recipient.*` commands share.
enum RecipientCommand {
    /// Said when a recipient can receive nothing, which is allowed but rarely meant.
    static func warnings(for recipient: Recipient) -> [String] {
        recipient.channels.isEmpty
            ? ["\(recipient.key) has no e-mail or webhook: it is listed on notices but receives nothing"] : []
    }

    /// The recipient named on the command line (active unless `allowRemoved`),
    /// or a refusal pointing at `recipient list`.
    static func existing(_ key: String, _ context: CommandContext, allowRemoved: Bool = false) throws -> Recipient {
        guard let recipient = try RecipientStore(context.db).byKey(key), allowRemoved || recipient.isActive else {
            throw OpsError.refused("no recipient '\(key)'; see 'opsctl recipient list'")
        }
        return recipient
    }
}
