import OpsProtocol

/// The rule for arguments whose value is a command opsd runs (`--dump-command`,
/// `--restore-command`, `--check-command`, and any later one marked with
/// `.command()`): opsd runs it with its own rights — it can read `ops.db`,
/// every backup and the daemon's socket — so giving one is an admin's
/// decision, whatever roles the command itself allows. `Command` applies it
/// to every handler that declares such an argument, so no handler can forget.
enum CommandArguments {
    static let roles: Set<Role> = [.admin]

    /// Refuses (exit 3) a caller who is not an admin and gave any of `names`.
    static func check(_ names: [String], _ context: CommandContext) throws {
        let given = names.filter { context.arguments.values[$0] != nil }
        guard let first = given.first, !(context.caller.user.map { roles.contains($0.role) } ?? false) else { return }
        let role = context.caller.user?.role.rawValue ?? "no account"
        throw OpsError.permission("only an admin may set --\(first): opsd runs it with its own rights "
                                  + "(your role: \(role)); ask an admin to set it")
    }

    /// `run`, checking the rule first when the command declares command-valued arguments.
    static func guarded(_ run: Command.Run, commandArguments names: [String]) -> Command.Run {
        guard !names.isEmpty else { return run }
        switch run {
        case .quick(let handler):
            return .quick { context in
                try check(names, context)
                return try handler(context)
            }
        case .job(let prepare):
            return .job { context in
                try check(names, context)
                return try prepare(context)
            }
        }
    }
}
