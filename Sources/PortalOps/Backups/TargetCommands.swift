import OpsProtocol
/// Handlers of the `target.*`, `backup.list`, `backup.show` and
/// `integrity.compare` commands (the quick ones, run on the writer).
enum TargetCommands {
    static let handlers: [String: CommandHandler] = [
        "target.add": add,
        "target.list": list,
        "target.show": show,
        "target.set": set,
        "backup.list": backups,
        "backup.show": backup,
        "integrity.compare": compare,
    ]

    static func existing(_ context: CommandContext, _ name: String = "target") throws -> BackupTarget {
        let key = try context.arguments.required(name)
        guard let target = try BackupStore(context.db).target(key) else {
            throw OpsError.refused("no backup target '\(key)'; see 'opsctl target list'")
        }
        return target
    }

    static func add(_ context: CommandContext) throws -> Response {
        let args = context.arguments
        let key = try args.required("target")
        let store = BackupStore(context.db)
        if try store.target(key) != nil { throw OpsError.refused("target '\(key)' already exists; change it with 'opsctl target set \(key)'") }
        let target: BackupTarget
        switch (args.text("sqlite"), args.text("dump-command")) {
        case (let path?, nil):
            guard path.hasPrefix("/") else { throw OpsError.usage("--sqlite needs an absolute path, not '\(path)'") }
            target = BackupTarget(key: key, kind: .sqlite, path: path, directory: args.text("directory"))
        case (nil, let dump?):
            guard let restore = args.text("restore-command") else { throw OpsError.usage("--dump-command needs --restore-command") }
            target = BackupTarget(key: key, kind: .command, dumpCommand: dump, restoreCommand: restore,
                                  checkCommand: args.text("check-command"), directory: args.text("directory"))
        default:
            throw OpsError.usage("give either --sqlite PATH or --dump-command CMD --restore-command CMD")
        }
        try store.save(target, now: context.now)
        return Response(message: "Added backup target \(key) (\(target.kind.rawValue))", data: target.json)
    }

    static func list(_ context: CommandContext) throws -> Response {
        let store = BackupStore(context.db)
        let targets = try store.targets()
        let rows = try targets.map { target -> [String] in
            let newest = try store.backups(target: target.key).last { $0.state == "complete" }
            return [target.key, target.kind.rawValue, target.path ?? target.dumpCommand ?? "-",
                    newest.map { "\($0.ref) \(context.time.format($0.finishedAt ?? $0.startedAt))" } ?? "none"]
        }
        return Response(data: ["targets": .array(targets.map(\.json))],
                        table: .init(columns: ["TARGET", "KIND", "SOURCE", "NEWEST BACKUP"], rows: rows))
    }

    static func show(_ context: CommandContext) throws -> Response {
        let target = try existing(context)
        let backups = try BackupStore(context.db).backups(target: target.key)
        var fields = [["target", target.key], ["kind", target.kind.rawValue]]
        if let path = target.path { fields.append(["path", path]) }
        if let dump = target.dumpCommand { fields.append(["dump", dump]) }
        if let restore = target.restoreCommand { fields.append(["restore", restore]) }
        fields.append(["retention", "last \(target.keepLast), daily \(target.keepDaily), weekly \(target.keepWeekly), monthly \(target.keepMonthly)"])
        if let copy = target.copyTo { fields.append(["copy to", copy]) }
        if let age = target.maxAge { fields.append(["max age", DurationText.milliseconds(age).description]) }
        let regime = BackupRegime(context.db)
        let schedules = try regime.schedules(target.key)
        fields.append(["schedule", schedules.backup.map { "\($0), next \(context.time.format($0.next(after: schedules.lastBackup ?? context.now, time: context.time)))" } ?? "none"])
        fields.append(["drill schedule", schedules.drill?.description ?? "none"])
        if let drill = try regime.lastDrill(target.key) {
            fields.append(["last drill", "\(context.time.format(drill.at)) \(drill.ok ? "ok" : "FAILED"): \(drill.detail)"])
        }
        return Response(data: target.json.merging(["backups": .array(backups.map { $0.json(time: context.time) })]), fields: fields,
                        table: backupTable(backups, context.time))
    }

