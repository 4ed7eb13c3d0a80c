import OpsProtocol
import SQLite

/// The settings backup work runs within, read on the writer when a job is
/// prepared and carried to the work beside it.
public struct BackupLimits: Sendable {
    /// A dump, check or restore command running longer is stopped.
    public let timeoutMilliseconds: Int64
    /// What must stay free on a disk that a backup, a copy or a drill writes
    /// to: the same disk may hold the live databases.
    public let keepFreeBytes: Int64

    static func load(_ db: Connection) throws -> BackupLimits {
        let policies = PolicyStore(db)
        return BackupLimits(timeoutMilliseconds: try policies.milliseconds(PolicyDefinition.backupTimeout),
                            keepFreeBytes: try policies.integer(PolicyDefinition.backupKeepFreeMiB) << 20)
    }
}
