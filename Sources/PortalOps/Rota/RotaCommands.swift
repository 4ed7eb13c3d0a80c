import OpsProtocol

/// What the `rota.*` commands share.
enum RotaCommand {
    static let name = Required.positional("name", .key, "the rota, e.g. 'ops-day'", valueName: "NAME")
    /// Who may plan rotas.
    static let planners: Set<Role> = [.supervisor, .admin]

    /// Which roles may stand on a rota of `role`: never a monitor account, never a viewer.
    static func mayStand(_ user: User, on role: Rota.Role) -> Bool {
        switch role {
        case .operator: [.operator, .supervisor, .admin].contains(user.role)
        case .security: [.security, .supervisor, .admin].contains(user.role)
        }
    }

    /// The users named, checked: they exist, are enabled, and may stand on a rota of `role`.
    static func check(_ names: [String], role: Rota.Role, _ context: CommandContext) throws -> [User] {
        try names.map { name in
            guard let user = try UserStore(context.db).byName(name) else {
                throw OpsError.refused("no user '\(name)'; see 'opsctl user list'")
            }
            if user.role == .monitor {
                throw OpsError.refused("\(name) is a monitor account: machines are never on a rota")
            }
            if user.disabled { throw OpsError.refused("\(name) is disabled") }
            guard mayStand(user, on: role) else {
                throw OpsError.refused("\(name) is \(user.role.rawValue) and may not stand on a \(role.rawValue) rota")
            }
            return user
        }
    }

    static func rota(_ context: CommandContext) throws -> Rota {
        let name = try context[Self.name]
        guard let rota = try RotaStore(context.db).byName(name) else {
            throw OpsError.refused("no rota '\(name)'; see 'opsctl rota who'")
        }
        return rota
    }
}

enum AddRota {
    static let users = Required.named("users", .text, "who takes turns, in order (a,b,c)", valueName: "USERS")
    static let handoff = Required.named("handoff", .text, "the local time turns change, e.g. 07:00",
                                        valueName: "HH:MM")
    static let length = Required.named("length", .duration, "how long a turn lasts, e.g. 12h")
    static let role = Option.named("role", .choice(Rota.Role.self),
                                   "which incidents it answers: operator (default) or security")
    static let command = Command(
        "rota.add", "Plan an on-call rota: people take turns, handing over at a set time",
        roles: RotaCommand.planners, audit: .changes, arguments: [RotaCommand.name, users, handoff, length, role],
        details: """
            The first user is on call from now until the next handover; turns then follow the list.
            The rota starts and ends the shifts itself; a gap in cover pages the supervisors once.
            """,
        handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let name = try context[RotaCommand.name]
        if try RotaStore(context.db).byName(name) != nil {
            throw OpsError.refused("rota '\(name)' already exists; see 'opsctl rota who'")
        }
        let role = try context[Self.role] ?? .operator
        let names = try context[Self.users].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard !names.isEmpty else { throw OpsError.usage("--users needs at least one user") }
        guard Set(names).count == names.count else { throw OpsError.usage("--users names someone twice") }
        let users = try RotaCommand.check(names, role: role, context)
        let handoff = try LocalTime.parseTimeOfDay(try context[Self.handoff])
        guard case .milliseconds(let length) = try context[Self.length], length >= 3_600_000,
              length <= 7 * 86_400_000 else {
            throw OpsError.usage("--length is between 1h and 7d, e.g. 12h")
        }
        var anchor = context.time.startOfDay(context.now) + Int64(handoff) * 60_000
        while anchor > context.now { anchor -= length }
        let rota = Rota(name: name, role: role, users: names, handoff: handoff, length: length, anchor: anchor)
        try RotaStore(context.db).insert(rota, now: context.now, by: context.caller.actorName)
        let reach = Reach(context.db)
        let contactless = try users.filter { try !reach.hasContact($0) }.map(\.name)
        let until = rota.nextChange(after: context.now)
        return Response(message: "Added rota \(name) (\(role.rawValue)): \(rota.onCall(at: context.now)) is on call "
                            + "until \(context.time.format(until))",
                        data: rota.json(time: context.time, now: context.now),
                        warnings: contactless.isEmpty ? [] : [
                            "\(contactless.joined(separator: ", ")) cannot be paged (no contact); "
                                + "'opsctl user contact add NAME --email …'"])
    }
}

