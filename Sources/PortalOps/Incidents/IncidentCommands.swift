import OpsProtocol

/// What the `incident.*` commands share: who may change incidents, the
/// incident argument and the severity help.
enum IncidentCommand {
    /// Who may change incidents (viewers and auditors only read them).
    static let responders: Set<Role> = [.operator, .security, .supervisor, .admin]
    static let incident = Required.positional("incident", .text,
                                              "the incident: INC-2026-0042, SEC-2026-0001, or 42 for this year's",
                                              valueName: "ID")
    static let severityHelp = "Severities:\n"
        + Incident.Severity.allCases.map { "  \($0.rawValue)  \($0.meaning)" }.joined(separator: "\n")
}

/// The states `incident list --state` accepts: the incident states, and
/// `active` for open or acknowledged ones.
enum ListedState: String, CaseIterable, Sendable {
    case open, acknowledged, resolved, closed, active

    var states: [Incident.State] {
        self == .active ? [.open, .acknowledged] : Incident.State(rawValue: rawValue).map { [$0] } ?? []
    }
}

enum OpenIncident {
    static let title = Required.named("title", .text, "what is wrong, in a line")
    static let severity = Required.named("severity", .choice(Incident.Severity.self), "how bad (see below)")
    static let component = Repeated.named("component", .text, "affected component keys (KEY[,KEY])", required: true,
                                          valueName: "KEY")
    static let source = Option.named("source", .choice(Incident.Source.self), "who reported it (default operator)")
    static let detail = Option.named("detail", .multilineText, "symptoms, error messages")
    static let detected = Option.named("detected", .time, "when it was detected (default now)")
    static let security = Flag.named(
        "security", "a security incident (SEC-YYYY-NNNN): visible to security, supervisors and admins only, "
            + "with legal clocks")
    static let command = Command(
        "incident.open", "Open an incident; sev1–sev3 page the people on shift", roles: IncidentCommand.responders,
        audit: .changes, arguments: [title, severity, component, source, detail, detected, security],
        details: IncidentCommand.severityHelp + """


            Security incidents: notify VNCERT/CC and the provincial response unit within 5 days of detection,
            send the closing report within 5 days after resolution (Decision 05/2017/QĐ-TTg).
            """,
        handler: IncidentWork.open)
}

enum ListIncidents {
    static let state = Option.named("state", .choice(ListedState.self),
                                    "only this state (active: open or acknowledged)")
    static let severity = Option.named("severity", .choice(Incident.Severity.self), "only this severity")
    static let component = Option.named("component", .key, "only incidents on this component")
    static let period = PeriodFilter(from: "only incidents opened from", to: "only incidents opened before")
    static let command = Command("incident.list", "List incidents", roles: .everyone, audit: .none,
                                 arguments: [state, severity, component] + period.arguments,
                                 handler: IncidentViews.list)
}

enum ShowIncident {
    static let command = Command("incident.show", "Show an incident with its whole timeline", roles: .everyone,
                                 audit: .none, arguments: [IncidentCommand.incident], handler: IncidentViews.show)
}

enum AcknowledgeIncident {
    static let command = Command("incident.ack", "Acknowledge an incident: you are on it (stops escalation)",
                                 roles: IncidentCommand.responders, audit: .changes,
                                 arguments: [IncidentCommand.incident], handler: IncidentWork.ack)
}

enum AssignIncident {
    static let user = Required.positional("user", .key, "the user", valueName: "USER")
    static let command = Command("incident.assign", "Assign an incident to a user", roles: IncidentCommand.responders,
                                 audit: .changes, arguments: [IncidentCommand.incident, user],
                                 handler: IncidentWork.assign)
}

enum NoteIncident {
    static let text = Required.positional("text", .multilineText, "the note", valueName: "TEXT")
    static let isPublic = Flag.named("public", "fit for the public status page")
    static let command = Command("incident.note", "Add a note to the timeline", roles: IncidentCommand.responders,
                                 audit: .changes, arguments: [IncidentCommand.incident, text, isPublic],
                                 handler: IncidentWork.note)
}

enum ChangeSeverity {
    static let severity = Required.positional("severity", .choice(Incident.Severity.self), "the new severity",
                                              valueName: "SEVERITY")
    static let reason = Required.named("reason", .text, "why")
    static let command = Command("incident.severity", "Change the severity", roles: IncidentCommand.responders,
                                 audit: .changes, arguments: [IncidentCommand.incident, severity, reason],
                                 details: IncidentCommand.severityHelp, handler: IncidentWork.severity)
}

enum ResolveIncident {
    static let cause = Required.named("cause", .text, "what caused it")
    static let resolution = Required.named("resolution", .text, "what fixed it")
    static let command = Command("incident.resolve", "Mark an incident resolved: service is back",
                                 roles: IncidentCommand.responders, audit: .changes,
                                 arguments: [IncidentCommand.incident, cause, resolution],
                                 handler: IncidentWork.resolve)
}

enum CloseIncident {
    static let review = Option.named("review", .multilineText,
                                     "the post-incident review: what to change so it does not recur")
    static let noRecommendation = Flag.named("no-recommendation",
                                             "close a sev1/sev2 without a recommendation (needs --reason)")
    static let reason = Option.named("reason", .text, "why no recommendation is needed")
    static let command = Command(
        "incident.close", "Close a resolved incident (sev1/sev2 need --review and a recommendation)",
        roles: IncidentCommand.responders, audit: .changes,
        arguments: [IncidentCommand.incident, review, noRecommendation, reason],
        details: """
            A sev1 or sev2 needs --review and at least one recommendation citing it
            ('opsctl recommendation add --source incident:ID …'), or --no-recommendation --reason.
            A security incident closes only after its closing report was recorded with \
            'incident notified --form closing'.
            """,
        handler: IncidentWork.close)
}

enum ReopenIncident {
    static let reason = Required.named("reason", .text, "why")
    static let command = Command("incident.reopen", "Reopen a resolved or closed incident",
                                 roles: IncidentCommand.responders, audit: .changes,
                                 arguments: [IncidentCommand.incident, reason], handler: IncidentWork.reopen)
}

enum IncidentReport {
    static let form = Required.named("form", .choice(Incident.ReportForm.self), "which report")
    static let command = Command(
        "incident.report", "Print a draft of the security incident report (initial or closing)", roles: .auditors,
        audit: .reads, arguments: [IncidentCommand.incident, form],
        details: "The fields Circular 20/2017/TT-BTTTT asks for; fill in what the console cannot know and send it.",
        handler: IncidentViews.report)
}

enum RecordNotified {
    static let to = Required.named("to", .text, "to whom, e.g. 'VNCERT/CC, Đội ƯCSC tỉnh'")
    static let ref = Required.named("ref", .text, "the number of the written report")
    static let form = Option.named("form", .choice(Incident.ReportForm.self),
                                   "which report (default: closing once resolved, else initial)")
    static let command = Command("incident.notified", "Record that a security report was sent", roles: .auditors,
                                 audit: .changes, arguments: [IncidentCommand.incident, to, ref, form],
                                 handler: IncidentViews.notified)
}

enum IncidentStatistics {
    static let period = PeriodFilter(from: "incidents opened from", to: "incidents opened before")
    static let component = Option.named("component", .key, "only this component")
    static let command = Command(
        "incident.stats", "Counts by severity; mean and median time to acknowledge and resolve", roles: .everyone,
        audit: .none, arguments: period.arguments + [component], handler: IncidentViews.stats)
}
