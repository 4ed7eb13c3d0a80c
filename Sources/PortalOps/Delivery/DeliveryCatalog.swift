import OpsProtocol
extension Catalog {
    private static let recipientKinds = Recipient.Kind.allCases.map(\.rawValue)
    static let recipientEditors: Set<Role> = [.operator, .supervisor, .admin]

    static let delivery: [CommandSpec] = [
        CommandSpec("recipient.add", "Register who receives notices and alerts", roles: recipientEditors, audit: .changes, arguments: [
            .positional("key", .key, "short key, e.g. 'so-tu-phap'", valueName: "KEY"),
            .option("name", .text, "full name as written on notices, e.g. 'Sở Tư pháp tỉnh Lào Cai'", required: true),
            .option("email", .email, "an address mail goes to", repeated: true),
            .option("webhook", .text, "an https URL that receives a JSON POST", valueName: "URL"),
            .option("group", .key, "a group it belongs to, e.g. 'agencies'", repeated: true, valueName: "NAME"),
            .option("kind", .choice(recipientKinds), "what it is (default agency)"),
        ], details: "A recipient with neither e-mail nor webhook is still listed on notices but receives nothing."),
        CommandSpec("recipient.list", "List recipients", roles: .everyone, audit: .none, arguments: [
            .option("group", .key, "only members of this group", valueName: "NAME"),
            .flag("removed", "include removed recipients"),
        ]),
        CommandSpec("recipient.show", "Show one recipient and its latest deliveries", roles: .everyone, audit: .none, arguments: [
            .positional("key", .key, "the recipient", valueName: "KEY"),
        ]),
        CommandSpec("recipient.update", "Change a recipient; a list given replaces the old one", roles: recipientEditors, audit: .changes, arguments: [
            .positional("key", .key, "the recipient", valueName: "KEY"),
            .option("name", .text, "new full name"),
            .option("email", .email, "new addresses (replace the old ones)", repeated: true),
            .flag("no-email", "remove every e-mail address"),
            .option("webhook", .text, "new webhook URL", valueName: "URL"),
            .flag("no-webhook", "remove the webhook"),
            .option("group", .key, "new groups (replace the old ones)", repeated: true, valueName: "NAME"),
            .flag("no-group", "remove it from every group"),
            .option("kind", .choice(recipientKinds), "new kind"),
            .flag("restore", "bring back a removed recipient"),
        ]),
        CommandSpec("recipient.remove", "Stop sending to a recipient (it stays in the history)", roles: recipientEditors, audit: .changes, arguments: [
            .positional("key", .key, "the recipient", valueName: "KEY"),
        ]),
        CommandSpec("recipient.import", "Add or update recipients from a CSV file, all or nothing", roles: recipientEditors, audit: .changes, arguments: [
            .positional("file", .file, "UTF-8 CSV with a header row", valueName: "FILE.csv"),
        ], details: """
            Columns: key,name[,kind][,emails][,webhook][,groups] — emails and groups separated by ';'.
            Every invalid row is reported with its line number; if any row is invalid, nothing is imported.
            """),
        CommandSpec("recipient.test", "Send a test message to a recipient now", roles: recipientEditors, audit: .changes, arguments: [
            .positional("key", .key, "the recipient", valueName: "KEY"),
        ]),
        CommandSpec("group.list", "List recipient groups and their member counts", roles: .everyone, audit: .none),
        CommandSpec("outbox.list", "List deliveries, newest last", roles: .staff, audit: .none, arguments: [
            .option("state", .choice(Delivery.State.allCases.map(\.rawValue)), "only deliveries in this state"),
            .option("since", .time, "only deliveries created at or after this time"),
            .option("limit", .integer(1...10_000), "at most this many (default 100)"),
        ]),
        CommandSpec("outbox.show", "Show one delivery with every attempt", roles: .staff, audit: .none, arguments: [
            .positional("id", .integer(1...Int64.max), "the delivery id from 'outbox list'", valueName: "ID"),
        ]),
        CommandSpec("outbox.retry", "Send a failed or dead delivery again now", roles: recipientEditors, audit: .changes, arguments: [
            .positional("id", .integer(1...Int64.max), "the delivery id", required: false, valueName: "ID"),
            .flag("dead", "retry every dead delivery"),
        ], details: "A retry keeps the delivery's identity (Message-ID, Idempotency-Key) and starts a new give-up window."),
    ]
}
