import OpsProtocol

extension Capability {
    /// Users and roles: who may do what (Quy chế Art. 12.2, 14.2).
    public static let access = Capability(
        "access",
        migrations: [UserStore.migration, UserStore.monitorRoleMigration, ContactStore.migration],
        commands: [WhoAmI.command, AddUser.command, ListUsers.command, SetUserRole.command, DisableUser.command,
                   EnableUser.command, UserContact.command],
        nouns: ["whoami": "your account and role", "user": "accounts and roles"],
        status: ContactStatus.section)
}
