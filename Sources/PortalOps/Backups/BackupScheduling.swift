import OpsProtocol

/// What the scheduler and a start do for backups: run what falls due, and
/// clean up after a backup or drill that a stop cut short.
enum BackupScheduling {
    /// Scheduled backups and drills: each due one is marked as run (so a
    /// failure is not retried every second) and handed to the daemon to run
    /// as itself; a failure raises a sev3 incident that pages the operators
    /// on shift.
    @Sendable static func tick(_ context: TickContext) throws -> Tick {
        var jobs: [ScheduledJob] = []
        let regime = BackupRegime(context.db)
        for target in try BackupStore(context.db).targets() {
            let schedules = try regime.schedules(target.key)
            for (schedule, last, drill) in [(schedules.backup, schedules.lastBackup, false),
                                            (schedules.drill, schedules.lastDrill, true)] {
                guard let schedule else { continue }
                // Due when a scheduled moment has come since the last run,
                // computed from now. A last run dated after now (the clock
                // stepped back) or none at all says nothing: the schedule
                // restarts from now instead of waiting for that date.
                guard let last, last <= context.now else {
                    try regime.markScheduled(target.key, drill: drill, now: context.now)
                    continue
                }
                guard schedule.latest(atOrBefore: context.now, time: context.time) > last else { continue }
                try regime.markScheduled(target.key, drill: drill, now: context.now)
                jobs.append(job(target: target.key, drill: drill))
            }
        }
        return Tick(jobs: jobs)
    }

    private static func job(target: String, drill: Bool) -> ScheduledJob {
        let command = drill ? "backup.drill" : "backup.run"
        var arguments: [String: JSON] = ["target": .string(target)]
        if !drill { arguments["label"] = "theo lịch" }
        return ScheduledJob(command: command, arguments: arguments) { error, context in
            let what = drill ? "diễn tập khôi phục" : "sao lưu theo lịch"
            try Alerts.raise(title: "Lỗi \(what) \(target)", detail: error.message, severity: .sev3, components: [],
                             alsoSupervisors: false, db: context.db, now: context.now, time: context.time)
            return ["scheduled \(command) of \(target) failed: \(error.message); an incident was opened"]
        }
    }

    /// At start: the console's own database is target `ops`; backups left
    /// `running` by a stop are marked failed and their partial files removed;
    /// drills' scratch copies are removed.
    @Sendable static func recover(_ context: RecoveryContext) throws -> [String] {
        let store = BackupStore(context.db)
        try store.ensureConsoleTarget(databasePath: context.environment.dataDirectory + "/ops.db", now: context.now)
        let engine = BackupEngine(environment: context.environment, time: context.time)
        var lines: [String] = []
        for backup in try store.failInterrupted(now: context.now) {
            let removed = try store.target(backup.target).map { engine.removeLeftovers(of: backup, target: $0) } ?? []
            lines.append("backup \(backup.ref) was running when opsd stopped; marked failed"
                         + (removed.isEmpty ? "" : ", removed \(removed.joined(separator: ", "))"))
        }
        let drills = engine.removeDrillLeftovers()
        if !drills.isEmpty {
            lines.append("removed what drills cut short by a stop left: \(drills.joined(separator: ", "))")
        }
        return lines
    }
}
