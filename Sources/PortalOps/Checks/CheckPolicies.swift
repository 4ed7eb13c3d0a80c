import OpsProtocol

extension PolicyDefinition {
    public static let checksKeepResults = PolicyDefinition(
        "checks.keep_results", .duration(3_600_000...3_650 * 86_400_000), default: "30d",
        "raw check results are kept this long; hourly rollups (count, failures, latency p50/p95/max) are kept for good")
    public static let checksResolveOnRecovery = PolicyDefinition(
        "checks.resolve_on_recovery", .bool, default: "true",
        "a check's automatic incident is resolved when the check recovers (false: only noted on the timeline)")
    public static let checksSQLiteQuickCheck = PolicyDefinition(
        "checks.sqlite_quick_check", .duration(60_000...30 * 86_400_000), default: "1h",
        "a --sqlite check runs PRAGMA quick_check this often (SELECT 1 at every probe)")
    public static let checksCertIncident = PolicyDefinition(
        "checks.cert_incident", .duration(0...365 * 86_400_000), default: "3d",
        "a certificate this close to expiry opens an incident (--cert-warn only warns in status)")
    public static let checksConcurrency = PolicyDefinition(
        "checks.concurrency", .integer(1...1_000), default: "64", "probes run at once, at most")

    static let checks: [PolicyDefinition] = [checksKeepResults, checksResolveOnRecovery, checksSQLiteQuickCheck,
                                             checksCertIncident, checksConcurrency]
}
