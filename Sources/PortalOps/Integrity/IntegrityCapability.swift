import OpsProtocol

extension Capability {
    /// Integrity checks and content fingerprints of SQLite databases.
    public static let integrity = Capability(
        "integrity",
        migrations: [IntegrityStore.migration],
        commands: LegacyCommands.commands(Catalog.backups.filter { $0.noun == "integrity" },
                                         quick: TargetCommands.handlers, jobs: BackupJobs.handlers(environment:)),
        nouns: ["integrity": "integrity checks and fingerprints of SQLite databases"])
}
