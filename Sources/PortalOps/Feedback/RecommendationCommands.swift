import OpsProtocol

/// Finds recommendations for the `recommendation.*` handlers.
enum RecommendationRecords {
    /// The recommendation named by the `id` argument.
    static func existing(_ context: CommandContext) throws -> Recommendation {
        let ref = try References(context).resolve(try context[FeedbackCommand.recommendationID], prefixes: ["REC"])
        guard let recommendation = try FeedbackStore(context.db).recommendation(ref),
              try !FeedbackCompartment(context).hides(recommendation) else {
            throw OpsError.refused("no recommendation \(ref); see 'opsctl recommendation list'")
        }
        return recommendation
    }

    /// A record just written, read back for the response.
    static func reread(_ context: CommandContext, _ ref: String) throws -> Recommendation {
        guard let recommendation = try FeedbackStore(context.db).recommendation(ref) else {
            throw OpsError.internalError("recommendation \(ref) vanished while being changed")
        }
        return recommendation
    }

    /// Only the owner, a supervisor or an admin closes a recommendation.
    static func closable(_ context: CommandContext) throws -> Recommendation {
        let r = try existing(context)
        guard r.state == .open else { throw OpsError.refused("\(r.ref) is already \(r.state.rawValue)") }
        let user = try context.user
        guard user.name == r.owner || user.role == .supervisor || user.role == .admin else {
            throw OpsError.permission("only \(r.owner) (the owner) or a supervisor may close \(r.ref)")
        }
        return r
    }
}

enum AddRecommendation {
    static let title = Required.named("title", .text, "what should change")
    static let source = Required.named("source", .text,
                                       "incident:ID, feedback:ID, backup:ID, review or security-assessment",
                                       valueName: "SOURCE")
    static let owner = Required.named("owner", .key, "the user who answers for it", valueName: "USER")
    static let due = Required.named("due", .date, "when it should be done")
    static let allowPast = Flag.named("allow-past", "accept a due date already past (recorded as overdue)")
    static let priority = Option.named("priority", .choice(Recommendation.Priority.self), "default medium")
    static let command = Command("recommendation.add", "Record a recommendation with an owner and a due date",
                                 roles: FeedbackCommand.recorders, audit: .changes,
                                 arguments: [title, source, owner, due, allowPast, priority],
                                 details: "A due date already past is refused unless --allow-past.", handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let references = FeedbackReferences(context: context)
        let owner = try context[Self.owner]
        guard let user = try UserStore(context.db).byName(owner), !user.disabled else {
            throw OpsError.refused("no enabled user '\(owner)'; see 'opsctl user list'")
        }
        let source = try references.source(try context[Self.source])
        if try FeedbackCompartment.isSecurity(source: source, in: context) && !user.role.seesSecurityIncidents {
            throw OpsError.refused("\(owner) is \(user.role.rawValue) and may not see security incidents; "
                                   + "give the recommendation to a security, supervisor or admin user")
        }
        let draft = Recommendation(
            id: 0, ref: try Sequences(context.db).nextIdentifier(prefix: "REC", year: context.time.year(context.now)),
            title: try context[title], source: source, owner: user.name,
            dueAt: references.endOfDay(try context[due]), priority: try context[priority] ?? .medium, state: .open,
            evidence: nil, reason: nil, closedAt: nil, closedBy: nil)
        let warnings = try Deadline.checkGiven(draft.dueAt, context, allowPast: context[Self.allowPast])
        let recommendation = try FeedbackStore(context.db).insert(draft, by: context.caller.actorName, now: context.now)
        return Response(message: "Recorded \(recommendation.ref) for \(owner), "
                            + "due by \(Deadline(draft.dueAt, context.time).text)",
                        data: recommendation.json(time: context.time), warnings: warnings)
    }
}

