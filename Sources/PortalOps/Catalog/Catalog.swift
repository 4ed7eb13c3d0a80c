/// Every command of the console. `opsctl` parses and prints help from this
/// list; `opsd` refuses any request whose command is not in it.
public enum Catalog {
    public static let commands: [CommandSpec] = system + access + audit + components + policies + delivery + workingDays + maintenance + incidents + shifts + feedback + backups

    private static let index: [String: CommandSpec] = Dictionary(uniqueKeysWithValues: commands.map { ($0.name, $0) })

    public static func command(_ name: String) -> CommandSpec? { index[name] }

    /// The nouns in first-seen order (`status`, `whoami`, `user`, `audit`…).
    public static var nouns: [String] {
        var seen: [String] = []
        for command in commands where !seen.contains(command.noun) { seen.append(command.noun) }
        return seen
    }

    public static func commands(noun: String) -> [CommandSpec] {
        commands.filter { $0.noun == noun }
    }

    /// What each noun is about, for `opsctl --help`.
    public static let nounSummaries: [String: String] = [
        "status": "the console's state at a glance",
        "whoami": "your account and role",
        "user": "accounts and roles",
        "audit": "the tamper-evident audit trail",
        "component": "parts of the portal",
        "policy": "typed settings",
        "clock": "move the daemon's clock (test daemons only)",
        "recipient": "who receives notices and alerts",
        "group": "groups of recipients",
        "outbox": "messages on their way, with every attempt",
        "holiday": "holidays, which with weekends decide working days",
        "maintenance": "maintenance windows and their written notices",
        "incident": "incidents, from detection to a closed review",
        "shift": "the 24/7 rota: who is on duty, handovers",
        "feedback": "what agencies and citizens report, answered before its deadline",
        "recommendation": "changes to make, with an owner and a due date",
        "request": "written requests of the Office and the Department to fix something",
        "target": "databases the console backs up",
        "backup": "backups: take, verify, restore",
        "integrity": "integrity checks and fingerprints of SQLite databases",
    ]

    /// Commands of the daemon itself; their handlers live in OpsDaemon.
    static let system: [CommandSpec] = [
        CommandSpec("status", "Show the daemon, its database and what needs attention", roles: .everyone, audit: .none),
        CommandSpec("clock.set", "Set the daemon's clock (only with opsd --test-clock)", roles: .admins, audit: .changes, arguments: [
            .positional("time", .time, "the new time", valueName: "TIME"),
        ]),
        CommandSpec("clock.advance", "Move the daemon's clock forward (only with opsd --test-clock)", roles: .admins, audit: .changes, arguments: [
            .positional("duration", .duration, "how far, e.g. 15m, 2h, 3d", valueName: "DURATION"),
        ]),
    ]
}
