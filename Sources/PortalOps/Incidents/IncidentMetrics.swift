import OpsProtocol

/// Open (not yet resolved) incidents by severity, every severity listed so an
/// alert rule sees 0 rather than a missing series.
enum IncidentMetrics {
    @Sendable static func families(_ context: MetricsContext) throws -> [MetricFamily] {
        var counts: [String: Int64] = [:]
        for row in try context.db.query("""
            SELECT severity, COUNT(*) AS n FROM incidents
            WHERE state IN ('open', 'acknowledged') AND (?1 OR security = 0) GROUP BY severity
            """, context.includeSecurity) {
            if let severity = row.string("severity") { counts[severity] = row.int("n") ?? 0 }
        }
        let samples = Incident.Severity.allCases.map {
            MetricSample(Double(counts[$0.rawValue] ?? 0), labels: [("severity", $0.rawValue)])
        }
        return [MetricFamily("portalops_incidents_open", .gauge, "Open or acknowledged incidents by severity",
                             samples: samples)]
    }
}
