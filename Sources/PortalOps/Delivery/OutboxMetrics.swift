import OpsProtocol

/// The outbox's metric families: how many deliveries are in each state, and
/// how long the oldest one still to be sent has waited (a stuck sendmail or
/// relay shows here before anyone misses a notice).
enum OutboxMetrics {
    @Sendable static func families(_ context: MetricsContext) throws -> [MetricFamily] {
        let counts = try Outbox(context.db).counts(includeSecurity: context.includeSecurity)
        let byState = Delivery.State.allCases.map {
            MetricSample(Double(counts[$0] ?? 0), labels: [("state", $0.rawValue)])
        }
        let oldest = try context.db.queryRow("""
            SELECT MIN(created_at) AS oldest FROM deliveries
            WHERE state IN ('queued', 'sending', 'failed')
              AND (?1 OR message NOT IN (SELECT id FROM outbox_messages WHERE security = 1))
            """, context.includeSecurity)?.int("oldest")
        let age = oldest.map { max(0, Double(context.now - $0) / 1000) } ?? 0
        return [
            MetricFamily("portalops_outbox_deliveries", .gauge, "Deliveries in the outbox by state", samples: byState),
            .gauge("portalops_outbox_oldest_pending_age_seconds",
                   "Age of the oldest queued, sending or failed delivery (0 when none waits)", age),
        ]
    }
}
