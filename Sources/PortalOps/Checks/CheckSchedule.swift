import OpsProtocol
import SQLite

/// The checks' part of the scheduler tick: opsd's own sign of life (so the
/// time it was not running is known later), missed heartbeats, certificates
/// about to expire, rollups and retention.
enum CheckSchedule {
    static func tick(db: Connection, now: Int64, time: LocalTime) throws -> [String] {
        let store = CheckStore(db)
        try store.markAlive(now: now)
        var log: [String] = []
        var missed: [ProbeResult] = []
        for check in try store.heartbeats() {
            let deadline = (check.lastAt ?? check.createdAt) + check.interval + check.grace
            guard now >= deadline else { continue }
            let last = check.lastAt.map { "since \(time.format($0))" } ?? "ever"
            missed.append(ProbeResult(check: check.key, dueAt: deadline, at: deadline, status: .critical, latency: nil,
                                      detail: "no ping \(last) (expected every \(Check.span(check.interval)) "
                                        + "+ \(Check.span(check.grace)) grace)"))
        }
        log += try CheckRules.record(missed, db: db, now: now, time: time)
        log += try certificates(db: db, now: now, time: time)
        try store.rollUp(now: now, keep: try PolicyStore(db).milliseconds(.checksKeepResults))
        return log
    }

    /// Opens one incident per certificate that is within `checks.cert_incident` of expiry.
    static func certificates(db: Connection, now: Int64, time: LocalTime) throws -> [String] {
        let before = try PolicyStore(db).milliseconds(.checksCertIncident)
        var log: [String] = []
        let store = CheckStore(db)
        for var check in try store.expiringCertificates(now: now, before: before) {
            guard let expiry = check.certExpiresAt else { continue }
            let incident = try Alerts.raise(
                title: "TLS certificate of \(check.target) expires \(time.format(expiry))",
                detail: "check \(check.key) saw a certificate that expires \(time.format(expiry)); "
                    + "renew it before then",
                severity: check.severity, components: [check.component], alsoSupervisors: false, db: db, now: now,
                time: time)
            check.certIncident = incident.ref
            try store.saveState(check)
            log.append("check \(check.key): certificate expires \(time.format(expiry)); opened \(incident.ref)")
        }
        return log
    }
}
