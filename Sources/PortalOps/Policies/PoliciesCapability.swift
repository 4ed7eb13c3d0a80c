import OpsProtocol

extension Capability {
    /// Typed settings; each capability declares its own, this one stores and changes them.
    public static let policies = Capability(
        "policies",
        migrations: [PolicyStore.migration],
        commands: [ListPolicies.command, SetPolicy.command],
        nouns: ["policy": "typed settings"])
}
