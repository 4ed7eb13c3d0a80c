import OpsProtocol

/// Checks by state (every state listed, so an alert rule sees 0 rather than a missing series) and
/// the expiry of each HTTPS check's certificate, for the province's monitoring.
enum CheckMetrics {
    @Sendable static func families(_ context: MetricsContext) throws -> [MetricFamily] {
        var counts: [String: Int64] = [:]
        let sql = "SELECT state, COUNT(*) AS n FROM checks WHERE removed_at IS NULL GROUP BY state"
        for row in try context.db.query(sql) {
            if let state = row.string("state") { counts[state] = row.int("n") ?? 0 }
        }
        let states = Check.State.allCases.map {
            MetricSample(Double(counts[$0.rawValue] ?? 0), labels: [("state", $0.rawValue)])
        }
        let certificates = try context.db.query("""
            SELECT key, cert_expires_at FROM checks WHERE removed_at IS NULL AND cert_expires_at IS NOT NULL
            ORDER BY key
            """).map {
            MetricSample(Double($0.int("cert_expires_at") ?? 0) / 1000, labels: [("check", $0.string("key") ?? "")])
        }
        return [MetricFamily("portalops_checks", .gauge, "Health checks by state", samples: states),
                MetricFamily("portalops_check_certificate_expiry_timestamp_seconds", .gauge,
                             "When the certificate an HTTPS check last saw expires (Unix time)", samples: certificates)]
    }
}
