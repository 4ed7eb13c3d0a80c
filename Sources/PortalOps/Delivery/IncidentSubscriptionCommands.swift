import OpsProtocol

/// `recipient subscribe`: a public channel or an agency that asked receives the public notices of
/// incidents on the components named (issue 15 item 5).
enum SubscribeRecipient {
    static let key = Required.positional("key", .key, "the recipient", valueName: "KEY")
    static let component = Repeated.named("component", .key, "a component whose public incident notices it receives",
                                          valueName: "KEY")
    static let all = Flag.named("all-components", "every component, including those added later")
    static let command = Command(
        "recipient.subscribe", "Send a recipient the public notices of incidents on some components",
        roles: Recipient.editors, audit: .changes, arguments: [key, component, all],
        details: """
            A notice goes out when an incident is published ('opsctl incident publish'), for each later public \
            note and when it is resolved. It carries the time, the components by name, the public note and \
            whether the fault is being fixed or fixed; never internal notes, names or security incidents.
            """,
        handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let recipient = try RecipientCommand.existing(try context[Self.key], context)
        let components = try IncidentSubscriptionCommand.components(context, Self.component, Self.all)
        let added = try IncidentSubscriptions(context.db).subscribe(recipient.key, to: components, now: context.now)
        let now = try IncidentSubscriptions(context.db).components(of: recipient.key)
        var warnings = RecipientCommand.warnings(for: recipient)
        if added.isEmpty { warnings.append("\(recipient.key) was already subscribed to these; nothing changed") }
        return Response(message: "\(recipient.key) receives incident notices for "
                            + IncidentSubscriptionCommand.describe(now),
                        data: ["recipient": .string(recipient.key), "added": .array(added.map(JSON.string)),
                               "incident_notices": .array(now.map(JSON.string))],
                        warnings: warnings)
    }
}

/// `recipient unsubscribe`: the components named, or with `--all-components` every subscription.
enum UnsubscribeRecipient {
    static let key = Required.positional("key", .key, "the recipient", valueName: "KEY")
    static let component = Repeated.named("component", .key, "a component to stop notices for", valueName: "KEY")
    static let all = Flag.named("all-components", "stop every incident notice")
    static let command = Command("recipient.unsubscribe", "Stop incident notices to a recipient for some components",
                                 roles: Recipient.editors, audit: .changes, arguments: [key, component, all],
                                 handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let recipient = try RecipientCommand.existing(try context[Self.key], context, allowRemoved: true)
        let everything = context[Self.all]
        let named = try context[Self.component]
        guard everything != !named.isEmpty else {
            throw OpsError.usage("give --component KEY (repeatable) or --all-components, not both or neither")
        }
        let store = IncidentSubscriptions(context.db)
        let removed = try store.unsubscribe(recipient.key, from: everything ? nil : named)
        guard !removed.isEmpty else {
            throw OpsError.refused("\(recipient.key) is not subscribed to \(named.joined(separator: ", ")); "
                                   + "see 'opsctl recipient show \(recipient.key)'")
        }
        let now = try store.components(of: recipient.key)
        return Response(message: "\(recipient.key) no longer receives incident notices for "
                            + IncidentSubscriptionCommand.describe(removed)
                            + (now.isEmpty ? "" : "; still for " + IncidentSubscriptionCommand.describe(now)),
                        data: ["recipient": .string(recipient.key), "removed": .array(removed.map(JSON.string)),
                               "incident_notices": .array(now.map(JSON.string))])
    }
}

/// What the subscription commands and `recipient show`/`list` share.
enum IncidentSubscriptionCommand {
    /// The components of `--component` (each must exist) or `*` for `--all-components`; exactly one is given.
    static func components(_ context: CommandContext, _ component: Repeated<String>, _ all: Flag) throws -> [String] {
        let named = try context[component]
        guard context[all] != !named.isEmpty else {
            throw OpsError.usage("give --component KEY (repeatable) or --all-components, not both or neither")
        }
        if context[all] { return [IncidentSubscriptions.everyComponent] }
        return try ComponentStore(context.db).requireAll(named).map(\.key)
    }

    /// "portal, payment" or "every component".
    static func describe(_ components: [String]) -> String {
        components.isEmpty ? "no component"
            : components.map { $0 == IncidentSubscriptions.everyComponent ? "every component" : $0 }
                .joined(separator: ", ")
    }
}