    static func set(_ context: CommandContext) throws -> Response {
        var target = try existing(context)
        let args = context.arguments
        if let n = args.int("keep-last") { target.keepLast = Int(n) }
        if let n = args.int("keep-daily") { target.keepDaily = Int(n) }
        if let n = args.int("keep-weekly") { target.keepWeekly = Int(n) }
        if let n = args.int("keep-monthly") { target.keepMonthly = Int(n) }
        if let copy = args.text("copy-to") {
            guard copy.hasPrefix("/") else { throw OpsError.usage("--copy-to needs an absolute path") }
            target.copyTo = copy
        }
        if let age = args.duration("max-age") {
            guard case .milliseconds(let ms) = age else { throw OpsError.usage("--max-age takes s, m, h or d") }
            target.maxAge = ms
        }
        try BackupStore(context.db).save(target, now: context.now)
        func schedule(_ name: String) throws -> BackupSchedule?? {
            guard let text = args.text(name) else { return nil }
            return text == "none" ? .some(nil) : .some(try BackupSchedule.parse(text))
        }
        try BackupRegime(context.db).setSchedule(target.key, backup: try schedule("schedule"), drill: try schedule("drill-schedule"), now: context.now)
        return Response(message: "Updated target \(target.key)", data: target.json)
    }

    static func backupTable(_ backups: [Backup], _ time: LocalTime) -> Response.Table {
        .init(columns: ["BACKUP", "TARGET", "STATE", "TAKEN", "SIZE", "VERIFIED", "LABEL"], rows: backups.map {
            [$0.ref, $0.target, $0.state, time.format($0.finishedAt ?? $0.startedAt), $0.size.map(String.init) ?? "-",
             $0.verifyOK.map { $0 ? "ok" : "FAILED" } ?? "-", $0.label ?? $0.error ?? "-"]
        })
    }

    static func backups(_ context: CommandContext) throws -> Response {
        let backups = try BackupStore(context.db).backups(target: context.arguments.text("target"))
        return Response(data: ["backups": .array(backups.map { $0.json(time: context.time) })], table: backupTable(backups, context.time))
    }

    static func existingBackup(_ context: CommandContext) throws -> Backup {
        let ref = try context.arguments.required("backup").uppercased()
        guard let backup = try BackupStore(context.db).backup(ref) else { throw OpsError.refused("no backup \(ref); see 'opsctl backup list'") }
        return backup
    }

    static func backup(_ context: CommandContext) throws -> Response {
        let b = try existingBackup(context)
        var fields = [["backup", b.ref], ["target", b.target], ["state", b.state], ["started", context.time.format(b.startedAt)]]
        if let finished = b.finishedAt { fields.append(["finished", context.time.format(finished)]) }
        if let file = b.file { fields.append(["file", file]) }
        if let manifest = b.manifest { fields.append(["manifest", manifest]) }
        if let size = b.size { fields.append(["size", "\(size) bytes"]) }
        if let sha = b.sha256 { fields.append(["sha256", sha]) }
        if let copy = b.copyFile { fields.append(["copy", copy]) }
        if let verified = b.verifiedAt { fields.append(["verified", "\(context.time.format(verified)): \(b.verifyOK == true ? "ok" : "FAILED") — \(b.verifyDetail ?? "")"]) }
        if let error = b.error { fields.append(["error", error]) }
        if let tables = b.fingerprint?.tables { fields.append(["tables", tables.keys.sorted().map { "\($0) \(tables[$0]!.rows)" }.joined(separator: ", ")]) }
        return Response(data: b.json(time: context.time), fields: fields)
    }

    static func fingerprint(of ref: String, _ context: CommandContext) throws -> Fingerprint {
        let upper = ref.uppercased()
        if upper.hasPrefix("FP-"), let id = Int64(upper.dropFirst(3)),
           let record = try IntegrityStore(context.db).record(id), let fingerprint = record.fingerprint {
            return fingerprint
        }
        if let backup = try BackupStore(context.db).backup(upper) {
            guard let fingerprint = backup.fingerprint else { throw OpsError.refused("\(upper) has no fingerprint (only SQLite backups have one)") }
            return fingerprint
        }
        throw OpsError.refused("no fingerprint or backup \(ref); give FP-… from 'integrity fingerprint' or BK-… from 'backup list'")
    }

    static func compare(_ context: CommandContext) throws -> Response {
        let a = try fingerprint(of: try context.arguments.required("a"), context)
        let b = try fingerprint(of: try context.arguments.required("b"), context)
        let (schemaChanged, tables) = a.compare(to: b)
        let changed = tables.filter { $0.change != .unchanged }
        return Response(
            message: schemaChanged || !changed.isEmpty ? "\(changed.count) table(s) differ\(schemaChanged ? "; the schema changed" : "")" : "identical: schema and every table",
            data: ["schema_changed": .bool(schemaChanged), "identical": .bool(!schemaChanged && changed.isEmpty),
                   "tables": .array(tables.map { ["table": .string($0.table), "change": .string($0.change.rawValue),
                                                   "rows_before": JSON($0.before), "rows_after": JSON($0.after)] })],
            table: .init(columns: ["TABLE", "CHANGE", "ROWS BEFORE", "ROWS AFTER"], rows: tables.map {
                [$0.table, $0.change.rawValue, $0.before.map(String.init) ?? "-", $0.after.map(String.init) ?? "-"]
            }))
    }
}
