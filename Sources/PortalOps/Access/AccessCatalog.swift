import OpsProtocol
extension Catalog {
    static let access: [CommandSpec] = [
        CommandSpec("whoami", "Show who the daemon thinks you are and your role", roles: .everyone, audit: .none),
        CommandSpec("user.add", "Give a Unix user an account with a role", roles: .admins, audit: .changes, arguments: [
            .positional("name", .key, "account name, e.g. 'lan.nguyen'", valueName: "NAME"),
            .option("uid", .integer(0...4_294_967_294), "the Unix uid this account logs in as", required: true, valueName: "UID"),
            .option("role", .choice(Role.allCases.map(\.rawValue)), "what the account may do", required: true),
            .option("full-name", .text, "full name as it appears on documents"),
            .option("email", .email, "e-mail address for alerts"),
        ], details: "Roles:\n" + Role.allCases.map { "  \($0.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)) \($0.summary)" }.joined(separator: "\n")),
        CommandSpec("user.list", "List accounts with their uid, role and state", roles: .everyone, audit: .none),
        CommandSpec("user.set-role", "Change an account's role", roles: .admins, audit: .changes, arguments: [
            .positional("name", .key, "account name", valueName: "NAME"),
            .positional("role", .choice(Role.allCases.map(\.rawValue)), "the new role", valueName: "ROLE"),
        ], details: "The last enabled admin cannot be demoted."),
        CommandSpec("user.disable", "Disable an account: its uid is refused from now on", roles: .admins, audit: .changes, arguments: [
            .positional("name", .key, "account name", valueName: "NAME"),
        ], details: "Accounts are never deleted, so the audit trail keeps naming them. The last enabled admin cannot be disabled."),
        CommandSpec("user.enable", "Enable a disabled account again", roles: .admins, audit: .changes, arguments: [
            .positional("name", .key, "account name", valueName: "NAME"),
        ]),
    ]
}
