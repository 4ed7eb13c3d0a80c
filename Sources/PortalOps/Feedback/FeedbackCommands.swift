import OpsProtocol
import Foundation

/// Handlers of the `feedback.*` commands.
enum FeedbackCommands {
    static let handlers: [String: CommandHandler] = [
        "feedback.add": add,
        "feedback.list": list,
        "feedback.show": show,
        "feedback.respond": respond,
        "feedback.close": close,
        "feedback.import": importCSV,
        "feedback.stats": FeedbackStats.stats,
    ]

    /// The response deadline for feedback received at `received`.
    static func deadline(_ context: CommandContext, received: Int64) throws -> Int64 {
        let value = try PolicyStore(context.db).value(PolicyDefinition.named("feedback.response_within")!)
        switch try DurationText.parse(value) {
        case .workingDays(let days): return try HolidayStore(context.db).calendar(time: context.time).deadline(from: received, workingDays: days)
        case .milliseconds(let ms): return received + ms
        }
    }

    static func make(_ context: CommandContext, from: String, recipient: String?, channel: String, category: String, summary: String,
                     detail: String?, received: Int64, theirRef: String?, incident: String?, window: String?) throws -> Feedback {
        let references = FeedbackReferences(context: context)
        guard received <= context.now else { throw OpsError.usage("the time received is in the future") }
        return Feedback(id: 0, ref: try Sequences(context.db).nextIdentifier(prefix: "FB", year: context.time.year(context.now)),
                        from: from, recipient: try references.recipient(recipient), channel: channel, category: category,
                        summary: summary, detail: detail, receivedAt: received, theirRef: theirRef,
                        incident: try references.incident(incident), window: try references.window(window),
                        dueAt: try deadline(context, received: received), respondedAt: nil, response: nil, closedAt: nil)
    }

    static func add(_ context: CommandContext) throws -> Response {
        let args = context.arguments
        let draft = try make(context, from: try args.required("from"), recipient: args.text("recipient"), channel: try args.required("channel"),
                             category: try args.required("category"), summary: try args.required("summary"), detail: args.text("detail"),
                             received: args.time("received") ?? context.now, theirRef: args.text("ref"), incident: args.text("incident"),
                             window: args.text("window"))
        let feedback = try FeedbackStore(context.db).insert(draft, by: context.caller.actorName, now: context.now)
        return Response(message: "Recorded \(feedback.ref) from \(feedback.from); respond by \(context.time.format(feedback.dueAt))",
                        data: feedback.json(time: context.time))
    }

    static func existing(_ context: CommandContext) throws -> Feedback {
        let ref = try context.arguments.required("id").uppercased()
        guard let feedback = try FeedbackStore(context.db).feedback(ref) else { throw OpsError.refused("no feedback \(ref); see 'opsctl feedback list'") }
        return feedback
    }

    static func list(_ context: CommandContext) throws -> Response {
        let args = context.arguments
        var items = try FeedbackStore(context.db).allFeedback()
        if args.flag("open") { items = items.filter { $0.respondedAt == nil && $0.closedAt == nil } }
        if args.flag("overdue") { items = items.filter { $0.isOverdue(context.now) } }
        if let category = args.text("category") { items = items.filter { $0.category == category } }
        if let agency = args.text("from-agency") { items = items.filter { $0.from.localizedCaseInsensitiveContains(agency) } }
        return Response(data: ["feedback": .array(items.map { $0.json(time: context.time) })],
                        table: .init(columns: ["ID", "RECEIVED", "FROM", "CATEGORY", "STATE", "DUE", "SUMMARY"], rows: items.map {
                            [$0.ref, context.time.format($0.receivedAt), $0.from, $0.category,
                             $0.closedAt != nil ? "closed" : $0.respondedAt != nil ? "responded" : ($0.isOverdue(context.now) ? "OVERDUE" : "open"),
                             context.time.format($0.dueAt), $0.summary]
                        }))
    }

    static func show(_ context: CommandContext) throws -> Response {
        let f = try existing(context)
        let time = context.time
        var fields = [["feedback", f.ref], ["from", f.from + (f.recipient.map { " (\($0))" } ?? "")], ["channel", f.channel],
                      ["category", f.category], ["summary", f.summary], ["received", time.format(f.receivedAt)],
                      ["respond by", time.format(f.dueAt) + (f.isOverdue(context.now) ? " — OVERDUE" : "")]]
        if let detail = f.detail { fields.append(["detail", detail]) }
        if let ref = f.theirRef { fields.append(["their reference", ref]) }
        if let incident = f.incident { fields.append(["incident", incident]) }
        if let window = f.window { fields.append(["window", window]) }
        if let response = f.response { fields.append(["response", "\(response) (\(time.format(f.respondedAt!)))"]) }
        if let closed = f.closedAt { fields.append(["closed", time.format(closed)]) }
        let recommendations = try FeedbackStore(context.db).recommendations(source: "feedback:\(f.ref)")
        if !recommendations.isEmpty { fields.append(["recommendations", recommendations.map { "\($0.ref) \($0.state)" }.joined(separator: ", ")]) }
        return Response(data: f.json(time: time).merging(["recommendations": .array(recommendations.map { .string($0.ref) })]), fields: fields)
    }

    static func respond(_ context: CommandContext) throws -> Response {
        let f = try existing(context)
        guard f.closedAt == nil else { throw OpsError.refused("\(f.ref) is closed") }
        try FeedbackStore(context.db).respond(f.ref, response: try context.arguments.required("response"), by: context.caller.actorName, now: context.now)
        let late = context.now > f.dueAt
        return Response(message: "Recorded the response to \(f.ref)\(late ? " (after its deadline, \(context.time.format(f.dueAt)))" : "")",
                        data: try FeedbackStore(context.db).feedback(f.ref)!.json(time: context.time))
    }

    static func close(_ context: CommandContext) throws -> Response {
        let f = try existing(context)
        guard f.closedAt == nil else { throw OpsError.refused("\(f.ref) is already closed") }
        try FeedbackStore(context.db).close(f.ref, now: context.now)
        return Response(message: "Closed \(f.ref)", data: try FeedbackStore(context.db).feedback(f.ref)!.json(time: context.time),
                        warnings: f.respondedAt == nil ? ["\(f.ref) was closed without a recorded response"] : [])
    }

    static func importCSV(_ context: CommandContext) throws -> Response {
        let columns = ["from", "channel", "category", "summary", "detail", "received", "ref", "recipient"]
        var (rows, problems) = try CSV.namedRows(try context.arguments.required("file"), columns: columns,
                                                 required: ["from", "channel", "category", "summary"])
        var added: [Feedback] = []
        let store = FeedbackStore(context.db)
        for named in rows {
            let row = named.values
            do {
                guard let from = row["from"], let summary = row["summary"] else { throw OpsError.usage("from and summary must not be empty") }
                guard let channel = row["channel"], Feedback.channels.contains(channel) else {
                    throw OpsError.usage("channel '\(row["channel"] ?? "")' is not one of \(Feedback.channels.joined(separator: ", "))")
                }
                guard let category = row["category"], Feedback.categories.contains(category) else {
                    throw OpsError.usage("category '\(row["category"] ?? "")' is not one of \(Feedback.categories.joined(separator: ", "))")
                }
                var received = context.now
                if let text = row["received"] {
                    do { received = try context.time.parseTime(text) } catch { throw OpsError.usage("\(error)") }
                }
                let draft = try make(context, from: from, recipient: row["recipient"], channel: channel, category: category, summary: summary,
                                     detail: row["detail"], received: received, theirRef: row["ref"], incident: nil, window: nil)
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
