import OpsProtocol
extension Catalog {
    static let backupOperators: Set<Role> = [.operator, .supervisor, .admin]
    private static let backupRef = ArgumentSpec.positional("backup", .text, "the backup, e.g. BK-2026-0012", valueName: "ID")
    private static let targetKey = ArgumentSpec.positional("target", .key, "the target, e.g. ops", valueName: "KEY")

    static let backups: [CommandSpec] = [
        CommandSpec("target.add", "Register a database to back up", roles: [.supervisor, .admin], audit: .changes, arguments: [
            targetKey,
            .option("sqlite", .text, "path of a SQLite database file", valueName: "PATH"),
            .option("dump-command", .text, "command that writes a dump to standard output, e.g. 'pg_dump -Fc portal'", valueName: "CMD"),
            .option("restore-command", .text, "command that reads a dump on standard input; {path} stands for 'backup restore --to', e.g. 'createdb {path} && pg_restore -d {path}'", valueName: "CMD"),
            .option("check-command", .text, "command that checks a dump read on standard input, e.g. 'pg_restore -l'", valueName: "CMD"),
            .option("directory", .text, "where its backups go (default DATA/backups/KEY)", valueName: "DIR"),
        ], details: "Give --sqlite PATH, or --dump-command with --restore-command. The console's own ops.db is the target 'ops'."),
        CommandSpec("target.list", "List backup targets with their newest backup", roles: .everyone, audit: .none),
        CommandSpec("target.show", "Show a target and its backups", roles: .everyone, audit: .none, arguments: [targetKey]),
        CommandSpec("target.set", "Change a target's retention, copy and warnings", roles: [.supervisor, .admin], audit: .changes, arguments: [
            targetKey,
            .option("keep-last", .integer(1...1000), "keep this many newest backups"),
            .option("keep-daily", .integer(0...1000), "keep the newest of each of this many days"),
            .option("keep-weekly", .integer(0...1000), "… weeks"),
            .option("keep-monthly", .integer(0...1000), "… months"),
            .option("copy-to", .text, "a second directory each backup is copied to and verified in (3-2-1)", valueName: "DIR"),
            .option("max-age", .duration, "status warns when the newest verified backup is older"),
            .option("schedule", .text, "when opsd backs it up: 'daily 01:30', 'weekly mon 01:30' or 'none'", valueName: "WHEN"),
            .option("drill-schedule", .text, "when opsd runs a restore drill: same forms", valueName: "WHEN"),
        ], details: "A scheduled backup or drill that fails opens a sev3 incident, which pages the operators on shift."),
        CommandSpec("backup.run", "Take a backup now: copied, checked, hashed, described by a manifest", roles: backupOperators, audit: .changes, arguments: [
            targetKey,
            .option("label", .text, "e.g. 'trước nâng cấp'"),
            .option("window", .text, "the maintenance window it belongs to", valueName: "MW"),
        ], details: "SQLite targets use the online backup API, consistent while others write. Progress is shown as it goes."),
        CommandSpec("backup.list", "List backups", roles: .everyone, audit: .none, arguments: [
            .positional("target", .key, "only this target's", required: false, valueName: "KEY"),
        ]),
        CommandSpec("backup.show", "Show a backup and its manifest", roles: .everyone, audit: .none, arguments: [backupRef]),
        CommandSpec("backup.verify", "Re-hash a backup, check its integrity and compare its fingerprint with the manifest", roles: backupOperators + [.security], audit: .changes, arguments: [backupRef]),
        CommandSpec("backup.restore", "Restore a backup into a new file (or, with --replace, over the live database)", roles: [.supervisor, .admin], audit: .changes, arguments: [
            backupRef,
            .option("to", .text, "SQLite: a path that does not exist yet; command targets: what their restore command's {path} stands for (e.g. a scratch database name)", valueName: "PATH"),
            .flag("replace", "restore over the target's live database; a backup of what is there is taken first"),
        ]),
        CommandSpec("backup.drill", "Restore the newest backup into a scratch directory, check it, record the result", roles: backupOperators + [.security], audit: .changes, arguments: [targetKey]),
        CommandSpec("backup.prune", "Remove backups the target's retention does not keep", roles: [.supervisor, .admin], audit: .changes, arguments: [
            targetKey, .flag("dry-run", "only list what would be removed"),
        ], details: "Never removes the newest verified backup or a backup pinned by a maintenance window."),
        CommandSpec("integrity.check", "Run integrity_check (or --quick) and the foreign-key check on a SQLite target", roles: backupOperators + [.security], audit: .changes, arguments: [
            targetKey, .flag("quick", "quick_check: skips index-to-row matching, about 10x faster"),
        ]),
        CommandSpec("integrity.fingerprint", "Record a fingerprint of a SQLite target: schema hash, per table rows and SHA-256", roles: backupOperators + [.security], audit: .changes, arguments: [targetKey]),
        CommandSpec("integrity.compare", "Compare two fingerprints or backups table by table", roles: .everyone, audit: .none, arguments: [
            .positional("a", .text, "FP-… or BK-…", valueName: "A"),
            .positional("b", .text, "FP-… or BK-…", valueName: "B"),
        ]),
    ]
}

extension Set where Element == Role {
    static func + (lhs: Set<Role>, rhs: Set<Role>) -> Set<Role> { lhs.union(rhs) }
}