enum OverrideRota {
    static let user = Required.named("user", .key, "who is on call instead", valueName: "USER")
    static let from = Required.named("from", .time, "from when")
    static let to = Required.named("to", .time, "until when")
    static let command = Command(
        "rota.override", "Put someone else on call for a while (a swap, a sick day)",
        roles: [.operator, .security, .supervisor, .admin], audit: .changes,
        arguments: [RotaCommand.name, user, from, to], handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let rota = try RotaCommand.rota(context)
        let name = try context[Self.user]
        _ = try RotaCommand.check([name], role: rota.role, context)
        let from = try context[Self.from].milliseconds, to = try context[Self.to].milliseconds
        guard to > from else { throw OpsError.usage("--to must be after --from") }
        guard to > context.now else { throw OpsError.usage("--to is in the past") }
        let id = try RotaStore(context.db).addOverride(rota: rota.name, user: name, from: from, to: to,
                                                        now: context.now, by: context.caller.actorName)
        return Response(message: "\(name) is on call on \(rota.name) from \(context.time.format(from)) "
                            + "to \(context.time.format(to))",
                        data: ["rota": .string(rota.name), "override": .int(id), "user": .string(name),
                               "from": .string(context.time.iso8601(from)), "to": .string(context.time.iso8601(to))])
    }
}

enum RotaWho {
    static let at = Option.named("at", .time, "at this time instead of now")
    static let command = Command("rota.who", "Who is on call on each rota, now or at a time", roles: .everyone,
                                 audit: .none, arguments: [at], handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let t = try context[Self.at]?.milliseconds ?? context.now
        let rotas = try RotaStore(context.db).all()
        let reach = Reach(context.db)
        var rows: [[String]] = []
        for rota in rotas {
            let on = rota.onCall(at: t)
            let why = try UserStore(context.db).byName(on).map { try reach.refusal($0) } ?? "no such user"
            rows.append([rota.name, rota.role.rawValue, on + (why.map { " (cannot be paged: \($0))" } ?? ""),
                         context.time.format(rota.nextChange(after: t)), rota.secondary(at: t) ?? "-",
                         rota.override(at: t) != nil ? "override" : "rota"])
        }
        return Response(data: ["at": .string(context.time.iso8601(t)),
                               "rotas": .array(rotas.map { $0.json(time: context.time, now: t) })],
                        table: .init(columns: ["ROTA", "ROLE", "ON CALL", "UNTIL", "NEXT IN LINE", "BY"], rows: rows),
                        warnings: rotas.isEmpty ? ["no rota: new incidents page whoever is on shift; "
                                                   + "plan one with 'opsctl rota add'"] : [])
    }
}

enum RotaNext {
    static let count = Option.named("count", .integer(1...50), "handovers per rota (default 3)")
    static let command = Command("rota.next", "The coming handovers of each rota", roles: .everyone, audit: .none,
                                 arguments: [count], handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let count = Int(try context[Self.count] ?? 3)
        var rows: [[String]] = []
        var data: [JSON] = []
        for rota in try RotaStore(context.db).all() {
            for next in rota.upcoming(after: context.now, count: count) {
                rows.append([rota.name, context.time.format(next.at), next.user])
                data.append(["rota": .string(rota.name), "at": .string(context.time.iso8601(next.at)),
                             "user": .string(next.user)])
            }
        }
        return Response(data: ["handovers": .array(data)],
                        table: .init(columns: ["ROTA", "AT", "ON CALL FROM THEN"], rows: rows))
    }
}

enum RemoveRota {
    static let command = Command("rota.remove", "Remove a rota (its shifts end at once)", roles: RotaCommand.planners,
                                 audit: .changes, arguments: [RotaCommand.name], handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let rota = try RotaCommand.rota(context)
        try RotaStore(context.db).remove(rota.name)
        return Response(message: "Removed rota \(rota.name)", data: ["rota": .string(rota.name)])
    }
}
