import OpsProtocol

extension Capability {
    /// The parts of the portal that incidents, windows and checks name.
    public static let components = Capability(
        "components",
        migrations: [ComponentStore.migration],
        commands: [AddComponent.command, ListComponents.command],
        nouns: ["component": "parts of the portal"],
        policies: [.portalName])
}
