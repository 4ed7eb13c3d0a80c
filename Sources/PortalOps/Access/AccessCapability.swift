import OpsProtocol

extension Capability {
    /// Users and roles: who may do what (Quy chế Art. 12.2, 14.2).
    public static let access = Capability(
        "access",
        migrations: [UserStore.migration],
        commands: LegacyCommands.commands(Catalog.access, quick: AccessCommands.handlers),
        nouns: ["whoami": "your account and role", "user": "accounts and roles"])
}
