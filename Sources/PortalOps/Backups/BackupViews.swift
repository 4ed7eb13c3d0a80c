import OpsProtocol

/// `backup list`: every backup still on disk, or one target's.
enum ListBackups {
    static let target = Option.positional("target", .key, "only this target's", valueName: "KEY")

    static let period = PeriodFilter(from: "only backups started from", to: "only backups started before")

    static let command = Command("backup.list", "List backups", roles: .everyone, audit: .none,
                                 arguments: [target] + period.arguments, handler: list)

    @Sendable static func list(_ context: CommandContext) throws -> Response {
        let window = try period.window(context)
        let backups = try BackupStore(context.db).backups(target: try context[target])
            .filter { window?.contains($0.startedAt) ?? true }
        return Response(message: PeriodFilter.statement(window, context),
                        data: ["backups": .array(backups.map { $0.json(time: context.time) }),
                               "window": PeriodFilter.json(window, context)],
                        table: table(backups, context.time))
    }

    /// The table `backup list` and `target show` print.
    static func table(_ backups: [Backup], _ time: LocalTime) -> Response.Table {
        .init(columns: ["BACKUP", "TARGET", "STATE", "TAKEN", "SIZE", "VERIFIED", "LABEL"], rows: backups.map {
            [$0.ref, $0.target, $0.state.rawValue, time.format($0.finishedAt ?? $0.startedAt),
             $0.size.map(String.init) ?? "-", $0.verifyOK.map { $0 ? "ok" : "FAILED" } ?? "-",
             $0.label ?? $0.error ?? "-"]
        })
    }
}

/// `backup show`: one backup, its files, its verification and its tables.
enum ShowBackup {
    static let command = Command("backup.show", "Show a backup and its manifest", roles: .everyone, audit: .none,
                                 arguments: [BackupArguments.backup], handler: show)

    @Sendable static func show(_ context: CommandContext) throws -> Response {
        let b = try BackupArguments.existingBackup(context)
        var fields = [["backup", b.ref], ["target", b.target], ["state", b.state.rawValue],
                      ["started", context.time.format(b.startedAt)]]
        if let finished = b.finishedAt { fields.append(["finished", context.time.format(finished)]) }
        if let file = b.file { fields.append(["file", file]) }
        if let manifest = b.manifest { fields.append(["manifest", manifest]) }
        if let size = b.size { fields.append(["size", "\(size) bytes"]) }
        if let sha = b.sha256 { fields.append(["sha256", sha]) }
        if let copy = b.copyFile { fields.append(["copy", copy]) }
        if let verified = b.verifiedAt {
            fields.append(["verified", "\(context.time.format(verified)): \(b.verifyOK == true ? "ok" : "FAILED") — "
                                       + (b.verifyDetail ?? "")])
        }
        if let error = b.error { fields.append(["error", error]) }
        if let tables = b.fingerprint?.tables {
            fields.append(["tables", tables.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.rows)" }
                .joined(separator: ", ")])
        }
        return Response(data: b.json(time: context.time), fields: fields)
    }
}
