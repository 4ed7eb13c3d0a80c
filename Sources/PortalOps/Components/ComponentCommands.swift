import OpsProtocol
/// Handlers of the `component.*` commands.
enum ComponentCommands {
    static let handlers: [String: CommandHandler] = [
        "component.add": add,
        "component.list": list,
    ]

    static func add(_ context: CommandContext) throws -> Response {
        let args = context.arguments
        let key = try args.required("key")
        let store = ComponentStore(context.db)
        if try store.byKey(key) != nil {
            throw OpsError.refused("component '\(key)' already exists; see 'opsctl component list'")
        }
        let component = try store.insert(key: key, name: try args.required("name"),
                                         description: args.text("description"), now: context.now)
        return Response(message: "Added component \(key) (\(component.name))", data: component.json)
    }

    static func list(_ context: CommandContext) throws -> Response {
        let components = try ComponentStore(context.db).all()
        return Response(data: ["components": .array(components.map(\.json))],
                        table: .init(columns: ["KEY", "NAME", "DESCRIPTION"],
                                     rows: components.map { [$0.key, $0.name, $0.description ?? "-"] }))
    }
}
