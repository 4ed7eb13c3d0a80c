/// Where a backup is in its life, stored as the same text the `backups.state`
/// column's CHECK allows, so no migration is needed.
public enum BackupState: String, Sendable, CaseIterable {
    /// Started on the writer; its files are being written beside it.
    case running
    /// Written, checked, hashed and described by its manifest.
    case complete
    /// The work failed, or a stop cut it short.
    case failed
}
