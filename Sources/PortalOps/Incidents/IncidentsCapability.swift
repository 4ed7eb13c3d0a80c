import OpsProtocol

extension Capability {
    /// Incidents from detection to a closed review, with their legal clocks.
    public static let incidents = Capability(
        "incidents",
        migrations: [IncidentStore.migration, IncidentStore.peakMigration, IncidentStore.publishedMigration,
                     IncidentStore.securityIndexMigration],
        commands: [OpenIncident.command, ListIncidents.command, ShowIncident.command, AcknowledgeIncident.command,
                   AssignIncident.command, NoteIncident.command, ChangeSeverity.command, ResolveIncident.command,
                   CloseIncident.command, ReopenIncident.command, IncidentReport.command, RecordNotified.command,
                   IncidentStatistics.command, PublishIncident.command, UnpublishIncident.command],
        nouns: ["incident": "incidents, from detection to a closed review"],
        policies: PolicyDefinition.incidents,
        status: IncidentStatus.section,
        tick: { context in Tick(log: try IncidentSchedule.tick(db: context.db, now: context.now, time: context.time)) },
        metrics: IncidentMetrics.families)
}
