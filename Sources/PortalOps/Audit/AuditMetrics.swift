import OpsProtocol

/// The audit trail's length (it only grows: a drop means entries were removed
/// behind opsd's back) and the result of the last hourly self-check.
enum AuditMetrics {
    @Sendable static func families(_ context: MetricsContext) throws -> [MetricFamily] {
        let length = try context.db.queryRow("SELECT seq FROM audit_head WHERE id = 1")?.int("seq") ?? 0
        var families = [MetricFamily.gauge("portalops_audit_entries", "Entries in the hash-chained audit trail",
                                           Double(length))]
        if let last = try SelfCheck.last(context.db) {
            families.append(.gauge("portalops_audit_last_verify_ok",
                                   "1 if the last hourly self-check (audit verify and quick_check) passed",
                                   last.ok ? 1 : 0))
            families.append(.gauge("portalops_audit_last_verify_timestamp_seconds",
                                   "When the last hourly self-check ran (Unix time)", Double(last.at) / 1000))
        }
        return families
    }
}
