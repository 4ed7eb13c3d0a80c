import OpsProtocol

/// `component add`: a part of the portal that incidents, windows and checks
/// name by its key.
enum AddComponent {
    static let key = Required.positional("key", .key, "short key used by other commands, e.g. 'payment'",
                                         valueName: "KEY")
    static let name = Required.named("name", .text, "name as agencies know it, e.g. 'Thanh toán trực tuyến'")
    static let description = Option.named("description", .multilineText, "what it is and who depends on it")
    static let command = Command("component.add", "Register a component of the portal",
                                 roles: [.operator, .supervisor, .admin], audit: .changes,
                                 arguments: [key, name, description], handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let key = try context[Self.key]
        let store = ComponentStore(context.db)
        if try store.byKey(key) != nil {
            throw OpsError.refused("component '\(key)' already exists; see 'opsctl component list'")
        }
        let component = try store.insert(key: key, name: try context[Self.name],
                                         description: try context[Self.description], now: context.now)
        return Response(message: "Added component \(key) (\(component.name))", data: component.json)
    }
}

/// `component list`: every registered component.
enum ListComponents {
    static let command = Command("component.list", "List the registered components", roles: .everyone, audit: .none,
                                 handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let components = try ComponentStore(context.db).all()
        return Response(data: ["components": .array(components.map(\.json))],
                        table: .init(columns: ["KEY", "NAME", "DESCRIPTION"],
                                     rows: components.map { [$0.key, $0.name, $0.description ?? "-"] }))
    }
}
