import OpsProtocol

extension Capability {
    /// The tamper-evident audit trail.
    public static let audit = Capability(
        "audit",
        migrations: [AuditLog.migration, SelfCheck.migration],
        commands: [ListAudit.command, VerifyAudit.command, ExportAudit.command],
        nouns: ["audit": "the tamper-evident audit trail"],
        status: SelfCheck.status,
        tick: SelfCheck.tick,
        metrics: AuditMetrics.families)
}
