import OpsProtocol
extension Catalog {
    static let policies: [CommandSpec] = [
        CommandSpec("policy.list", "List settings with their values and defaults", roles: .everyone, audit: .none),
        CommandSpec("policy.set", "Change a setting (validated against its type)", roles: [.supervisor, .admin], audit: .changes, arguments: [
            .positional("key", .text, "the setting, e.g. server.idle_timeout", valueName: "KEY"),
            .positional("value", .text, "the new value; 'default' restores the default", valueName: "VALUE"),
        ], details: "An unknown key or a value of the wrong type exits 2 and changes nothing. See 'opsctl policy list'."),
    ]
}
