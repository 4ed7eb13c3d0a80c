import OpsProtocol

extension Capability {
    /// The parts of the portal that incidents, windows and checks name.
    public static let components = Capability(
        "components",
        migrations: [ComponentStore.migration],
        commands: LegacyCommands.commands(Catalog.components, quick: ComponentCommands.handlers),
        nouns: ["component": "parts of the portal"],
        policies: [.portalName])
}
