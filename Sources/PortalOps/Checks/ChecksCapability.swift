import OpsProtocol

extension Capability {
    /// Health checks and heartbeats of the portal, automatic incidents and
    /// honest availability (Quy chế Art. 3.4, 12.3, 14.2: run 24/7, stay linked
    /// to the National Public Service Portal, detect incidents promptly).
    public static let checks = Capability(
        "checks",
        migrations: [CheckStore.migration],
        commands: [AddCheck.command, ListChecks.command, ShowCheck.command, PauseCheck.command, ResumeCheck.command,
                   RemoveCheck.command, RunCheck.command, PingCheck.command, SubmitCheck.command,
                   AvailabilityReport.command],
        nouns: ["check": "health checks and heartbeats of the portal and its links",
                "availability": "each component's share of time up, downtime by kind"],
        policies: PolicyDefinition.checks,
        status: CheckViews.status,
        tick: { context in Tick(log: try CheckSchedule.tick(db: context.db, now: context.now, time: context.time)) },
        recover: { context in
            // A new run: the gap since the last run's last tick is time opsd was not watching.
            try CheckStore(context.db).startRun(now: context.now)
            return []
        },
        metrics: CheckMetrics.families)
}
