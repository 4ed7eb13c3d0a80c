import OpsProtocol

extension Capability {
    /// The tamper-evident audit trail.
    public static let audit = Capability(
        "audit",
        migrations: [AuditLog.migration],
        commands: LegacyCommands.commands(Catalog.audit, quick: AuditCommands.handlers),
        nouns: ["audit": "the tamper-evident audit trail"])
}
