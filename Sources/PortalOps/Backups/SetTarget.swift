import OpsProtocol

/// `target set`: retention, the 3-2-1 copy, the age warning and schedules.
enum SetTarget {
    static let keepLast = Option.named("keep-last", .integer(1...1000), "keep this many newest backups")
    static let keepDaily = Option.named("keep-daily", .integer(0...1000), "keep the newest of each of this many days")
    static let keepWeekly = Option.named("keep-weekly", .integer(0...1000), "… weeks")
    static let keepMonthly = Option.named("keep-monthly", .integer(0...1000), "… months")
    static let copyTo = Option.named("copy-to", .text,
                                     "a second directory each backup is copied to and verified in (3-2-1)",
                                     valueName: "DIR")
    static let maxAge = Option.named("max-age", .duration, "status warns when the newest verified backup is older")
    static let schedule = Option.named("schedule", .text,
                                       "when opsd backs it up: 'daily 01:30', 'weekly mon 01:30' or 'none'",
                                       valueName: "WHEN")
    static let drillSchedule = Option.named("drill-schedule", .text, "when opsd runs a restore drill: same forms",
                                            valueName: "WHEN")

    static let command = Command(
        "target.set", "Change a target's retention, copy and warnings", roles: BackupArguments.supervisors,
        audit: .changes,
        arguments: [BackupArguments.target, keepLast, keepDaily, keepWeekly, keepMonthly, copyTo, maxAge, schedule,
                    drillSchedule],
        details: "A scheduled backup or drill that fails opens a sev3 incident, which pages the operators on shift.",
        handler: set)

    @Sendable static func set(_ context: CommandContext) throws -> Response {
        var target = try BackupArguments.existingTarget(context)
        if let n = try context[keepLast] { target.keepLast = Int(n) }
        if let n = try context[keepDaily] { target.keepDaily = Int(n) }
        if let n = try context[keepWeekly] { target.keepWeekly = Int(n) }
        if let n = try context[keepMonthly] { target.keepMonthly = Int(n) }
        if let copy = try context[copyTo] {
            guard copy.hasPrefix("/") else { throw OpsError.usage("--copy-to needs an absolute path") }
            target.copyTo = copy
        }
        if let age = try context[maxAge] {
            guard case .milliseconds(let ms) = age else { throw OpsError.usage("--max-age takes s, m, h or d") }
            target.maxAge = ms
        }
        try BackupStore(context.db).save(target, now: context.now)
        /// nil: leave the schedule as it is; `.some(nil)`: `none`, no schedule.
        func parsed(_ argument: Option<String>) throws -> BackupSchedule?? {
            guard let text = try context[argument] else { return nil }
            return text == "none" ? .some(nil) : .some(try BackupSchedule.parse(text))
        }
        try BackupRegime(context.db).setSchedule(target.key, backup: try parsed(schedule),
                                                 drill: try parsed(drillSchedule), now: context.now)
        return Response(message: "Updated target \(target.key)", data: target.json(shownTo: context.caller))
    }
}
