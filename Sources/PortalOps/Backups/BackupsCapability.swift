import OpsProtocol

extension Capability {
    /// The data backup regime (Quy chế Art. 14.2): targets, backups, drills, retention.
    public static let backups = Capability(
        "backups",
        migrations: [BackupStore.migration, BackupRegime.migration, BackupStore.consoleDefaults],
        commands: [
            AddTarget.command, ListTargets.command, ShowTarget.command, SetTarget.command,
            RunBackup.command, ListBackups.command, ShowBackup.command, VerifyBackup.command,
            RestoreBackup.command, DrillBackup.command, PruneBackups.command,
        ],
        nouns: ["target": "databases the console backs up", "backup": "backups: take, verify, restore"],
        policies: PolicyDefinition.backups,
        status: BackupStatus.section,
        tick: BackupScheduling.tick,
        recover: BackupScheduling.recover,
        metrics: BackupMetrics.families)
}
