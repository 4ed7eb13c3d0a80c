import OpsProtocol
extension Catalog {
    static let recorders: Set<Role> = [.operator, .security, .supervisor, .admin]
    private static func id(_ example: String) -> ArgumentSpec { .positional("id", .text, "e.g. \(example)", valueName: "ID") }

    static let feedback: [CommandSpec] = [
        CommandSpec("feedback.add", "Record feedback from an agency, organisation or citizen", roles: recorders, audit: .changes, arguments: [
            .option("from", .text, "who, as they named themselves, e.g. 'Sở Tư pháp tỉnh Lào Cai'", required: true),
            .option("recipient", .key, "the matching recipient, if any", valueName: "KEY"),
            .option("channel", .choice(Feedback.channels), "how it came", required: true),
            .option("category", .choice(Feedback.categories), "what it is about", required: true),
            .option("summary", .text, "in a line", required: true),
            .option("detail", .text, "the full text"),
            .option("received", .time, "when it was received (default now)"),
            .option("ref", .text, "their reference, e.g. the number of their letter"),
            .option("incident", .text, "an incident it concerns", valueName: "ID"),
            .option("window", .text, "a maintenance window it concerns", valueName: "MW"),
        ], details: "The response deadline is policy feedback.response_within (default 5 working days after receipt)."),
        CommandSpec("feedback.list", "List feedback", roles: .everyone, audit: .none, arguments: [
            .flag("open", "only feedback not yet responded to or closed"),
            .flag("overdue", "only feedback past its response deadline"),
            .option("category", .choice(Feedback.categories), "only this category"),
            .option("from-agency", .text, "only feedback whose sender contains this text", valueName: "TEXT"),
        ]),
        CommandSpec("feedback.show", "Show one piece of feedback", roles: .everyone, audit: .none, arguments: [id("FB-2026-0113")]),
        CommandSpec("feedback.respond", "Record the answer given", roles: recorders, audit: .changes, arguments: [
            id("FB-2026-0113"), .option("response", .text, "what was answered", required: true),
        ]),
        CommandSpec("feedback.close", "Close feedback (answered, or nothing more to do)", roles: recorders, audit: .changes, arguments: [id("FB-2026-0113")]),
        CommandSpec("feedback.import", "Import feedback from a CSV file, all or nothing", roles: recorders, audit: .changes, arguments: [
            .positional("file", .file, "UTF-8 CSV with a header row", valueName: "FILE.csv"),
        ], details: "Columns: from,channel,category,summary[,detail][,received][,ref][,recipient].\nEvery invalid row is reported with its line number; if any row is invalid, nothing is imported."),
        CommandSpec("feedback.stats", "Counts by category, channel and agency; time to respond; overdue items", roles: .everyone, audit: .none, arguments: [
            .option("from", .time, "feedback received from"),
            .option("to", .time, "feedback received before"),
        ]),
        CommandSpec("recommendation.add", "Record a recommendation with an owner and a due date", roles: recorders, audit: .changes, arguments: [
            .option("title", .text, "what should change", required: true),
            .option("source", .text, "incident:ID, feedback:ID, backup:ID, review or security-assessment", required: true, valueName: "SOURCE"),
            .option("owner", .key, "the user who answers for it", required: true, valueName: "USER"),
            .option("due", .date, "when it should be done", required: true),
            .option("priority", .choice(["high", "medium", "low"]), "default medium"),
        ]),
        CommandSpec("recommendation.list", "List recommendations", roles: .everyone, audit: .none, arguments: [
            .flag("open", "only open ones"), .flag("overdue", "only open ones past their due date"),
            .option("owner", .key, "only this owner's", valueName: "USER"),
        ]),
        CommandSpec("recommendation.show", "Show a recommendation with its notes", roles: .everyone, audit: .none, arguments: [id("REC-2026-0009")]),
        CommandSpec("recommendation.note", "Add a progress note", roles: recorders, audit: .changes, arguments: [
            id("REC-2026-0009"), .positional("text", .text, "the note", valueName: "TEXT"),
        ]),
        CommandSpec("recommendation.done", "Mark a recommendation done (its owner or a supervisor)", roles: recorders, audit: .changes, arguments: [
            id("REC-2026-0009"), .option("evidence", .text, "what shows it is done", required: true),
        ]),
        CommandSpec("recommendation.reject", "Reject a recommendation (its owner or a supervisor)", roles: recorders, audit: .changes, arguments: [
            id("REC-2026-0009"), .option("reason", .text, "why it will not be done", required: true),
        ]),
        CommandSpec("request.add", "Record a written request from the Office or the Department to fix something", roles: recorders, audit: .changes, arguments: [
            .option("from", .choice(FixRequest.senders), "office (People's Committee Office), dic (Department of Information and Communications) or other", required: true),
            .option("ref", .text, "the number of their written request", required: true),
            .option("received", .time, "when it was received", required: true),
            .option("title", .text, "what they ask", required: true),
            .option("due", .date, "the deadline they set", required: true),
            .option("component", .key, "the component concerned", valueName: "KEY"),
            .option("incident", .text, "an incident it concerns", valueName: "ID"),
        ]),
        CommandSpec("request.list", "List requests", roles: .everyone, audit: .none, arguments: [
            .flag("open", "only open ones"), .flag("overdue", "only open ones past their deadline"),
        ]),
        CommandSpec("request.show", "Show a request", roles: .everyone, audit: .none, arguments: [id("REQ-2026-0004")]),
        CommandSpec("request.done", "Record that a request was fulfilled", roles: recorders, audit: .changes, arguments: [
            id("REQ-2026-0004"),
            .option("resolution", .text, "what was done", required: true),
            .option("window", .text, "the maintenance window that delivered it", valueName: "MW"),
        ]),
    ]
}
