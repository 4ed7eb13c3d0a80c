import OpsProtocol
extension Catalog {
    static let components: [CommandSpec] = [
        CommandSpec("component.add", "Register a component of the portal", roles: [.operator, .supervisor, .admin], audit: .changes, arguments: [
            .positional("key", .key, "short key used by other commands, e.g. 'payment'", valueName: "KEY"),
            .option("name", .text, "name as agencies know it, e.g. 'Thanh toán trực tuyến'", required: true),
            .option("description", .text, "what it is and who depends on it"),
        ]),
        CommandSpec("component.list", "List the registered components", roles: .everyone, audit: .none),
    ]
}
