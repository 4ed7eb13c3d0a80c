import OpsProtocol

extension Capability {
    /// The data backup regime (Quy chế Art. 14.2): targets, backups, drills, retention.
    public static let backups = Capability(
        "backups",
        migrations: [BackupStore.migration, BackupRegime.migration],
        commands: LegacyCommands.commands(Catalog.backups.filter { $0.noun != "integrity" },
                                         quick: TargetCommands.handlers, jobs: { environment in
            BackupJobs.handlers(environment: environment).merging(RegimeJobs.handlers(environment: environment)) { a, _ in a }
        }),
        nouns: ["target": "databases the console backs up", "backup": "backups: take, verify, restore"],
        policies: PolicyDefinition.backups,
        status: BackupStatus.section,
        tick: BackupScheduling.tick,
        recover: BackupScheduling.recover)
}
