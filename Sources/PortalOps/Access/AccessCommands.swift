import OpsProtocol
import Foundation
import SQLite

/// Handlers of the `whoami` and `user.*` commands.
enum AccessCommands {
    static let handlers: [String: CommandHandler] = [
        "whoami": whoami,
        "user.add": add,
        "user.list": list,
        "user.set-role": setRole,
        "user.disable": disable,
        "user.enable": enable,
    ]

    static func whoami(_ context: CommandContext) throws -> Response {
        let user = try context.user
        return Response(data: user.json.merging(["pid": .int(Int64(context.caller.pid))]),
                        fields: [["user", user.name], ["uid", String(user.uid)], ["role", user.role.rawValue],
                                 ["full name", user.fullName ?? "-"], ["email", user.email ?? "-"]])
    }

    static func add(_ context: CommandContext) throws -> Response {
        let args = context.arguments
        let name = try args.required("name")
        let store = UserStore(context.db)
        guard let uidNumber = args.int("uid"), let role = args.text("role").flatMap(Role.init(rawValue:)) else {
            throw OpsError.usage("user add needs --uid and --role")
        }
        let uid = UInt32(uidNumber)
        if try store.byName(name) != nil {
            throw OpsError.refused("user '\(name)' already exists; see 'opsctl user list'")
        }
        if let holder = try store.byUID(uid) {
            throw OpsError.refused("uid \(uid) already belongs to user '\(holder.name)'")
        }
        let user = try store.insert(name: name, uid: uid, role: role, fullName: args.text("full-name"),
                                    email: args.text("email"), now: context.now)
        return Response(message: "Added user \(name) (uid \(uid), \(role.rawValue))", data: user.json)
    }

    static func list(_ context: CommandContext) throws -> Response {
        let users = try UserStore(context.db).all()
        return Response(data: ["users": .array(users.map(\.json))],
                        table: .init(columns: ["NAME", "UID", "ROLE", "STATE", "FULL NAME", "EMAIL"], rows: users.map {
                            [$0.name, String($0.uid), $0.role.rawValue, $0.disabled ? "disabled" : "enabled",
                             $0.fullName ?? "-", $0.email ?? "-"]
                        }))
    }

    static func setRole(_ context: CommandContext) throws -> Response {
        let store = UserStore(context.db)
        let user = try existing(try context.arguments.required("name"), store)
        guard let role = context.arguments.text("role").flatMap(Role.init(rawValue:)) else {
            throw OpsError.usage("missing ROLE")
        }
        if user.role == .admin, role != .admin, !user.disabled, try store.activeAdminCount() <= 1 {
            throw OpsError.refused("\(user.name) is the last enabled admin; make another user admin first")
        }
        try store.setRole(user.name, role)
        return Response(message: "Changed role of \(user.name): \(user.role.rawValue) → \(role.rawValue)",
                        data: try store.byName(user.name)!.json)
    }

    static func disable(_ context: CommandContext) throws -> Response {
        let store = UserStore(context.db)
        let user = try existing(try context.arguments.required("name"), store)
        if user.disabled { throw OpsError.refused("user \(user.name) is already disabled") }
        if user.role == .admin, try store.activeAdminCount() <= 1 {
            throw OpsError.refused("\(user.name) is the last enabled admin; make another user admin first")
        }
        try store.setDisabled(user.name, true)
        return Response(message: "Disabled user \(user.name) (uid \(user.uid))", data: try store.byName(user.name)!.json)
    }

    static func enable(_ context: CommandContext) throws -> Response {
        let store = UserStore(context.db)
        let user = try existing(try context.arguments.required("name"), store)
        if !user.disabled { throw OpsError.refused("user \(user.name) is already enabled") }
        try store.setDisabled(user.name, false)
        return Response(message: "Enabled user \(user.name) (uid \(user.uid))", data: try store.byName(user.name)!.json)
    }

    private static func existing(_ name: String, _ store: UserStore) throws -> User {
        guard let user = try store.byName(name) else {
            throw OpsError.refused("no user named '\(name)'; see 'opsctl user list'")
        }
        return user
    }
}

extension JSON {
    /// This object with `other`'s keys added (other wins).
    public func merging(_ other: [String: JSON]) -> JSON {
        guard case .object(var object) = self else { return self }
        object.merge(other) { _, new in new }
        return .object(object)
    }
}
