import OpsProtocol
import Foundation

/// What the feedback, recommendation and request commands share: who may
/// record them, and the identifier argument of each kind of record.
enum FeedbackCommand {
    /// Who may record and answer (viewers and auditors only read).
    static let recorders: Set<Role> = [.operator, .security, .supervisor, .admin]
    static let feedbackID = id("FB-2026-0113")
    static let recommendationID = id("REC-2026-0009")
    static let requestID = id("REQ-2026-0004")

    private static func id(_ example: String) -> Required<String> {
        .positional("id", .text, "e.g. \(example)", valueName: "ID")
    }
}

/// Builds and finds feedback records for the `feedback.*` handlers.
enum FeedbackRecords {
    /// The response deadline for feedback received at `received`.
    static func deadline(_ context: CommandContext, received: Int64) throws -> Int64 {
        let value = try PolicyStore(context.db).value(PolicyDefinition.feedbackResponseWithin)
        switch try DurationText.parse(value) {
        case .workingDays(let days):
            return try HolidayStore(context.db).calendar(time: context.time).deadline(from: received, workingDays: days)
        case .milliseconds(let ms): return received + ms
        }
    }

    static func make(_ context: CommandContext, from: String, recipient: String?, email: String? = nil,
                     channel: Feedback.Channel, category: Feedback.Category, summary: String, detail: String?,
                     received: Int64, theirRef: String?, incident: String?, window: String?) throws -> Feedback {
        let references = FeedbackReferences(context: context)
        guard received <= context.now else { throw OpsError.usage("the time received is in the future") }
        if let recipient, email != nil {
            // A recipient is answered at its own addresses; a second address would split the answer.
            throw OpsError.usage("give --recipient or --email, not both: \(recipient) is answered at its own addresses")
        }
        let ref = try Sequences(context.db).nextIdentifier(prefix: "FB", year: context.time.year(context.now))
        var feedback = Feedback(id: 0, ref: ref,
                        from: from, recipient: try references.recipient(recipient), channel: channel.rawValue,
                        category: category.rawValue, summary: summary, detail: detail, receivedAt: received,
                        theirRef: theirRef, incident: try references.incident(incident),
                        window: try references.window(window),
                        dueAt: try deadline(context, received: received), respondedAt: nil, response: nil, closedAt: nil)
        feedback.replyEmail = email
        return feedback
    }

    /// The feedback named by the `id` argument.
    static func existing(_ context: CommandContext) throws -> Feedback {
        let ref = try References(context).resolve(try context[FeedbackCommand.feedbackID], prefixes: ["FB"])
        guard let feedback = try FeedbackStore(context.db).feedback(ref),
              try !FeedbackCompartment(context).hides(feedback) else {
            throw OpsError.refused("no feedback \(ref); see 'opsctl feedback list'")
        }
        return feedback
    }

    /// A record just written, read back for the response.
    static func reread(_ context: CommandContext, _ ref: String) throws -> Feedback {
        guard let feedback = try FeedbackStore(context.db).feedback(ref) else {
            throw OpsError.internalError("feedback \(ref) vanished while being changed")
        }
        return feedback
    }
}

enum AddFeedback {
    static let from = Required.named("from", .text, "who, as they named themselves, e.g. 'Sở Tư pháp tỉnh Lào Cai'")
    static let recipient = Option.named("recipient", .key, "the matching recipient, if any", valueName: "KEY")
    static let email = Option.named("email", .email, "the sender's e-mail address, where the answer goes when they "
                                    + "are not a recipient", valueName: "ADDRESS")
    static let channel = Required.named("channel", .choice(Feedback.Channel.self), "how it came")
    static let category = Required.named("category", .choice(Feedback.Category.self), "what it is about")
    static let summary = Required.named("summary", .text, "in a line")
    static let detail = Option.named("detail", .multilineText, "the full text")
    static let received = Option.named("received", .time, "when it was received (default now)")
    static let ref = Option.named("ref", .text, "their reference, e.g. the number of their letter")
    static let incident = Option.named("incident", .text, "an incident it concerns", valueName: "ID")
    static let window = Option.named("window", .text, "a maintenance window it concerns", valueName: "MW")
    static let command = Command(
        "feedback.add", "Record feedback from an agency, organisation or citizen", roles: FeedbackCommand.recorders,
        audit: .changes,
        arguments: [from, recipient, email, channel, category, summary, detail, received, ref, incident, window],
        details: "The response deadline is policy feedback.response_within (default 5 working days after receipt).",
        handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let draft = try FeedbackRecords.make(
            context, from: try context[from], recipient: try context[recipient], email: try context[email],
            channel: try context[channel],
            category: try context[category], summary: try context[summary], detail: try context[detail],
            received: try context[received]?.milliseconds ?? context.now, theirRef: try context[ref],
            incident: try context[incident], window: try context[window])
        let feedback = try FeedbackStore(context.db).insert(draft, by: context.caller.actorName, now: context.now)
        let due = Deadline(feedback.dueAt, context.time).text
        return Response(message: "Recorded \(feedback.ref) from \(feedback.from); respond by \(due)",
                        data: feedback.json(time: context.time))
    }
}

