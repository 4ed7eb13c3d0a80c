import OpsProtocol

/// `target add`: register a SQLite file, or a database reached through its
/// own dump and restore commands.
enum AddTarget {
    static let sqlite = Option.named("sqlite", .text, "path of a SQLite database file", valueName: "PATH")
    static let dumpCommand = Option.named(
        "dump-command", .text, "command that writes a dump to standard output, e.g. 'pg_dump -Fc portal'",
        valueName: "CMD").command()
    static let restoreCommand = Option.named(
        "restore-command", .text,
        "command that reads a dump on standard input; {path} stands for 'backup restore --to', "
            + "e.g. 'createdb {path} && pg_restore -d {path}'",
        valueName: "CMD").command()
    static let checkCommand = Option.named(
        "check-command", .text, "command that checks a dump read on standard input, e.g. 'pg_restore -l'",
        valueName: "CMD").command()
    static let directory = Option.named("directory", .text, "where its backups go (default DATA/backups/KEY)",
                                        valueName: "DIR")

    static let command = Command(
        "target.add", "Register a database to back up", roles: BackupArguments.supervisors, audit: .changes,
        arguments: [BackupArguments.target, sqlite, dumpCommand, restoreCommand, checkCommand, directory],
        details: "Give --sqlite PATH, or --dump-command with --restore-command. "
            + "The console's own ops.db is the target 'ops'. Commands run with opsd's own rights, so only an admin "
            + "may give --dump-command, --restore-command or --check-command; others see them redacted.",
        handler: add)

    @Sendable static func add(_ context: CommandContext) throws -> Response {
        let key = try context[BackupArguments.target]
        let store = BackupStore(context.db)
        if try store.target(key) != nil {
            throw OpsError.refused("target '\(key)' already exists; change it with 'opsctl target set \(key)'")
        }
        let directory = try context[Self.directory]
        let target: BackupTarget
        switch (try context[sqlite], try context[dumpCommand]) {
        case (let path?, nil):
            guard path.hasPrefix("/") else { throw OpsError.usage("--sqlite needs an absolute path, not '\(path)'") }
            target = BackupTarget(key: key, kind: .sqlite, path: path, directory: directory)
        case (nil, let dump?):
            guard let restore = try context[restoreCommand] else {
                throw OpsError.usage("--dump-command needs --restore-command")
            }
            target = BackupTarget(key: key, kind: .command, dumpCommand: dump, restoreCommand: restore,
                                  checkCommand: try context[checkCommand], directory: directory)
        default:
            throw OpsError.usage("give either --sqlite PATH or --dump-command CMD --restore-command CMD")
        }
        try store.save(target, now: context.now)
        return Response(message: "Added backup target \(key) (\(target.kind.rawValue))",
                        data: target.json(shownTo: context.caller))
    }
}
