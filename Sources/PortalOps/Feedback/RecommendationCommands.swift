import OpsProtocol
/// Handlers of the `recommendation.*` and `request.*` commands.
enum RecommendationCommands {
    static let handlers: [String: CommandHandler] = [
        "recommendation.add": add,
        "recommendation.list": list,
        "recommendation.show": show,
        "recommendation.note": note,
        "recommendation.done": done,
        "recommendation.reject": reject,
        "request.add": RequestCommands.add,
        "request.list": RequestCommands.list,
        "request.show": RequestCommands.show,
        "request.done": RequestCommands.done,
    ]

    static func add(_ context: CommandContext) throws -> Response {
        let args = context.arguments
        let references = FeedbackReferences(context: context)
        let owner = try args.required("owner")
        guard let user = try UserStore(context.db).byName(owner), !user.disabled else {
            throw OpsError.refused("no enabled user '\(owner)'; see 'opsctl user list'")
        }
        let draft = Recommendation(id: 0, ref: try Sequences(context.db).nextIdentifier(prefix: "REC", year: context.time.year(context.now)),
                                   title: try args.required("title"), source: try references.source(try args.required("source")),
                                   owner: user.name, dueAt: try references.endOfDay("due"), priority: args.text("priority") ?? "medium",
                                   state: "open", evidence: nil, reason: nil, closedAt: nil, closedBy: nil)
        let recommendation = try FeedbackStore(context.db).insert(draft, by: context.caller.actorName, now: context.now)
        return Response(message: "Recorded \(recommendation.ref) for \(owner), due \(context.time.dateText(draft.dueAt - 1))",
                        data: recommendation.json(time: context.time))
    }

    static func existing(_ context: CommandContext) throws -> Recommendation {
        let ref = try context.arguments.required("id").uppercased()
        guard let recommendation = try FeedbackStore(context.db).recommendation(ref) else {
            throw OpsError.refused("no recommendation \(ref); see 'opsctl recommendation list'")
        }
        return recommendation
    }

    static func list(_ context: CommandContext) throws -> Response {
        let args = context.arguments
        var items = try FeedbackStore(context.db).recommendations()
        if args.flag("open") { items = items.filter { $0.state == "open" } }
        if args.flag("overdue") { items = items.filter { $0.isOverdue(context.now) } }
        if let owner = args.text("owner") { items = items.filter { $0.owner == owner } }
        return Response(data: ["recommendations": .array(items.map { $0.json(time: context.time) })],
                        table: .init(columns: ["ID", "PRIORITY", "STATE", "OWNER", "DUE", "SOURCE", "TITLE"], rows: items.map {
                            [$0.ref, $0.priority, $0.isOverdue(context.now) ? "OVERDUE" : $0.state, $0.owner,
                             context.time.dateText($0.dueAt - 1), $0.source, $0.title]
                        }))
    }

    static func show(_ context: CommandContext) throws -> Response {
        let r = try existing(context)
        let notes = try FeedbackStore(context.db).notes(r.id)
        var fields = [["recommendation", r.ref], ["title", r.title], ["source", r.source], ["owner", r.owner], ["priority", r.priority],
                      ["due", context.time.dateText(r.dueAt - 1) + (r.isOverdue(context.now) ? " — OVERDUE" : "")], ["state", r.state]]
        if let evidence = r.evidence { fields.append(["evidence", evidence]) }
        if let reason = r.reason { fields.append(["rejected because", reason]) }
        if let closed = r.closedAt { fields.append(["closed", "\(context.time.format(closed)) by \(r.closedBy ?? "-")"]) }
        return Response(data: r.json(time: context.time).merging(["notes": .array(notes.map {
                            ["at": .string(context.time.iso8601($0.at)), "actor": .string($0.actor), "text": .string($0.text)] })]),
                        fields: fields,
                        table: notes.isEmpty ? nil : .init(columns: ["TIME", "WHO", "NOTE"], rows: notes.map { [context.time.format($0.at), $0.actor, $0.text] }))
    }

    static func note(_ context: CommandContext) throws -> Response {
        let r = try existing(context)
        try FeedbackStore(context.db).note(r.id, text: try context.arguments.required("text"), by: context.caller.actorName, now: context.now)
        return Response(message: "Added a note to \(r.ref)", data: ["recommendation": .string(r.ref)])
    }

    /// Only the owner, a supervisor or an admin closes a recommendation.
    private static func closable(_ context: CommandContext) throws -> Recommendation {
        let r = try existing(context)
        guard r.state == "open" else { throw OpsError.refused("\(r.ref) is already \(r.state)") }
        let user = try context.user
        guard user.name == r.owner || user.role == .supervisor || user.role == .admin else {
            throw OpsError.permission("only \(r.owner) (the owner) or a supervisor may close \(r.ref)")
        }
        return r
    }

