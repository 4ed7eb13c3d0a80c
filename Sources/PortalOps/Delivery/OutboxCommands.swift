import OpsProtocol
/// Handlers of the `outbox.*` commands.
enum OutboxCommands {
    static let handlers: [String: CommandHandler] = [
        "outbox.list": list,
        "outbox.show": show,
        "outbox.retry": retry,
    ]

    static func table(_ deliveries: [Delivery], _ time: LocalTime) -> Response.Table {
        .init(columns: ["ID", "CREATED", "RECIPIENT", "CHANNEL", "ADDRESS", "STATE", "TRIES", "NEXT / SENT", "LAST ERROR"], rows: deliveries.map {
            [String($0.id), time.format($0.createdAt), $0.recipient, $0.channel.rawValue, $0.address, $0.state.rawValue,
             String($0.attempts), ($0.sentAt ?? $0.nextAttemptAt).map(time.format) ?? "-",
             $0.lastError.map { $0.count > 50 ? String($0.prefix(49)) + "…" : $0 } ?? "-"]
        })
    }

    static func list(_ context: CommandContext) throws -> Response {
        let args = context.arguments
        let deliveries = try Outbox(context.db).deliveries(state: args.text("state").flatMap(Delivery.State.init(rawValue:)),
                                                           since: args.time("since"), limit: Int(args.int("limit") ?? 100))
        return Response(data: ["deliveries": .array(deliveries.map { $0.json(time: context.time) })],
                        table: table(deliveries, context.time))
    }

    static func show(_ context: CommandContext) throws -> Response {
        guard let id = context.arguments.int("id"), let delivery = try Outbox(context.db).delivery(id) else {
            throw OpsError.refused("no delivery \(context.arguments.text("id") ?? ""); see 'opsctl outbox list'")
        }
        let outbox = Outbox(context.db)
        let message = try outbox.message(delivery.messageID)
        let attempts = try outbox.attempts(id)
        let time = context.time
        return Response(
            data: delivery.json(time: time).merging([
                "subject": .string(message.subject), "kind": .string(message.kind), "reference": JSON(message.reference),
                "attempt_log": .array(attempts.map { ["started_at": .string(time.iso8601($0.startedAt)),
                                                      "finished_at": $0.finishedAt.map { .string(time.iso8601($0)) } ?? .null,
                                                      "outcome": JSON($0.outcome), "detail": JSON($0.detail)] }),
            ]),
            fields: [["delivery", String(delivery.id)], ["message", "\(message.kind): \(message.subject)"],
                     ["reference", message.reference ?? "-"], ["recipient", delivery.recipient],
                     ["channel", "\(delivery.channel.rawValue) \(delivery.address)"], ["identity", delivery.token],
                     ["state", delivery.state.rawValue], ["attempts", String(delivery.attempts)],
                     ["next attempt", delivery.nextAttemptAt.map(time.format) ?? "-"], ["sent", delivery.sentAt.map(time.format) ?? "-"],
                     ["last error", delivery.lastError ?? "-"]],
            table: .init(columns: ["STARTED", "FINISHED", "OUTCOME", "DETAIL"], rows: attempts.map {
                [time.format($0.startedAt), $0.finishedAt.map(time.format) ?? "-", $0.outcome ?? "in progress", $0.detail ?? "-"]
            }))
    }

    static func retry(_ context: CommandContext) throws -> Response {
        let outbox = Outbox(context.db)
        switch (context.arguments.int("id"), context.arguments.flag("dead")) {
        case (let id?, false):
            let delivery = try outbox.retry(id, now: context.now)
            return Response(message: "Delivery \(id) to \(delivery.recipient) is queued again", data: delivery.json(time: context.time))
        case (nil, true):
            let count = try outbox.retryAllDead(now: context.now)
            return Response(message: "Queued \(count) dead deliveries again", data: ["retried": .int(Int64(count))])
        default:
            throw OpsError.usage("give a delivery ID or --dead (not both); usage: opsctl outbox retry [ID] [--dead]")
        }
    }
}
