import OpsProtocol
import SQLite

/// What the backup commands share: the roles that take and check backups,
/// the target and backup arguments, and looking them up with the messages
/// that tell the caller where to find a valid one.
enum BackupArguments {
    /// Who takes backups, drills them and checks databases.
    static let operators: Set<Role> = [.operator, .supervisor, .admin]
    /// Operators and security: checking a backup or a database changes nothing.
    static let checkers: Set<Role> = operators.union([.security])
    /// Who changes targets, restores and removes backups.
    static let supervisors: Set<Role> = [.supervisor, .admin]

    static let target = Required.positional("target", .key, "the target, e.g. ops", valueName: "KEY")
    static let backup = Required.positional("backup", .text, "the backup, e.g. BK-2026-0012", valueName: "ID")

    /// The target named by `key`, or a refusal pointing at `target list`.
    static func existingTarget(_ key: String, _ db: Connection) throws -> BackupTarget {
        guard let target = try BackupStore(db).target(key) else {
            throw OpsError.refused("no backup target '\(key)'; see 'opsctl target list'")
        }
        return target
    }

    /// The target given as the command's `target` argument.
    static func existingTarget(_ context: CommandContext) throws -> BackupTarget {
        try existingTarget(try context[target], context.db)
    }

    /// The backup given as the command's `backup` argument (any case).
    static func existingBackup(_ context: CommandContext) throws -> Backup {
        let ref = try References(context).resolve(try context[backup], prefixes: ["BK"])
        guard let backup = try BackupStore(context.db).backup(ref) else {
            throw OpsError.refused("no backup \(ref); see 'opsctl backup list'")
        }
        return backup
    }
}
