import OpsProtocol

/// A backup target that is a SQLite file: what integrity checks and
/// fingerprints open (a command target's dump is checked by its own
/// `--check-command`).
struct SQLiteTarget: Sendable {
    let key: String
    let path: String

    /// The target given as the command's `target` argument, refused when it
    /// is a command target.
    static func existing(_ context: CommandContext) throws -> SQLiteTarget {
        let target = try BackupArguments.existingTarget(context)
        guard target.kind == .sqlite, let path = target.path else {
            throw OpsError.refused("\(target.key) is a command target; integrity checks and fingerprints are for "
                                   + "SQLite targets (use its --check-command)")
        }
        return SQLiteTarget(key: target.key, path: path)
    }
}
