import OpsProtocol
extension Catalog {
    private static let incident = ArgumentSpec.positional("incident", .text, "the incident, e.g. INC-2026-0042", valueName: "ID")
    static let responders: Set<Role> = [.operator, .security, .supervisor, .admin]
    private static let severities = Incident.Severity.allCases.map(\.rawValue)
    private static let severityHelp = "Severities:\n" + Incident.Severity.allCases.map { "  \($0.rawValue)  \($0.meaning)" }.joined(separator: "\n")

    static let incidents: [CommandSpec] = [
        CommandSpec("incident.open", "Open an incident; sev1–sev3 page the people on shift", roles: responders, audit: .changes, arguments: [
            .option("title", .text, "what is wrong, in a line", required: true),
            .option("severity", .choice(severities), "how bad (see below)", required: true),
            .option("component", .text, "affected component keys (KEY[,KEY])", required: true, repeated: true, valueName: "KEY"),
            .option("source", .choice(Incident.Source.allCases.map(\.rawValue)), "who reported it (default operator)"),
            .option("detail", .text, "symptoms, error messages"),
            .option("detected", .time, "when it was detected (default now)"),
            .flag("security", "a security incident: visible to security, supervisors and admins only, with legal clocks"),
        ], details: severityHelp + "\n\nSecurity incidents: notify VNCERT/CC and the provincial response unit within 5 days of detection,\nsend the closing report within 5 days after resolution (Decision 05/2017/QĐ-TTg)."),
        CommandSpec("incident.list", "List incidents", roles: .everyone, audit: .none, arguments: [
            .option("state", .choice(Incident.State.allCases.map(\.rawValue) + ["active"]), "only this state (active: open or acknowledged)"),
            .option("severity", .choice(severities), "only this severity"),
            .option("component", .key, "only incidents on this component"),
            .option("since", .time, "only incidents opened since"),
        ]),
        CommandSpec("incident.show", "Show an incident with its whole timeline", roles: .everyone, audit: .none, arguments: [incident]),
        CommandSpec("incident.ack", "Acknowledge an incident: you are on it (stops escalation)", roles: responders, audit: .changes, arguments: [incident]),
        CommandSpec("incident.assign", "Assign an incident to a user", roles: responders, audit: .changes, arguments: [
            incident, .positional("user", .key, "the user", valueName: "USER"),
        ]),
        CommandSpec("incident.note", "Add a note to the timeline", roles: responders, audit: .changes, arguments: [
            incident, .positional("text", .text, "the note", valueName: "TEXT"),
            .flag("public", "fit for the public status page"),
        ]),
        CommandSpec("incident.severity", "Change the severity", roles: responders, audit: .changes, arguments: [
            incident, .positional("severity", .choice(severities), "the new severity", valueName: "SEVERITY"),
            .option("reason", .text, "why", required: true),
        ], details: severityHelp),
        CommandSpec("incident.resolve", "Mark an incident resolved: service is back", roles: responders, audit: .changes, arguments: [
            incident,
            .option("cause", .text, "what caused it", required: true),
            .option("resolution", .text, "what fixed it", required: true),
        ]),
        CommandSpec("incident.close", "Close a resolved incident (sev1/sev2 need --review and a recommendation)", roles: responders, audit: .changes, arguments: [
            incident, .option("review", .text, "the post-incident review: what to change so it does not recur"),
            .flag("no-recommendation", "close a sev1/sev2 without a recommendation (needs --reason)"),
            .option("reason", .text, "why no recommendation is needed"),
        ], details: """
            A sev1 or sev2 needs --review and at least one recommendation citing it
            ('opsctl recommendation add --source incident:ID …'), or --no-recommendation --reason.
            A security incident closes only after its closing report was recorded with 'incident notified --form closing'.
            """),
        CommandSpec("incident.reopen", "Reopen a resolved or closed incident", roles: responders, audit: .changes, arguments: [
            incident, .option("reason", .text, "why", required: true),
        ]),
        CommandSpec("incident.report", "Print a draft of the security incident report (initial or closing)", roles: .auditors, audit: .reads, arguments: [
            incident, .option("form", .choice(["initial", "closing"]), "which report", required: true),
        ], details: "The fields Circular 20/2017/TT-BTTTT asks for; fill in what the console cannot know and send it."),
        CommandSpec("incident.notified", "Record that a security report was sent", roles: .auditors, audit: .changes, arguments: [
            incident,
            .option("to", .text, "to whom, e.g. 'VNCERT/CC, Đội ƯCSC tỉnh'", required: true),
            .option("ref", .text, "the number of the written report", required: true),
            .option("form", .choice(["initial", "closing"]), "which report (default: closing once resolved, else initial)"),
        ]),
        CommandSpec("incident.stats", "Counts by severity; mean and median time to acknowledge and resolve", roles: .everyone, audit: .none, arguments: [
            .option("from", .time, "incidents opened from"),
            .option("to", .time, "incidents opened before"),
            .option("component", .key, "only this component"),
        ]),
    ]
}