    static func done(_ context: CommandContext) throws -> Response {
        let r = try closable(context)
        try FeedbackStore(context.db).finish(r.ref, state: "done", evidence: try context.arguments.required("evidence"), reason: nil,
                                             by: context.caller.actorName, now: context.now)
        return Response(message: "\(r.ref) is done", data: try FeedbackStore(context.db).recommendation(r.ref)!.json(time: context.time))
    }

    static func reject(_ context: CommandContext) throws -> Response {
        let r = try closable(context)
        try FeedbackStore(context.db).finish(r.ref, state: "rejected", evidence: nil, reason: try context.arguments.required("reason"),
                                             by: context.caller.actorName, now: context.now)
        return Response(message: "\(r.ref) is rejected", data: try FeedbackStore(context.db).recommendation(r.ref)!.json(time: context.time))
    }
}

enum RequestCommands {
    static func add(_ context: CommandContext) throws -> Response {
        let args = context.arguments
        let references = FeedbackReferences(context: context)
        guard let received = args.time("received") else { throw OpsError.usage("missing --received") }
        guard received <= context.now else { throw OpsError.usage("--received is in the future") }
        if let key = args.text("component") { _ = try ComponentStore(context.db).requireAll([key]) }
        let draft = FixRequest(id: 0, ref: try Sequences(context.db).nextIdentifier(prefix: "REQ", year: context.time.year(context.now)),
                               from: try args.required("from"), theirRef: try args.required("ref"), receivedAt: received,
                               title: try args.required("title"), dueAt: try references.endOfDay("due"), component: args.text("component"),
                               incident: try references.incident(args.text("incident")), state: "open", resolution: nil, window: nil, doneAt: nil)
        let request = try FeedbackStore(context.db).insert(draft, by: context.caller.actorName, now: context.now)
        return Response(message: "Recorded \(request.ref) (\(request.from) \(request.theirRef)), due \(context.time.dateText(request.dueAt - 1))",
                        data: request.json(time: context.time))
    }

    static func existing(_ context: CommandContext) throws -> FixRequest {
        let ref = try context.arguments.required("id").uppercased()
        guard let request = try FeedbackStore(context.db).request(ref) else { throw OpsError.refused("no request \(ref); see 'opsctl request list'") }
        return request
    }

    static func list(_ context: CommandContext) throws -> Response {
        var items = try FeedbackStore(context.db).requests()
        if context.arguments.flag("open") { items = items.filter { $0.state == "open" } }
        if context.arguments.flag("overdue") { items = items.filter { $0.isOverdue(context.now) } }
        return Response(data: ["requests": .array(items.map { $0.json(time: context.time) })],
                        table: .init(columns: ["ID", "FROM", "THEIR REF", "STATE", "DUE", "TITLE"], rows: items.map {
                            [$0.ref, $0.from, $0.theirRef, $0.isOverdue(context.now) ? "OVERDUE" : $0.state, context.time.dateText($0.dueAt - 1), $0.title]
                        }))
    }

    static func show(_ context: CommandContext) throws -> Response {
        let q = try existing(context)
        var fields = [["request", q.ref], ["from", q.from], ["their reference", q.theirRef], ["received", context.time.format(q.receivedAt)],
                      ["title", q.title], ["due", context.time.dateText(q.dueAt - 1) + (q.isOverdue(context.now) ? " — OVERDUE" : "")],
                      ["state", q.state]]
        if let component = q.component { fields.append(["component", component]) }
        if let incident = q.incident { fields.append(["incident", incident]) }
        if let resolution = q.resolution { fields.append(["resolution", resolution]) }
        if let window = q.window { fields.append(["window", window]) }
        return Response(data: q.json(time: context.time), fields: fields)
    }

    static func done(_ context: CommandContext) throws -> Response {
        let q = try existing(context)
        guard q.state == "open" else { throw OpsError.refused("\(q.ref) is already done") }
        let window = try FeedbackReferences(context: context).window(context.arguments.text("window"))
        try FeedbackStore(context.db).complete(q.ref, resolution: try context.arguments.required("resolution"), window: window,
                                               by: context.caller.actorName, now: context.now)
        let late = context.now >= q.dueAt
        return Response(message: "\(q.ref) is done\(late ? " (after its deadline)" : "")",
                        data: try FeedbackStore(context.db).request(q.ref)!.json(time: context.time))
    }
}
