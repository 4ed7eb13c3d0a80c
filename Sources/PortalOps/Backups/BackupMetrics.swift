import OpsProtocol

/// Per target: whether it has a verified backup, and how old the newest is —
/// the figure the province's monitoring alerts on (the backup regime of Art. 14.2).
enum BackupMetrics {
    @Sendable static func families(_ context: MetricsContext) throws -> [MetricFamily] {
        let store = BackupStore(context.db)
        var ages: [MetricSample] = []
        var verified: [MetricSample] = []
        for target in try store.targets() {
            let newest = try store.newestVerified(target: target.key)
            verified.append(MetricSample(newest == nil ? 0 : 1, labels: [("target", target.key)]))
            if let newest {
                let taken = newest.finishedAt ?? newest.startedAt
                ages.append(MetricSample(max(0, Double(context.now - taken) / 1000), labels: [("target", target.key)]))
            }
        }
        return [
            MetricFamily("portalops_backup_verified", .gauge,
                         "1 if the target has at least one complete, verified backup", samples: verified),
            MetricFamily("portalops_backup_last_verified_age_seconds", .gauge,
                         "Age of the target's newest complete, verified backup (absent when it has none)",
                         samples: ages),
        ]
    }
}
