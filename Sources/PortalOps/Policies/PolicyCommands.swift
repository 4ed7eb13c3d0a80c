import OpsProtocol

/// `policy list`: every capability's settings with the value in force.
enum ListPolicies {
    static let command = Command("policy.list", "List settings with their values and defaults", roles: .everyone,
                                 audit: .none, handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let store = PolicyStore(context.db)
        let rows = try context.registry.policies.map { definition in
            (definition, try store.value(definition))
        }
        return Response(data: ["policies": .array(rows.map { definition, value in
            ["key": .string(definition.key), "value": .string(value), "default": .string(definition.defaultValue),
             "type": .string(definition.kind.name), "help": .string(definition.help),
             "roles": .array(definition.roles.sorted().map { .string($0.rawValue) })]
        })], table: .init(columns: ["KEY", "VALUE", "DEFAULT", "TYPE", "CHANGED BY", "MEANING"],
                          rows: rows.map { definition, value in
            [definition.key, value, definition.defaultValue, definition.kind.name,
             definition.roles.sorted().map(\.rawValue).joined(separator: ", "), definition.help]
        }))
    }
}

/// `policy set`: the key is free text on the command line and checked here
/// against the registry, so an unknown key gets a "did you mean".
enum SetPolicy {
    static let key = Required.positional("key", .text, "the setting, e.g. server.idle_timeout", valueName: "KEY")
    static let value = Required.positional("value", .text, "the new value; 'default' restores the default",
                                           valueName: "VALUE")
    static let command = Command("policy.set", "Change a setting (validated against its type)",
                                 roles: [.supervisor, .admin], audit: .changes, arguments: [key, value], details: """
                                     An unknown key or a value of the wrong type exits 2 and changes nothing. \
                                     Each setting names the roles that may change it (admin unless said \
                                     otherwise; exit 3 for others): see 'opsctl policy list'.
                                     """, handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let key = try context[Self.key]
        guard let definition = context.registry.policy(key) else {
            let known = context.registry.policies.map(\.key)
            let hint = Suggestion.nearest(to: key, among: known).map { "; did you mean '\($0)'?" }
                ?? "; see 'opsctl policy list'"
            throw OpsError.usage("unknown policy '\(key)'\(hint)")
        }
        let role = try context.user.role
        guard definition.roles.contains(role) else {
            let roles = definition.roles.sorted().map(\.rawValue).joined(separator: " or ")
            throw OpsError.permission("only \(roles) may change \(key) (your role: \(role.rawValue)); "
                                      + "'opsctl policy list' shows who may change each setting")
        }
        let raw = try context[Self.value]
        let value = raw == "default" ? definition.defaultValue : try definition.canonical(raw)
        let store = PolicyStore(context.db)
        let old = try store.value(definition)
        try store.set(key, value, by: context.caller.actorName, now: context.now)
        return Response(message: "Set \(key) = \(value) (was \(old))",
                        data: ["key": .string(key), "value": .string(value), "previous": .string(old)])
    }
}
