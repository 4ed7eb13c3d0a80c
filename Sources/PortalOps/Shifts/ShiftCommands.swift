import OpsProtocol

/// Who may go on and off shift: the people an incident pages.
private let responders: Set<Role> = [.operator, .security, .supervisor, .admin]

/// `shift start`: from now on new incidents page the caller.
enum StartShift {
    static let note = Option.named("note", .multilineText, "anything the others should know")
    static let length = Option.named("for", .duration, "how long (default: the policy shift.length); "
                                         + "the shift ends by itself then", valueName: "DURATION")
    static let command = Command("shift.start", "Go on shift: new incidents page you", roles: responders,
                                 audit: .changes, arguments: [note, length],
                                 details: "A shift ends by itself at its planned end; 'status' warns 30 minutes "
                                     + "before. Rotas ('opsctl rota add') start and end shifts themselves.",
                                 handler: run)

    static let mayForce: Set<Role> = [.supervisor, .admin]

    static func run(_ context: CommandContext) throws -> Response {
        let user = try context.user
        let store = ShiftStore(context.db)
        if let open = try store.open(user: user.name) {
            throw OpsError.refused(
                "\(user.name) has been on shift since \(context.time.format(open.startedAt)); end it first")
        }
        let length: Int64
        switch try context[Self.length] {
        case .milliseconds(let ms)?: length = ms
        case .workingDays?: throw OpsError.usage("--for takes hours or minutes, e.g. 8h")
        case nil: length = try PolicyStore(context.db).milliseconds(.shiftLength)
        }
        guard length > 0 else { throw OpsError.usage("--for must be longer than 0") }
        let end = context.now + length
        try store.start(user: user.name, note: try context[Self.note], now: context.now, plannedEnd: end)
        let others = try store.onShift().filter { $0.user != user.name }.map(\.user)
        let with = others.isEmpty ? "" : " with \(others.joined(separator: ", "))"
        return Response(message: "\(user.name) is on shift from \(context.time.format(context.now)) "
                            + "until \(context.time.format(end))" + with,
                        data: ["user": .string(user.name),
                               "on_shift": .array(try store.onShift().map { .string($0.user) })])
    }
}

/// `shift who`: everyone on shift now, longest first.
enum ShiftsOnDuty {
    static let command = Command("shift.who", "Who is on shift, since when", roles: .everyone, audit: .none,
                                 handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let shifts = try ShiftStore(context.db).onShift()
        return Response(data: ["on_shift": .array(shifts.map { $0.json(time: context.time) })],
                        table: .init(columns: ["USER", "SINCE", "FOR", "UNTIL", "ROTA", "NOTE"], rows: shifts.map {
                            [$0.user, context.time.format($0.startedAt),
                             DurationText.elapsed(context.now - $0.startedAt),
                             $0.plannedEnd.map(context.time.format) ?? "-", $0.rota ?? "-", $0.note ?? "-"]
                        }))
    }
}

/// `shift end`: the handover is recorded with the open incidents appended;
/// an unacknowledged sev1/sev2 keeps the caller on shift unless forced with
/// a reason, so a critical incident is never left without anyone paged.
/// Forcing past one is a supervisor's (or admin's) decision, as the
/// shift-handover runbook says: an operator asks a supervisor to acknowledge
/// the incident, which records the agreement, and then ends normally.
enum EndShift {
    static let handover = Required.named("handover", .multilineText,
                                         "what the next shift must know (open incidents are listed for you)")
    static let force = Flag.named(
        "force", "end even with an unacknowledged sev1 or sev2 (supervisors and admins; needs --reason)")
    static let reason = Option.named("reason", .text, "why the shift ends with a critical incident unattended")
    static let command = Command("shift.end", "Hand over and go off shift", roles: responders, audit: .changes,
                                 arguments: [handover, force, reason],
                                 details: "Refused while a sev1 or sev2 incident is unacknowledged, "
                                     + "unless a supervisor or admin gives --force --reason.",
                                 handler: run)

    static let mayForce: Set<Role> = [.supervisor, .admin]

    /// The refusal names the exact commands that let the shift end (issue 13).
    static func refusal(_ critical: [Incident]) -> String {
        let names = critical.map { "\($0.ref) (\($0.severity.rawValue))" }.joined(separator: ", ")
        let acks = critical.map { "'opsctl incident ack \($0.ref)'" }.joined(separator: " and ")
        let first = critical.first?.ref ?? "INC-…"
        return "\(names) unacknowledged: run \(acks) (or 'opsctl incident assign \(first) USER' to someone "
            + "on shift, who acknowledges it), then 'opsctl shift end --handover …' again; "
            + "a supervisor may instead run 'opsctl shift end --handover … --force --reason …'"
    }

    static func run(_ context: CommandContext) throws -> Response {
        let user = try context.user
        let store = ShiftStore(context.db)
        guard let shift = try store.open(user: user.name) else {
            throw OpsError.refused("\(user.name) is not on shift")
        }
        let active = try IncidentStore(context.db).all(includeSecurity: false)
            .filter { $0.state == .open || $0.state == .acknowledged }
        let critical = active.filter { $0.state == .open && $0.severity <= .sev2 }
        let force = context[Self.force]
        let reason = try context[Self.reason]
        if !critical.isEmpty && !force {
            throw OpsError.refused(Self.refusal(critical))
        }
        if force && reason == nil { throw OpsError.usage("--force needs --reason") }
        if force && !critical.isEmpty && !Self.mayForce.contains(user.role) {
            let names = critical.map(\.ref).joined(separator: ", ")
            throw OpsError.permission("only a supervisor or admin may end a shift past an unacknowledged sev1 or "
                                      + "sev2; ask a supervisor to acknowledge \(names), then end your shift")
        }
        var handover = try context[Self.handover]
        if !active.isEmpty {
            // The handover is read by the next shift as a Vietnamese document: words from VietnameseTerms.
            handover += "\nSự cố đang mở: " + active.map {
                "\($0.ref) \(VietnameseTerms.level($0.severity)), \(VietnameseTerms.state($0.state)) — \($0.title)"
            }.joined(separator: "; ")
        }
        try store.end(shift.id, handover: handover, forcedReason: force ? reason : nil, now: context.now)
        let forced = force && !critical.isEmpty
        return Response(
            message: "\(user.name) is off shift after \(DurationText.elapsed(context.now - shift.startedAt)); "
                + "handover recorded",
            data: ["user": .string(user.name), "handover": .string(handover), "forced": .bool(forced)],
            warnings: forced ? ["shift ended with \(critical.count) unacknowledged critical incident(s)"] : [])
    }
}

/// `shift log`: past shifts with their handovers.
enum ShiftLog {
    static let period = PeriodFilter(from: "shifts started from", to: "shifts started before")
    static let command = Command("shift.log", "Past shifts with their handovers", roles: .everyone, audit: .none,
                                 arguments: period.arguments, handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let window = try period.window(context)
        let shifts = try ShiftStore(context.db).log(since: window?.from)
            .filter { window?.contains($0.startedAt) ?? true }
        return Response(message: PeriodFilter.statement(window, context),
                        data: ["shifts": .array(shifts.map { $0.json(time: context.time) }),
                               "window": PeriodFilter.json(window, context)],
                        table: .init(columns: ["USER", "FROM", "TO", "HANDOVER"], rows: shifts.map {
                            [$0.user, context.time.format($0.startedAt),
                             $0.endedAt.map(context.time.format) ?? "on shift",
                             ($0.handover ?? "-") + ($0.forcedReason.map { " [forced: \($0)]" } ?? "")]
                        }))
    }
}
