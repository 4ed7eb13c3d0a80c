import OpsProtocol
extension Catalog {
    static let maintainers: Set<Role> = [.operator, .supervisor, .admin]
    static let signers: Set<Role> = [.supervisor, .admin]

    private static let window = ArgumentSpec.positional("window", .text, "the window, e.g. MW-2026-0007", valueName: "MW")

    static let maintenance: [CommandSpec] = [
        CommandSpec("maintenance.plan", "Plan a maintenance window (state planned, no notice yet)", roles: maintainers, audit: .changes, arguments: [
            .option("title", .text, "what will be done, e.g. 'Nâng cấp máy chủ cơ sở dữ liệu'", required: true),
            .option("kind", .choice(MaintenanceWindow.Kind.allCases.map(\.rawValue)), "maintenance, upgrade or version-update", required: true),
            .option("start", .time, "when the stop begins", required: true),
            .option("end", .time, "when service is expected back", required: true),
            .option("component", .text, "affected component keys (KEY[,KEY])", required: true, repeated: true, valueName: "KEY"),
            .option("impact", .text, "what users cannot do meanwhile"),
            .option("advice", .text, "what users should do instead"),
            .option("group", .key, "recipient groups the notice goes to", repeated: true, valueName: "NAME"),
            .flag("emergency", "skip the lead time; needs 'maintenance approve' by a supervisor and --reason"),
            .option("reason", .text, "why it is an emergency"),
            .flag("allow-overlap", "allow overlap with another window on a shared component"),
            .flag("in-service-hours", "allow a window inside service hours (the notice says so)"),
            .option("target", .key, "a backup target the work may change (upgrade gates)", repeated: true, valueName: "KEY"),
            .option("expect-change", .text, "a table allowed to differ after the work ('schema' for the schema)", repeated: true, valueName: "TABLE"),
        ], details: "Lead time (policies maintenance.lead.*): 1 working day for maintenance, 5 for upgrades and version updates.\nThe notice must be issued that many whole working days before the day the work starts."),
        CommandSpec("maintenance.approve", "Approve an emergency window (supervisors)", roles: signers, audit: .changes, arguments: [window]),
        CommandSpec("maintenance.announce", "Issue the numbered written notice and send it to every recipient", roles: signers, audit: .changes,
                    arguments: [window], details: "Refused if the window starts sooner than its lead time allows; the message says the earliest start."),
        CommandSpec("maintenance.start", "Mark an announced window as in progress and tell the recipients", roles: maintainers, audit: .changes,
                    arguments: [window], details: "Refused before the announced start and when the notice was not issued the lead time before it."),
        CommandSpec("maintenance.prepare", "Before an upgrade: a pinned, verified backup, an integrity check and a fingerprint of each target", roles: maintainers, audit: .changes,
                    arguments: [window], details: "'maintenance start' refuses a window with targets until this evidence exists and is recent (policy maintenance.evidence_max_age)."),
        CommandSpec("maintenance.complete", "Check the targets again, compare with before, mark the window completed", roles: maintainers, audit: .changes, arguments: [
            window,
            .flag("accept-diff", "complete despite differences (supervisors; needs --reason)"),
            .option("reason", .text, "why the differences are acceptable"),
        ], details: "Tables declared with --expect-change may differ; any other difference, or a failed integrity check, refuses\ncompletion, opens a sev2 incident and prints the command that restores the pinned backup."),
        CommandSpec("maintenance.extend", "Extend a window in progress: a new numbered notice replaces the old", roles: signers, audit: .changes, arguments: [
            window,
            .option("end", .time, "the new end", required: true),
            .option("reason", .text, "why more time is needed", required: true),
        ]),
        CommandSpec("maintenance.cancel", "Cancel a planned or announced window (announced: a cancellation notice)", roles: signers, audit: .changes, arguments: [
            window,
            .option("reason", .text, "why", required: true),
        ]),
        CommandSpec("maintenance.correct", "Change a window; once announced, a numbered correction replaces the notice", roles: signers, audit: .changes, arguments: [
            window,
            .option("title", .text, "new title"),
            .option("start", .time, "new start"),
            .option("end", .time, "new end"),
            .option("impact", .text, "new impact"),
            .option("advice", .text, "new advice"),
            .option("component", .text, "new component keys (replace the old)", repeated: true, valueName: "KEY"),
            .option("group", .key, "new recipient groups (replace the old)", repeated: true, valueName: "NAME"),
            .option("target", .key, "backup targets (replace the old)", repeated: true, valueName: "KEY"),
            .option("expect-change", .text, "tables allowed to differ (replace the old)", repeated: true, valueName: "TABLE"),
            .option("reason", .text, "what is corrected (required once announced)"),
            .flag("allow-overlap", "allow overlap with another window"),
            .flag("in-service-hours", "allow a time inside service hours"),
        ]),
        CommandSpec("maintenance.ack", "Record that a recipient confirmed receipt of the notice", roles: maintainers, audit: .changes, arguments: [
            window,
            .option("recipient", .key, "the recipient's key", required: true, valueName: "KEY"),
            .option("by", .text, "who confirmed, e.g. 'Văn thư Sở Tư pháp, điện thoại'"),
        ]),
        CommandSpec("maintenance.list", "List maintenance windows", roles: .everyone, audit: .none, arguments: [
            .flag("upcoming", "only windows not yet finished"),
            .option("from", .time, "only windows ending after this time"),
            .option("to", .time, "only windows starting before this time"),
        ]),
        CommandSpec("maintenance.show", "Show a window: times, notices, deliveries and acknowledgements", roles: .everyone, audit: .none,
                    arguments: [window]),
        CommandSpec("maintenance.notice", "Print the window's notice (the one in force, or a draft before announcing)", roles: .everyone, audit: .none, arguments: [
            window,
            .option("format", .choice(["text", "html", "eml"]), "text (default), html (prints on A4) or eml (the mail as sent)"),
            .option("output", .outputFile, "write to FILE instead of standard output"),
            .flag("draft", "render the current content as a draft, even after announcing"),
        ]),
        CommandSpec("maintenance.calendar", "Print the windows as an iCalendar (RFC 5545) feed", roles: .everyone, audit: .none, arguments: [
            .option("from", .time, "windows ending after this time (default: 30 days ago)"),
            .option("to", .time, "windows starting before this time (default: a year ahead)"),
            .option("output", .outputFile, "write to FILE instead of standard output"),
        ]),
    ]
}
