import OpsProtocol

extension Capability {
    /// Incidents from detection to a closed review, with their legal clocks.
    public static let incidents = Capability(
        "incidents",
        migrations: [IncidentStore.migration],
        commands: LegacyCommands.commands(Catalog.incidents, quick: IncidentCommands.handlers),
        nouns: ["incident": "incidents, from detection to a closed review"],
        policies: PolicyDefinition.incidents,
        status: IncidentStatus.section,
        tick: { context in Tick(log: try IncidentSchedule.tick(db: context.db, now: context.now, time: context.time)) })
}
