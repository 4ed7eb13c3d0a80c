import OpsProtocol

extension PolicyDefinition {
    /// Read by `BackupLimits.load`, so a running dump cannot hold the backup
    /// regime up forever.
    public static let backupTimeout = PolicyDefinition("backup.timeout", .duration(60_000...86_400_000), default: "6h",
                                                       "a dump, check or restore command running longer is stopped")
    /// Read by `BackupLimits.load`: the disk a backup writes to may also hold
    /// the live databases.
    public static let backupKeepFreeMiB = PolicyDefinition(
        "backup.keep_free_mib", .integer(0...1_000_000_000), default: "100",
        "a backup, copy or drill that would leave less than this many MiB free on its disk is refused before it writes")

    static let backups: [PolicyDefinition] = [backupTimeout, backupKeepFreeMiB]
}
