import OpsProtocol

extension Capability {
    /// Every job from admission to outcome; at start, those a stop cut short are recorded failed.
    public static let jobs = Capability(
        "jobs",
        migrations: [JobStore.migration],
        status: { context in
            let running = try JobStore(context.db).running()
            return StatusSection(fields: [["jobs", "\(running.count) running"]],
                                 data: ["jobs_running": .int(Int64(running.count))])
        },
        recover: { context in
            let store = JobStore(context.db)
            return try store.running().map { job in
                let detail = "\(job.command) started \(context.time.format(job.startedAt)) by \(job.actor) "
                    + "was running when opsd stopped; recorded as failed"
                try store.finish(job.id, state: .failed, detail: detail, now: context.now)
                try AuditRecorder().recordDaemon(context.db, at: context.now, command: job.command,
                                                 arguments: ["job": .int(job.id)], detail: detail, outcome: "failed")
                return detail
            }
        })
}
