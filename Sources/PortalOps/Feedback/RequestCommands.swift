import OpsProtocol

/// Finds requests for the `request.*` handlers.
enum RequestRecords {
    /// The request named by the `id` argument.
    static func existing(_ context: CommandContext) throws -> FixRequest {
        let ref = try References(context).resolve(try context[FeedbackCommand.requestID], prefixes: ["REQ"])
        guard let request = try FeedbackStore(context.db).request(ref),
              try !FeedbackCompartment(context).hides(request) else {
            throw OpsError.refused("no request \(ref); see 'opsctl request list'")
        }
        return request
    }
}

enum AddRequest {
    static let from = Required.named(
        "from", .choice(FixRequest.Sender.self),
        "office (People's Committee Office), dic (Department of Information and Communications) or other")
    static let ref = Required.named("ref", .text, "the number of their written request")
    static let received = Required.named("received", .time, "when it was received")
    static let title = Required.named("title", .text, "what they ask")
    static let due = Required.named("due", .date, "the deadline they set")
    static let allowPast = Flag.named("allow-past", "accept a deadline already past (recorded as overdue)")
    static let component = Option.named("component", .key, "the component concerned", valueName: "KEY")
    static let incident = Option.named("incident", .text, "an incident it concerns", valueName: "ID")
    static let command = Command(
        "request.add", "Record a written request from the Office or the Department to fix something",
        roles: FeedbackCommand.recorders, audit: .changes,
        arguments: [from, ref, received, title, due, allowPast, component, incident],
        details: "A deadline already past is refused unless --allow-past.", handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let references = FeedbackReferences(context: context)
        let received = try context[Self.received].milliseconds
        guard received <= context.now else { throw OpsError.usage("--received is in the future") }
        let component = try context[Self.component]
        if let key = component { _ = try ComponentStore(context.db).requireAll([key]) }
        let draft = FixRequest(
            id: 0, ref: try Sequences(context.db).nextIdentifier(prefix: "REQ", year: context.time.year(context.now)),
            from: try context[from].rawValue, theirRef: try context[ref], receivedAt: received,
            title: try context[title],
            dueAt: references.endOfDay(try context[due]), component: component,
            incident: try references.incident(try context[incident]), state: .open, resolution: nil, window: nil,
            doneAt: nil)
        let warnings = try Deadline.checkGiven(draft.dueAt, context, allowPast: context[Self.allowPast])
        let request = try FeedbackStore(context.db).insert(draft, by: context.caller.actorName, now: context.now)
        let due = Deadline(request.dueAt, context.time).text
        return Response(message: "Recorded \(request.ref) (\(request.from) \(request.theirRef)), due by \(due)",
                        data: request.json(time: context.time), warnings: warnings)
    }
}

enum ListRequests {
    static let open = Flag.named("open", "only open ones")
    static let overdue = Flag.named("overdue", "only open ones past their deadline")
    static let period = PeriodFilter(from: "only requests received from", to: "only requests received before")
    static let command = Command("request.list", "List requests", roles: .everyone, audit: .none,
                                 arguments: [open, overdue] + period.arguments, handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let compartment = try FeedbackCompartment(context)
        let window = try period.window(context)
        var items = try FeedbackStore(context.db).requests()
            .filter { !compartment.hides($0) && (window?.contains($0.receivedAt) ?? true) }
        if context[open] { items = items.filter { $0.state == .open } }
        if context[overdue] { items = items.filter { $0.isOverdue(context.now) } }
        return Response(message: PeriodFilter.statement(window, context),
                        data: ["requests": .array(items.map { $0.json(time: context.time) }),
                               "window": PeriodFilter.json(window, context)],
                        table: .init(columns: ["ID", "FROM", "THEIR REF", "STATE", "DUE", "TITLE"], rows: items.map {
                            [$0.ref, $0.from, $0.theirRef, $0.isOverdue(context.now) ? "OVERDUE" : $0.state.rawValue,
                             Deadline($0.dueAt, context.time).lastDay, $0.title]
                        }))
    }
}

enum ShowRequest {
    static let command = Command("request.show", "Show a request", roles: .everyone, audit: .none,
                                 arguments: [FeedbackCommand.requestID], handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let q = try RequestRecords.existing(context)
        let due = Deadline(q.dueAt, context.time).text + (q.isOverdue(context.now) ? " — OVERDUE" : "")
        var fields = [["request", q.ref], ["from", q.from], ["their reference", q.theirRef],
                      ["received", context.time.format(q.receivedAt)], ["title", q.title], ["due", due],
                      ["state", q.state.rawValue]]
        if let component = q.component { fields.append(["component", component]) }
        if let incident = q.incident { fields.append(["incident", incident]) }
        if let resolution = q.resolution { fields.append(["resolution", resolution]) }
        if let window = q.window { fields.append(["window", window]) }
        return Response(data: q.json(time: context.time), fields: fields)
    }
}

enum FinishRequest {
    static let resolution = Required.named("resolution", .text, "what was done")
    static let window = Option.named("window", .text, "the maintenance window that delivered it", valueName: "MW")
    static let command = Command("request.done", "Record that a request was fulfilled",
                                 roles: FeedbackCommand.recorders, audit: .changes,
                                 arguments: [FeedbackCommand.requestID, resolution, window], handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let q = try RequestRecords.existing(context)
        guard q.state == .open else { throw OpsError.refused("\(q.ref) is already done") }
        let window = try FeedbackReferences(context: context).window(try context[Self.window])
        try FeedbackStore(context.db).complete(q.ref, resolution: try context[resolution], window: window,
                                               by: context.caller.actorName, now: context.now)
        let late = context.now >= q.dueAt
        guard let done = try FeedbackStore(context.db).request(q.ref) else {
            throw OpsError.internalError("request \(q.ref) vanished while being changed")
        }
        let lateText = late ? " (after its deadline, \(Deadline(q.dueAt, context.time).text))" : ""
        return Response(message: "\(q.ref) is done\(lateText)",
                        data: done.json(time: context.time))
    }
}
