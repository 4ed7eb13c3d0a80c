import OpsProtocol
/// Handlers of the `shift.*` commands.
enum ShiftCommands {
    static let handlers: [String: CommandHandler] = [
        "shift.start": start,
        "shift.who": who,
        "shift.end": end,
        "shift.log": log,
    ]

    static func start(_ context: CommandContext) throws -> Response {
        let user = try context.user
        let store = ShiftStore(context.db)
        if let open = try store.open(user: user.name) {
            throw OpsError.refused("\(user.name) has been on shift since \(context.time.format(open.startedAt)); end it first")
        }
        try store.start(user: user.name, note: context.arguments.text("note"), now: context.now)
        let others = try store.onShift().filter { $0.user != user.name }.map(\.user)
        return Response(message: "\(user.name) is on shift from \(context.time.format(context.now))" + (others.isEmpty ? "" : " with \(others.joined(separator: ", "))"),
                        data: ["user": .string(user.name), "on_shift": .array(try store.onShift().map { .string($0.user) })])
    }

    static func who(_ context: CommandContext) throws -> Response {
        let shifts = try ShiftStore(context.db).onShift()
        return Response(data: ["on_shift": .array(shifts.map { $0.json(time: context.time) })],
                        table: .init(columns: ["USER", "SINCE", "FOR", "NOTE"], rows: shifts.map {
                            [$0.user, context.time.format($0.startedAt), DurationText.elapsed(context.now - $0.startedAt), $0.note ?? "-"]
                        }))
    }

    static func end(_ context: CommandContext) throws -> Response {
        let user = try context.user
        let store = ShiftStore(context.db)
        guard let shift = try store.open(user: user.name) else { throw OpsError.refused("\(user.name) is not on shift") }
        let active = try IncidentStore(context.db).all(includeSecurity: false).filter { $0.state == .open || $0.state == .acknowledged }
        let critical = active.filter { $0.state == .open && $0.severity <= .sev2 }
        let force = context.arguments.flag("force")
        if !critical.isEmpty && !force {
            throw OpsError.refused("\(critical.map { "\($0.ref) (\($0.severity.rawValue))" }.joined(separator: ", ")) unacknowledged: acknowledge it or hand it to someone on shift; only --force --reason ends the shift anyway")
        }
        if force && context.arguments.text("reason") == nil { throw OpsError.usage("--force needs --reason") }
        var handover = try context.arguments.required("handover")
        if !active.isEmpty {
            handover += "\nOpen incidents: " + active.map { "\($0.ref) \($0.severity.rawValue) \($0.state.rawValue) — \($0.title)" }.joined(separator: "; ")
        }
        try store.end(shift.id, handover: handover, forcedReason: force ? context.arguments.text("reason") : nil, now: context.now)
        return Response(message: "\(user.name) is off shift after \(DurationText.elapsed(context.now - shift.startedAt)); handover recorded",
                        data: ["user": .string(user.name), "handover": .string(handover), "forced": .bool(force && !critical.isEmpty)],
                        warnings: force && !critical.isEmpty ? ["shift ended with \(critical.count) unacknowledged critical incident(s)"] : [])
    }

    static func log(_ context: CommandContext) throws -> Response {
        let shifts = try ShiftStore(context.db).log(since: context.arguments.time("since"))
        return Response(data: ["shifts": .array(shifts.map { $0.json(time: context.time) })],
                        table: .init(columns: ["USER", "FROM", "TO", "HANDOVER"], rows: shifts.map {
                            [$0.user, context.time.format($0.startedAt), $0.endedAt.map(context.time.format) ?? "on shift",
                             ($0.handover ?? "-") + ($0.forcedReason.map { " [forced: \($0)]" } ?? "")]
                        }))
    }
}
