import OpsProtocol
import SQLite

/// `whoami`: the caller as the daemon sees it, so a refused command can be
/// explained by the account and role it ran under.
enum WhoAmI {
    /// Monitoring systems too: a monitor account checks it is set up right with it.
    static let command = Command("whoami", "Show who the daemon thinks you are and your role",
                                 roles: Set<Role>.everyone.union([.monitor]),
                                 audit: .none, handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let user = try context.user
        return Response(data: user.json.merging(["pid": .int(Int64(context.caller.pid))]),
                        fields: [["user", user.name], ["uid", String(user.uid)], ["role", user.role.rawValue],
                                 ["full name", user.fullName ?? "-"], ["email", user.email ?? "-"]])
    }
}

/// `user add`: a Unix uid gets an account; one uid, one account, so the
/// audit trail names a person.
enum AddUser {
    static let name = Required.positional("name", .key, "account name, e.g. 'lan.nguyen'", valueName: "NAME")
    static let uid = Required.named("uid", .integer(0...4_294_967_294), "the Unix uid this account logs in as",
                                    valueName: "UID")
    static let role = Required.named("role", .choice(Role.self), "what the account may do")
    static let fullName = Option.named("full-name", .text, "full name as it appears on documents")
    static let email = Option.named("email", .email, "e-mail address for alerts")

    /// Each role with what it may do, aligned, for `opsctl user add --help`.
    static let roleHelp = "Roles:\n" + Role.allCases.map {
        "  \($0.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)) \($0.summary)"
    }.joined(separator: "\n")

    static let command = Command("user.add", "Give a Unix user an account with a role", roles: .admins,
                                 audit: .changes, arguments: [name, uid, role, fullName, email], details: roleHelp,
                                 handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let name = try context[Self.name]
        let store = UserStore(context.db)
        // The declared range (0...4_294_967_294) fits a UInt32.
        let uid = UInt32(try context[Self.uid])
        let role = try context[Self.role]
        if try store.byName(name) != nil {
            throw OpsError.refused("user '\(name)' already exists; see 'opsctl user list'")
        }
        if let holder = try store.byUID(uid) {
            throw OpsError.refused("uid \(uid) already belongs to user '\(holder.name)'")
        }
        let user = try store.insert(name: name, uid: uid, role: role, fullName: try context[Self.fullName],
                                    email: try context[Self.email], now: context.now)
        return Response(message: "Added user \(name) (uid \(uid), \(role.rawValue))", data: user.json)
    }
}

/// `user list`: every account, disabled ones too (they are never deleted).
enum ListUsers {
    static let command = Command("user.list", "List accounts with their uid, role and state", roles: .everyone,
                                 audit: .none, handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let users = try UserStore(context.db).all()
        return Response(data: ["users": .array(users.map(\.json))],
                        table: .init(columns: ["NAME", "UID", "ROLE", "STATE", "FULL NAME", "EMAIL"], rows: users.map {
                            [$0.name, String($0.uid), $0.role.rawValue, $0.disabled ? "disabled" : "enabled",
                             $0.fullName ?? "-", $0.email ?? "-"]
                        }))
    }
}

/// `user set-role`: refused when it would leave no enabled admin, since
/// nobody could then manage accounts.
enum SetUserRole {
    static let name = Required.positional("name", .key, "account name", valueName: "NAME")
    static let role = Required.positional("role", .choice(Role.self), "the new role", valueName: "ROLE")
    static let command = Command("user.set-role", "Change an account's role", roles: .admins, audit: .changes,
                                 arguments: [name, role], details: "The last enabled admin cannot be demoted.",
                                 handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let store = UserStore(context.db)
        let user = try UserCommand.existing(try context[Self.name], store)
        let role = try context[Self.role]
        if user.role == .admin, role != .admin, !user.disabled, try store.activeAdminCount() <= 1 {
            throw OpsError.refused("\(user.name) is the last enabled admin; make another user admin first")
        }
        try store.setRole(user.name, role)
        return Response(message: "Changed role of \(user.name): \(user.role.rawValue) → \(role.rawValue)",
                        data: try UserCommand.reloaded(user.name, store).json)
    }
}

/// `user disable`: the uid is refused from now on; the account stays so the
/// audit trail keeps naming it.
enum DisableUser {
    static let name = Required.positional("name", .key, "account name", valueName: "NAME")
    static let command = Command("user.disable", "Disable an account: its uid is refused from now on", roles: .admins,
                                 audit: .changes, arguments: [name], details: """
                                     Accounts are never deleted, so the audit trail keeps naming them. \
                                     The last enabled admin cannot be disabled.
                                     """, handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let store = UserStore(context.db)
        let user = try UserCommand.existing(try context[Self.name], store)
        if user.disabled { throw OpsError.refused("user \(user.name) is already disabled") }
        if user.role == .admin, try store.activeAdminCount() <= 1 {
            throw OpsError.refused("\(user.name) is the last enabled admin; make another user admin first")
        }
        try store.setDisabled(user.name, true)
        return Response(message: "Disabled user \(user.name) (uid \(user.uid))",
                        data: try UserCommand.reloaded(user.name, store).json)
    }
}

/// `user enable`: a disabled account may log in again.
enum EnableUser {
    static let name = Required.positional("name", .key, "account name", valueName: "NAME")
    static let command = Command("user.enable", "Enable a disabled account again", roles: .admins, audit: .changes,
                                 arguments: [name], handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let store = UserStore(context.db)
        let user = try UserCommand.existing(try context[Self.name], store)
        if !user.disabled { throw OpsError.refused("user \(user.name) is already enabled") }
        try store.setDisabled(user.name, false)
        return Response(message: "Enabled user \(user.name) (uid \(user.uid))",
                        data: try UserCommand.reloaded(user.name, store).json)
    }
}

/// Lookups the `user.*` commands share.
enum UserCommand {
    /// The account named on the command line, or a refusal pointing at `user list`.
    static func existing(_ name: String, _ store: UserStore) throws -> User {
        guard let user = try store.byName(name) else {
            throw OpsError.refused("no user named '\(name)'; see 'opsctl user list'")
        }
        return user
    }

    /// The account as stored after a change made in this transaction; it
    /// cannot have vanished, but that is said rather than trapped on.
    static func reloaded(_ name: String, _ store: UserStore) throws -> User {
        guard let user = try store.byName(name) else {
            throw OpsError.internalError("user \(name) vanished while it was being changed")
        }
        return user
    }
}
