import OpsProtocol

extension Capability {
    /// Typed settings; each capability declares its own, this one stores and changes them.
    public static let policies = Capability(
        "policies",
        migrations: [PolicyStore.migration],
        commands: LegacyCommands.commands(Catalog.policies, quick: PolicyCommands.handlers),
        nouns: ["policy": "typed settings"])
}
