import OpsProtocol

extension Delivery {
    /// Deliveries as `outbox list` and `recipient show` print them; webhook
    /// addresses (which may carry a token) in full only to admins.
    static func table(_ deliveries: [Delivery], _ time: LocalTime, shownTo caller: Caller) -> Response.Table {
        .init(columns: ["ID", "CREATED", "RECIPIENT", "CHANNEL", "ADDRESS", "STATE", "TRIES", "NEXT / SENT",
                        "LAST ERROR"], rows: deliveries.map {
            [String($0.id), time.format($0.createdAt), $0.recipient, $0.channel.rawValue,
             Redaction.shown($0.address, to: caller),
             $0.state.rawValue,
             String($0.attempts), ($0.sentAt ?? $0.nextAttemptAt).map(time.format) ?? "-",
             $0.lastError.map { $0.count > 50 ? String($0.prefix(49)) + "…" : $0 } ?? "-"]
        })
    }
}

extension CommandContext {
    /// Whether the caller may see the outbox's messages caused by security incidents
    /// (pages): the same people who may see the incidents. For others those
    /// deliveries do not exist: not listed, not counted, "no delivery N".
    var seesSecurityMessages: Bool { (caller.user?.role ?? .viewer).seesSecurityIncidents }

    /// Delivery `id` if the caller may see it, else the same refusal as for a missing one.
    func visibleDelivery(_ id: Int64) throws -> Delivery {
        let outbox = Outbox(db)
        guard let delivery = try outbox.delivery(id),
              try seesSecurityMessages || !outbox.isSecurity(delivery: id) else {
            throw OpsError.refused("no delivery \(id); see 'opsctl outbox list'")
        }
        return delivery
    }
}

/// `outbox list`: deliveries, newest last, to see what is stuck or dead.
enum ListOutbox {
    static let state = Option.named("state", .choice(Delivery.State.self), "only deliveries in this state")
    static let period = PeriodFilter(from: "only deliveries created at or after this time",
                                     to: "only deliveries created before this time")
    static let limit = Option.named("limit", .integer(1...10_000), "at most this many (default 100)")
    static let command = Command("outbox.list", "List deliveries, newest last", roles: .staff, audit: .none,
                                 arguments: [state] + period.arguments + [limit], handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let window = try period.window(context)
        let deliveries = try Outbox(context.db).deliveries(state: try context[Self.state], since: window?.from,
                                                           limit: Int(try context[Self.limit] ?? 100),
                                                           includeSecurity: context.seesSecurityMessages)
            .filter { window?.contains($0.createdAt) ?? true }
        let shown = deliveries.map { $0.json(time: context.time, shownTo: context.caller) }
        return Response(message: PeriodFilter.statement(window, context),
                        data: ["deliveries": .array(shown), "window": PeriodFilter.json(window, context)],
                        table: Delivery.table(deliveries, context.time, shownTo: context.caller))
    }
}

/// `outbox show`: one delivery with every attempt and its outcome.
enum ShowDelivery {
    static let id = Required.positional("id", .integer(1...Int64.max), "the delivery id from 'outbox list'",
                                        valueName: "ID")
    static let command = Command("outbox.show", "Show one delivery with every attempt", roles: .staff, audit: .none,
                                 arguments: [id], handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let id = try context[Self.id]
        let outbox = Outbox(context.db)
        let delivery = try context.visibleDelivery(id)
        let message = try outbox.message(delivery.messageID)
        let attempts = try outbox.attempts(id)
        let time = context.time
        return Response(
            data: delivery.json(time: time, shownTo: context.caller).merging([
                "subject": .string(message.subject), "kind": .string(message.kind),
                "reference": JSON(message.reference),
                "attempt_log": .array(attempts.map {
                    ["started_at": .string(time.iso8601($0.startedAt)),
                     "finished_at": $0.finishedAt.map { .string(time.iso8601($0)) } ?? .null,
                     "outcome": JSON($0.outcome), "detail": JSON($0.detail)]
                }),
            ]),
            fields: [["delivery", String(delivery.id)], ["message", "\(message.kind): \(message.subject)"],
                     ["reference", message.reference ?? "-"], ["recipient", delivery.recipient],
                     ["channel", delivery.channel.rawValue + " "
                        + Redaction.shown(delivery.address, to: context.caller)],
                     ["identity", delivery.token],
                     ["state", delivery.state.rawValue], ["attempts", String(delivery.attempts)],
                     ["next attempt", delivery.nextAttemptAt.map(time.format) ?? "-"],
                     ["sent", delivery.sentAt.map(time.format) ?? "-"],
                     ["last error", delivery.lastError ?? "-"]],
            table: .init(columns: ["STARTED", "FINISHED", "OUTCOME", "DETAIL"], rows: attempts.map {
                [time.format($0.startedAt), $0.finishedAt.map(time.format) ?? "-", $0.outcome ?? "in progress",
                 $0.detail ?? "-"]
            }))
    }
}

/// `outbox retry`: one delivery by id, or every dead one; the retry keeps
/// the delivery's identity so receivers can drop repeats.
enum RetryDelivery {
    static let id = Option.positional("id", .integer(1...Int64.max), "the delivery id", valueName: "ID")
    static let dead = Flag.named("dead", "retry every dead delivery")
    static let command = Command("outbox.retry", "Send a failed or dead delivery again now", roles: Recipient.editors,
                                 audit: .changes, arguments: [id, dead], details: """
                                     A retry keeps the delivery's identity (Message-ID, Idempotency-Key) \
                                     and starts a new give-up window.
                                     """, handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let outbox = Outbox(context.db)
        switch (try context[Self.id], context[Self.dead]) {
        case (let id?, false):
            _ = try context.visibleDelivery(id)
            let delivery = try outbox.retry(id, now: context.now)
            return Response(message: "Delivery \(id) to \(delivery.recipient) is queued again",
                            data: delivery.json(time: context.time, shownTo: context.caller))
        case (nil, true):
            let count = try outbox.retryAllDead(now: context.now, includeSecurity: context.seesSecurityMessages)
            return Response(message: "Queued \(count) dead deliveries again", data: ["retried": .int(Int64(count))])
        default:
            throw OpsError.usage("give a delivery ID or --dead (not both); usage: opsctl outbox retry [ID] [--dead]")
        }
    }
}

/// `outbox cancel`: stops one delivery for good, with a reason, e.g. a wrong address that
/// will never work. Supervisors and admins only: a cancelled notice is one an agency never gets.
enum CancelDelivery {
    static let id = Required.positional("id", .integer(1...Int64.max), "the delivery id from 'outbox list'",
                                        valueName: "ID")
    static let reason = Required.named("reason", .text, "why it must not be sent, e.g. 'address no longer used'")
    static let command = Command("outbox.cancel", "Stop a delivery for good, with a reason",
                                 roles: [.supervisor, .admin], audit: .changes, arguments: [id, reason],
                                 details: "A cancelled delivery is never sent or retried and is not counted as failed.",
                                 handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let id = try context[Self.id]
        _ = try context.visibleDelivery(id)
        let delivery = try Outbox(context.db).cancel(id, reason: try context[Self.reason],
                                                     by: context.caller.actorName)
        return Response(message: "Cancelled delivery \(id) to \(delivery.recipient); it will not be sent",
                        data: delivery.json(time: context.time, shownTo: context.caller))
    }
}