enum ListRecommendations {
    static let open = Flag.named("open", "only open ones")
    static let overdue = Flag.named("overdue", "only open ones past their due date")
    static let owner = Option.named("owner", .key, "only this owner's", valueName: "USER")
    static let period = PeriodFilter(from: "only those due from", to: "only those due before")
    static let command = Command("recommendation.list", "List recommendations", roles: .everyone, audit: .none,
                                 arguments: [open, overdue, owner] + period.arguments, handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let compartment = try FeedbackCompartment(context)
        let window = try period.window(context)
        var items = try FeedbackStore(context.db).recommendations()
            .filter { !compartment.hides($0) && (window?.contains($0.dueAt) ?? true) }
        if context[open] { items = items.filter { $0.state == .open } }
        if context[overdue] { items = items.filter { $0.isOverdue(context.now) } }
        if let owner = try context[Self.owner] { items = items.filter { $0.owner == owner } }
        return Response(message: PeriodFilter.statement(window, context),
                        data: ["recommendations": .array(items.map { $0.json(time: context.time) }),
                               "window": PeriodFilter.json(window, context)],
                        table: .init(columns: ["ID", "PRIORITY", "STATE", "OWNER", "DUE", "SOURCE", "TITLE"], rows: items.map {
                            [$0.ref, $0.priority.rawValue, $0.isOverdue(context.now) ? "OVERDUE" : $0.state.rawValue,
                             $0.owner, Deadline($0.dueAt, context.time).lastDay, $0.source, $0.title]
                        }))
    }
}

enum ShowRecommendation {
    static let command = Command("recommendation.show", "Show a recommendation with its notes", roles: .everyone,
                                 audit: .none, arguments: [FeedbackCommand.recommendationID], handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let r = try RecommendationRecords.existing(context)
        let notes = try FeedbackStore(context.db).notes(r.id)
        var fields = [["recommendation", r.ref], ["title", r.title], ["source", r.source], ["owner", r.owner],
                      ["priority", r.priority.rawValue],
                      ["due", Deadline(r.dueAt, context.time).text + (r.isOverdue(context.now) ? " — OVERDUE" : "")],
                      ["state", r.state.rawValue]]
        if let evidence = r.evidence { fields.append(["evidence", evidence]) }
        if let reason = r.reason { fields.append(["rejected because", reason]) }
        if let closed = r.closedAt { fields.append(["closed", "\(context.time.format(closed)) by \(r.closedBy ?? "-")"]) }
        return Response(data: r.json(time: context.time).merging(["notes": .array(notes.map {
                            ["at": .string(context.time.iso8601($0.at)), "actor": .string($0.actor), "text": .string($0.text)] })]),
                        fields: fields,
                        table: notes.isEmpty ? nil : .init(columns: ["TIME", "WHO", "NOTE"], rows: notes.map { [context.time.format($0.at), $0.actor, $0.text] }))
    }
}

enum NoteRecommendation {
    static let text = Required.positional("text", .multilineText, "the note", valueName: "TEXT")
    static let command = Command("recommendation.note", "Add a progress note", roles: FeedbackCommand.recorders,
                                 audit: .changes, arguments: [FeedbackCommand.recommendationID, text], handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let r = try RecommendationRecords.existing(context)
        try FeedbackStore(context.db).note(r.id, text: try context[text], by: context.caller.actorName,
                                           now: context.now)
        return Response(message: "Added a note to \(r.ref)", data: ["recommendation": .string(r.ref)])
    }
}

enum FinishRecommendation {
    static let evidence = Required.named("evidence", .text, "what shows it is done")
    static let command = Command("recommendation.done", "Mark a recommendation done (its owner or a supervisor)",
                                 roles: FeedbackCommand.recorders, audit: .changes,
                                 arguments: [FeedbackCommand.recommendationID, evidence], handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let r = try RecommendationRecords.closable(context)
        try FeedbackStore(context.db).finish(r.ref, state: .done, evidence: try context[evidence], reason: nil,
                                             by: context.caller.actorName, now: context.now)
        return Response(message: "\(r.ref) is done",
                        data: try RecommendationRecords.reread(context, r.ref).json(time: context.time))
    }
}

enum RejectRecommendation {
    static let reason = Required.named("reason", .text, "why it will not be done")
    static let command = Command("recommendation.reject", "Reject a recommendation (its owner or a supervisor)",
                                 roles: FeedbackCommand.recorders, audit: .changes,
                                 arguments: [FeedbackCommand.recommendationID, reason], handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let r = try RecommendationRecords.closable(context)
        try FeedbackStore(context.db).finish(r.ref, state: .rejected, evidence: nil, reason: try context[reason],
                                             by: context.caller.actorName, now: context.now)
        return Response(message: "\(r.ref) is rejected",
                        data: try RecommendationRecords.reread(context, r.ref).json(time: context.time))
    }
}