enum ListFeedback {
    static let open = Flag.named("open", "only feedback not yet responded to or closed")
    static let overdue = Flag.named("overdue", "only feedback past its response deadline")
    static let category = Option.named("category", .choice(Feedback.Category.self), "only this category")
    static let fromAgency = Option.named("from-agency", .text, "only feedback whose sender contains this text",
                                         valueName: "TEXT")
    static let period = PeriodFilter(from: "only feedback received from", to: "only feedback received before")
    static let command = Command("feedback.list", "List feedback", roles: .everyone, audit: .none,
                                 arguments: [open, overdue, category, fromAgency] + period.arguments, handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let compartment = try FeedbackCompartment(context)
        let window = try period.window(context)
        var items = try FeedbackStore(context.db).allFeedback()
            .filter { !compartment.hides($0) && (window?.contains($0.receivedAt) ?? true) }
        if context[open] { items = items.filter { $0.respondedAt == nil && $0.closedAt == nil } }
        if context[overdue] { items = items.filter { $0.isOverdue(context.now) } }
        if let category = try context[Self.category] { items = items.filter { $0.category == category.rawValue } }
        if let agency = try context[fromAgency] {
            items = items.filter { $0.from.localizedCaseInsensitiveContains(agency) }
        }
        return Response(message: PeriodFilter.statement(window, context),
                        data: ["feedback": .array(items.map { $0.json(time: context.time) }),
                               "window": PeriodFilter.json(window, context)],
                        table: .init(columns: ["ID", "RECEIVED", "FROM", "CATEGORY", "STATE", "DUE", "SUMMARY"], rows: items.map {
                            [$0.ref, context.time.format($0.receivedAt), $0.from, $0.category,
                             $0.closedAt != nil ? "closed" : $0.respondedAt != nil ? "responded" : ($0.isOverdue(context.now) ? "OVERDUE" : "open"),
                             Deadline($0.dueAt, context.time).lastDay, $0.summary]
                        }))
    }
}

enum ShowFeedback {
    static let command = Command("feedback.show", "Show one piece of feedback", roles: .everyone, audit: .none,
                                 arguments: [FeedbackCommand.feedbackID], handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let f = try FeedbackRecords.existing(context)
        let time = context.time
        let sender = f.from + (f.recipient.map { " (\($0))" } ?? f.replyEmail.map { " <\($0)>" } ?? "")
        var fields = [["feedback", f.ref], ["from", sender], ["channel", f.channel],
                      ["category", f.category], ["summary", f.summary], ["received", time.format(f.receivedAt)],
                      ["respond by", Deadline(f.dueAt, time).text + (f.isOverdue(context.now) ? " — OVERDUE" : "")]]
        if let detail = f.detail { fields.append(["detail", detail]) }
        if let ref = f.theirRef { fields.append(["their reference", ref]) }
        if let incident = f.incident { fields.append(["incident", incident]) }
        if let window = f.window { fields.append(["window", window]) }
        if let response = f.response {
            fields.append(["response", response + (f.respondedAt.map { " (\(time.format($0)))" } ?? "")])
        }
        let answers = try FeedbackAnswer.deliveries(f.ref, context)
        if !answers.isEmpty {
            fields.append(["answer sent", answers.map {
                "delivery \($0.id) to \($0.recipient) (\($0.channel.rawValue) "
                    + "\(Redaction.shown($0.address, to: context.caller))): \($0.state.rawValue)"
            }.joined(separator: "; ")])
        }
        if let closed = f.closedAt { fields.append(["closed", time.format(closed)]) }
        let compartment = try FeedbackCompartment(context)
        let recommendations = try FeedbackStore(context.db).recommendations(source: "feedback:\(f.ref)")
            .filter { !compartment.hides($0) }
        if !recommendations.isEmpty {
            fields.append(["recommendations",
                           recommendations.map { "\($0.ref) \($0.state.rawValue)" }.joined(separator: ", ")])
        }
        return Response(data: f.json(time: time).merging([
                            "recommendations": .array(recommendations.map { .string($0.ref) }),
                            "answer_deliveries": .array(answers.map { $0.json(time: time, shownTo: context.caller) }),
                        ]), fields: fields)
    }
}

