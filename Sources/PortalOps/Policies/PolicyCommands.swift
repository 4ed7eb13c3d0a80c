import OpsProtocol
/// Handlers of the `policy.*` commands.
enum PolicyCommands {
    static let handlers: [String: CommandHandler] = [
        "policy.list": list,
        "policy.set": set,
    ]

    static func list(_ context: CommandContext) throws -> Response {
        let store = PolicyStore(context.db)
        let rows = try context.registry.policies.map { definition in
            (definition, try store.value(definition))
        }
        return Response(data: ["policies": .array(rows.map { definition, value in
            ["key": .string(definition.key), "value": .string(value), "default": .string(definition.defaultValue),
             "type": .string(definition.kind.name), "help": .string(definition.help)]
        })], table: .init(columns: ["KEY", "VALUE", "DEFAULT", "TYPE", "MEANING"], rows: rows.map { definition, value in
            [definition.key, value, definition.defaultValue, definition.kind.name, definition.help]
        }))
    }

    static func set(_ context: CommandContext) throws -> Response {
        let key = try context.arguments.required("key")
        guard let definition = context.registry.policy(key) else {
            let known = context.registry.policies.map(\.key)
            let hint = Suggestion.nearest(to: key, among: known).map { "; did you mean '\($0)'?" } ?? "; see 'opsctl policy list'"
            throw OpsError.usage("unknown policy '\(key)'\(hint)")
        }
        let raw = try context.arguments.required("value")
        let value = raw == "default" ? definition.defaultValue : try definition.canonical(raw)
        let store = PolicyStore(context.db)
        let old = try store.value(definition)
        try store.set(key, value, by: context.caller.actorName, now: context.now)
        return Response(message: "Set \(key) = \(value) (was \(old))",
                        data: ["key": .string(key), "value": .string(value), "previous": .string(old)])
    }
}
