import OpsProtocol

/// `target list`: each target with its newest complete backup.
enum ListTargets {
    static let command = Command("target.list", "List backup targets with their newest backup", roles: .everyone,
                                 audit: .none, handler: list)

    @Sendable static func list(_ context: CommandContext) throws -> Response {
        let store = BackupStore(context.db)
        let targets = try store.targets()
        let rows = try targets.map { target -> [String] in
            let newest = try store.backups(target: target.key).last { $0.state == .complete }
            let source = target.path ?? target.dumpCommand.map { Redaction.shown($0, to: context.caller) }
            return [target.key, target.kind.rawValue, source ?? "-",
                    newest.map { "\($0.ref) \(context.time.format($0.finishedAt ?? $0.startedAt))" } ?? "none"]
        }
        return Response(data: ["targets": .array(targets.map { $0.json(shownTo: context.caller) })],
                        table: .init(columns: ["TARGET", "KIND", "SOURCE", "NEWEST BACKUP"], rows: rows))
    }
}

/// `target show`: a target, its schedules, its last drill and its backups.
enum ShowTarget {
    static let command = Command("target.show", "Show a target and its backups", roles: .everyone, audit: .none,
                                 arguments: [BackupArguments.target], handler: show)

    @Sendable static func show(_ context: CommandContext) throws -> Response {
        let target = try BackupArguments.existingTarget(context)
        let backups = try BackupStore(context.db).backups(target: target.key)
        var fields = [["target", target.key], ["kind", target.kind.rawValue]]
        if let path = target.path { fields.append(["path", path]) }
        if let dump = target.dumpCommand { fields.append(["dump", Redaction.shown(dump, to: context.caller)]) }
        if let restore = target.restoreCommand {
            fields.append(["restore", Redaction.shown(restore, to: context.caller)])
        }
        if let check = target.checkCommand { fields.append(["check", Redaction.shown(check, to: context.caller)]) }
        fields.append(["retention", "last \(target.keepLast), daily \(target.keepDaily), "
                                    + "weekly \(target.keepWeekly), monthly \(target.keepMonthly)"])
        if let copy = target.copyTo { fields.append(["copy to", copy]) }
        if let age = target.maxAge { fields.append(["max age", DurationText.milliseconds(age).description]) }
        let regime = BackupRegime(context.db)
        let schedules = try regime.schedules(target.key)
        let next = schedules.backup.map { schedule in
            let at = schedule.next(after: schedules.lastBackup ?? context.now, time: context.time)
            return "\(schedule), next \(context.time.format(at))"
        }
        fields.append(["schedule", next ?? "none"])
        fields.append(["drill schedule", schedules.drill?.description ?? "none"])
        if let drill = try regime.lastDrill(target.key) {
            let outcome = drill.ok ? "ok" : "FAILED"
            fields.append(["last drill", "\(context.time.format(drill.at)) \(outcome): \(drill.detail)"])
        }
        let history: JSON = .array(backups.map { $0.json(time: context.time) })
        let schedule: [String: JSON] = ["schedule": JSON(schedules.backup?.description),
                                        "drill_schedule": JSON(schedules.drill?.description), "backups": history]
        return Response(data: target.json(shownTo: context.caller).merging(schedule),
                        fields: fields, table: ListBackups.table(backups, context.time))
    }
}
