import OpsProtocol
/// The outbox's line in `opsctl status`.
enum OutboxStatus {
    static func section(_ context: CommandContext) throws -> StatusSection {
        // Pages of security incidents are counted only for those who may see them.
        let counts = try Outbox(context.db).counts(includeSecurity: context.seesSecurityMessages)
        let queued = (counts[.queued] ?? 0) + (counts[.sending] ?? 0)
        let failed = counts[.failed] ?? 0
        let dead = counts[.dead] ?? 0
        var warnings: [String] = []
        if dead > 0 {
            warnings.append("\(dead) deliveries are dead: see 'opsctl outbox list --state dead', then 'opsctl outbox retry --dead'")
        }
        return StatusSection(fields: [["outbox", "\(queued) queued, \(failed) failed (will retry), \(dead) dead"]],
                             data: ["outbox": ["queued": .int(Int64(queued)), "failed": .int(Int64(failed)), "dead": .int(Int64(dead)),
                                               "sent": .int(Int64(counts[.sent] ?? 0)),
                                               "cancelled": .int(Int64(counts[.cancelled] ?? 0))]],
                             warnings: warnings)
    }
}