enum RespondToFeedback {
    static let response = Required.named("response", .text, "what was answered")
    static let command = Command("feedback.respond", "Record the answer and send it to the sender",
                                 roles: FeedbackCommand.recorders, audit: .changes,
                                 arguments: [FeedbackCommand.feedbackID, response], details: """
                                     Feedback from a recipient (--recipient on 'feedback add') or with the \
                                     sender's address (--email) gets the answer through the outbox, in Vietnamese, \
                                     citing its FB-… reference; \
                                     'feedback show' gives the delivery and its state.
                                     """, handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let f = try FeedbackRecords.existing(context)
        guard f.closedAt == nil else { throw OpsError.refused("\(f.ref) is closed") }
        let answer = try context[response]
        try FeedbackStore(context.db).respond(f.ref, response: answer, by: context.caller.actorName,
                                              now: context.now)
        let sent: String
        switch try FeedbackAnswer.send(f, response: answer, context) {
        case .sent(let recipient, let count):
            sent = "; sent to \(recipient) (\(count) \(count == 1 ? "delivery" : "deliveries"): "
                + "see 'opsctl feedback show \(f.ref)')"
        case .notSent(let why): sent = "; not sent: \(why)"
        }
        let late = context.now > f.dueAt
        let lateText = late ? " (after its deadline, \(Deadline(f.dueAt, context.time).text))" : ""
        return Response(message: "Recorded the response to \(f.ref)\(lateText)\(sent)",
                        data: try FeedbackRecords.reread(context, f.ref).json(time: context.time))
    }
}

enum CloseFeedback {
    static let command = Command("feedback.close", "Close feedback (answered, or nothing more to do)",
                                 roles: FeedbackCommand.recorders, audit: .changes,
                                 arguments: [FeedbackCommand.feedbackID], handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let f = try FeedbackRecords.existing(context)
        guard f.closedAt == nil else { throw OpsError.refused("\(f.ref) is already closed") }
        try FeedbackStore(context.db).close(f.ref, now: context.now)
        return Response(message: "Closed \(f.ref)",
                        data: try FeedbackRecords.reread(context, f.ref).json(time: context.time),
                        warnings: f.respondedAt == nil ? ["\(f.ref) was closed without a recorded response"] : [])
    }
}

enum ImportFeedback {
    static let file = Required.positional("file", .file, "UTF-8 CSV with a header row", valueName: "FILE.csv")
    static let command = Command(
        "feedback.import", "Import feedback from a CSV file, all or nothing", roles: FeedbackCommand.recorders,
        audit: .changes, arguments: [file],
        details: """
            Columns: from,channel,category,summary[,detail][,received][,ref][,recipient][,email].
            Every invalid row is reported with its line number; if any row is invalid, nothing is imported.
            """,
        handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let columns = ["from", "channel", "category", "summary", "detail", "received", "ref", "recipient", "email"]
        var (rows, problems) = try CSV.namedRows(try context[file], columns: columns,
                                                 required: ["from", "channel", "category", "summary"])
        let channels = Feedback.Channel.allCases.map(\.rawValue)
        let categories = Feedback.Category.allCases.map(\.rawValue)
        var added: [Feedback] = []
        let store = FeedbackStore(context.db)
        for named in rows {
            let row = named.values
            do {
                guard let from = row["from"], let summary = row["summary"] else { throw OpsError.usage("from and summary must not be empty") }
                guard let channel = row["channel"].flatMap(Feedback.Channel.init(rawValue:)) else {
                    throw OpsError.usage(
                        "channel '\(row["channel"] ?? "")' is not one of \(channels.joined(separator: ", "))")
                }
                guard let category = row["category"].flatMap(Feedback.Category.init(rawValue:)) else {
                    throw OpsError.usage(
                        "category '\(row["category"] ?? "")' is not one of \(categories.joined(separator: ", "))")
                }
                var received = context.now
                if let text = row["received"] {
                    do { received = try context.time.parseTime(text) } catch { throw OpsError.usage("\(error)") }
                }
                let draft = try FeedbackRecords.make(
                    context, from: from, recipient: row["recipient"], email: try row["email"].map(Addresses.checkEmail),
                    channel: channel, category: category,
                    summary: summary, detail: row["detail"], received: received, theirRef: row["ref"], incident: nil,
                    window: nil)
                added.append(try store.insert(draft, by: context.caller.actorName, now: context.now))
            } catch let error as OpsError {
                problems.append("line \(named.line): \(error.message)")
            }
        }
        // Any bad row: throwing rolls back the rows already inserted.
        if !problems.isEmpty { throw OpsError.usage("nothing imported; \(problems.count) invalid row(s): " + problems.joined(separator: "; ")) }
        return Response(message: "Imported \(added.count) feedback records: \(added.first?.ref ?? "-") to \(added.last?.ref ?? "-")",
                        data: ["imported": .array(added.map { .string($0.ref) })])
    }
}

enum FeedbackStatistics {
    static let period = PeriodFilter(from: "feedback received from", to: "feedback received before")
    static let command = Command(
        "feedback.stats", "Counts by category, channel and agency; time to respond; overdue items", roles: .everyone,
        audit: .none, arguments: period.arguments, handler: FeedbackStats.stats)
}
