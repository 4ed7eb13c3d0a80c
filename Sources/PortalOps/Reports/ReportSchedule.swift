import OpsProtocol

/// The day after each cut-off (the 14th), opsd issues the period's report (issue 15). A period whose
/// cut-off is more than `catchUp` ago is not issued late: a console installed mid-year does not
/// flood the Office with reports of months it did not watch.
enum ReportSchedule {
    static let catchUp: Int64 = 10 * 86_400_000
    /// A report that failed (a full disk, a bug) is tried again an hour later, not every second: the scheduler
    /// would otherwise log the same failure 86,400 times a day.
    static let retryAfter: Int64 = 3_600_000
    private static let failedAt = Locked<[String: Int64]>([:])

    static func tick(_ context: TickContext) throws -> Tick {
        let periods = try PolicyStore(context.db).value(PolicyDefinition.reportSchedule)
            .split(separator: ",").compactMap { ReportPeriod(rawValue: String($0)) }
        var log: [String] = []
        for period in periods {
            let current = try period.window(of: nil, now: context.now, time: context.time)
            // The nine months close once a year; outside that, the window "under way" is the closed one.
            let closed = current.to <= context.now ? current
                : try period.window(of: nil, now: current.from - 1, time: context.time)
            guard closed.to <= context.now, context.now - closed.to < catchUp, let name = closed.name,
                  try !ReportStore(context.db).scheduledExists(name: name) else { continue }
            if let failed = failedAt.withLock({ $0[name] }), context.now - failed < retryAfter { continue }
            let outcome: ReportIssuer.Outcome
            do {
                outcome = try context.db.transaction {
                    try ReportIssuer.issue(closed, scheduled: true, db: context.db, time: context.time,
                                           now: context.now, by: "opsd")
                }
            } catch {
                failedAt.withLock { $0[name] = context.now }
                log.append("could not issue the report for \(name) (tried again in an hour): \(error)")
                continue
            }
            failedAt.withLock { _ = $0.removeValue(forKey: name) }
            try AuditRecorder().recordDaemon(context.db, at: context.now, command: "report.issue",
                                             arguments: ["period": .string(period.rawValue), "scheduled": true],
                                             detail: "issued \(outcome.ref) for \(name), sha256 \(outcome.sha256), "
                                                 + "\(outcome.deliveries) deliveries to group \(outcome.group)")
            log.append("issued report \(outcome.ref) for \(name) (sha256 \(outcome.sha256)); "
                       + "\(outcome.deliveries) deliveries to group \(outcome.group)")
        }
        return Tick(log: log)
    }
}
