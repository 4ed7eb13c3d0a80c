import OpsProtocol
import SQLite

/// The `checks`, `check_results`, `check_rollups`, `check_periods` and
/// `opsd_runs` tables.
public struct CheckStore {
    let db: Connection

    public init(_ db: Connection) { self.db = db }

    static let migration = Migration(version: 30, name: "checks", sql: """
        CREATE TABLE checks(
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            component TEXT NOT NULL REFERENCES components(key),
            kind TEXT NOT NULL CHECK (kind IN ('http', 'tcp', 'dns', 'sqlite', 'disk', 'command', 'heartbeat')),
            target TEXT NOT NULL,
            expect_status TEXT,
            contains TEXT,
            max_latency INTEGER,
            expect_address TEXT,
            min_free INTEGER,
            cert_warn INTEGER NOT NULL,
            interval INTEGER NOT NULL,
            timeout INTEGER NOT NULL,
            fail_after INTEGER NOT NULL,
            recover_after INTEGER NOT NULL,
            severity TEXT NOT NULL,
            grace INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL CHECK (state IN ('pending', 'up', 'down', 'maintenance', 'paused')),
            failures INTEGER NOT NULL DEFAULT 0,
            successes INTEGER NOT NULL DEFAULT 0,
            since INTEGER NOT NULL,
            last_at INTEGER,
            last_status TEXT,
            last_detail TEXT,
            last_latency INTEGER,
            down_since INTEGER,
            incident TEXT,
            cert_expires_at INTEGER,
            cert_incident TEXT,
            rolled_until INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            created_by TEXT NOT NULL,
            removed_at INTEGER
        );
        CREATE TABLE check_results(
            id INTEGER PRIMARY KEY,
            check_id INTEGER NOT NULL REFERENCES checks(id),
            due_at INTEGER NOT NULL,
            at INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('ok', 'warning', 'critical', 'unknown')),
            maintenance INTEGER NOT NULL DEFAULT 0,
            latency INTEGER,
            detail TEXT NOT NULL
        );
        CREATE INDEX check_results_check ON check_results(check_id, at);
        CREATE TABLE check_rollups(
            check_id INTEGER NOT NULL REFERENCES checks(id),
            hour INTEGER NOT NULL,
            count INTEGER NOT NULL,
            failures INTEGER NOT NULL,
            p50 INTEGER,
            p95 INTEGER,
            max INTEGER,
            PRIMARY KEY (check_id, hour)
        );
        CREATE TABLE check_periods(
            id INTEGER PRIMARY KEY,
            check_id INTEGER NOT NULL REFERENCES checks(id),
            state TEXT NOT NULL CHECK (state IN ('up', 'down', 'paused')),
            start INTEGER NOT NULL,
            end INTEGER
        );
        CREATE INDEX check_periods_check ON check_periods(check_id, start);
        CREATE TABLE opsd_runs(
            id INTEGER PRIMARY KEY,
            started_at INTEGER NOT NULL,
            alive_at INTEGER NOT NULL
        );
        """)

    public func insert(_ c: Check, by actor: String) throws -> Check {
        try db.run("""
            INSERT INTO checks(key, component, kind, target, expect_status, contains, max_latency, expect_address,
                min_free, cert_warn, interval, timeout, fail_after, recover_after, severity, grace, state, since,
                created_at, created_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, c.key, c.component, c.kind.rawValue, c.target, c.expectStatus, c.contains, c.maxLatency,
                   c.expectAddress, c.minFreePercent, c.certWarn, c.interval, c.timeout, Int64(c.failAfter),
                   Int64(c.recoverAfter), c.severity.rawValue, c.grace, c.state.rawValue, c.since, c.createdAt, actor)
        guard let saved = try byID(db.lastInsertRowID) else { throw OpsError.internalError("check vanished") }
        return saved
    }

    /// Saves the running state (not the definition, which only `check add` writes).
    public func saveState(_ c: Check) throws {
        try db.run("""
            UPDATE checks SET state = ?, failures = ?, successes = ?, since = ?, last_at = ?, last_status = ?,
                last_detail = ?, last_latency = ?, down_since = ?, incident = ?, cert_expires_at = ?,
                cert_incident = ?
            WHERE id = ?
            """, c.state.rawValue, Int64(c.failures), Int64(c.successes), c.since, c.lastAt, c.lastStatus?.rawValue,
                   c.lastDetail, c.lastLatency, c.downSince, c.incident, c.certExpiresAt, c.certIncident, c.id)
    }

    public func remove(_ c: Check, now: Int64) throws {
        try db.run("UPDATE checks SET removed_at = ?, key = key || '#' || id WHERE id = ?", now, c.id)
    }

    /// Components with a check that is down now (for the public status page and metrics).
    public func failingComponents() throws -> [String] {
        try db.query("""
            SELECT DISTINCT component FROM checks WHERE state = 'down' AND removed_at IS NULL ORDER BY component
            """)
            .compactMap { $0.string(0) }
    }

    public func byKey(_ key: String) throws -> Check? {
        try db.queryRow("SELECT * FROM checks WHERE key = ? AND removed_at IS NULL", key).map(check)
    }

    public func byID(_ id: Int64) throws -> Check? {
        try db.queryRow("SELECT * FROM checks WHERE id = ?", id).map(check)
    }

    /// Every check not removed, by key.
    public func all() throws -> [Check] {
        try db.query("SELECT * FROM checks WHERE removed_at IS NULL ORDER BY key").map(check)
    }

    /// Heartbeats that are not paused (what the tick looks at every second).
    func heartbeats() throws -> [Check] {
        try db.query("SELECT * FROM checks WHERE removed_at IS NULL AND kind = 'heartbeat' AND state != 'paused'")
            .map(check)
    }

    /// Checks whose certificate is within `before` of expiry and has no incident yet.
    func expiringCertificates(now: Int64, before: Int64) throws -> [Check] {
        try db.query("""
            SELECT * FROM checks WHERE removed_at IS NULL AND state != 'paused' AND cert_incident IS NULL
                AND cert_expires_at IS NOT NULL AND cert_expires_at - ? <= ?
            """, now, before).map(check)
    }

    /// Changes when a check is added, removed, paused or resumed: the prober reads the whole list
    /// again only then (and once a minute), not every second.
    public func listVersion() throws -> String {
        let row = try db.queryRow("""
            SELECT COUNT(*) AS n, COALESCE(MAX(id), 0) AS top,
                COALESCE(SUM(CASE WHEN state = 'paused' THEN id ELSE 0 END), 0) AS paused
            FROM checks WHERE removed_at IS NULL
            """)
        return "\(row?.int("n") ?? 0)/\(row?.int("top") ?? 0)/\(row?.int("paused") ?? 0)"
    }

    /// Every check of a component, removed ones included (their history still counts).
    func ids(component: String) throws -> [Int64] {
        try db.query("SELECT id FROM checks WHERE component = ? ORDER BY id", component).compactMap { $0.int(0) }
    }

    func addResult(_ checkID: Int64, _ r: ProbeResult, maintenance: Bool) throws {
        try db.run("""
            INSERT INTO check_results(check_id, due_at, at, status, maintenance, latency, detail)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, checkID, r.dueAt, r.at, r.status.rawValue, maintenance, r.latency, r.detail)
    }

    /// The detail of the failure before the latest result (what the incident's timeline last heard).
    func previousFailureDetail(_ checkID: Int64) throws -> String? {
        try db.queryRow("""
            SELECT detail FROM check_results WHERE check_id = ?1 AND status IN ('critical', 'unknown')
                AND id < (SELECT MAX(id) FROM check_results WHERE check_id = ?1)
            ORDER BY id DESC LIMIT 1
            """, checkID)?.string("detail")
    }

    public struct StoredResult: Sendable {
        public let at: Int64
        public let status: ProbeStatus
        public let maintenance: Bool
        public let latency: Int64?
        public let detail: String
    }

    public func results(_ checkID: Int64, limit: Int64) throws -> [StoredResult] {
        try db.query("SELECT * FROM check_results WHERE check_id = ? ORDER BY at DESC, id DESC LIMIT ?",
                     checkID, limit).map {
            StoredResult(at: $0.int("at") ?? 0, status: ProbeStatus(rawValue: $0.string("status") ?? "") ?? .unknown,
                         maintenance: $0.bool("maintenance") ?? false, latency: $0.int("latency"),
                         detail: $0.string("detail") ?? "")
        }
    }

    // MARK: periods: what availability is computed from

    /// Closes the check's open period at `at` and opens one in `state` (nil: none, the check is gone).
    func switchPeriod(_ checkID: Int64, to state: Period.State?, at: Int64) throws {
        let open = try db.queryRow("SELECT id, state FROM check_periods WHERE check_id = ? AND end IS NULL", checkID)
        if let open, open.string("state") == state?.rawValue { return }
        if let id = open?.int("id") { try db.run("UPDATE check_periods SET end = ? WHERE id = ?", at, id) }
        if let state {
            try db.run("INSERT INTO check_periods(check_id, state, start) VALUES (?, ?, ?)",
                       checkID, state.rawValue, at)
        }
    }

    public struct Period: Sendable, Equatable {
        public enum State: String, Sendable { case up, down, paused }
        public let check: Int64
        public let state: State
        public let start: Int64
        public let end: Int64?
    }

    func periods(_ checkIDs: [Int64], from: Int64, to: Int64) throws -> [Period] {
        var all: [Period] = []
        for id in checkIDs {
            all += try db.query("""
                SELECT * FROM check_periods WHERE check_id = ? AND start < ? AND (end IS NULL OR end > ?) ORDER BY start
                """, id, to, from).map {
                Period(check: id, state: Period.State(rawValue: $0.string("state") ?? "") ?? .paused,
                       start: $0.int("start") ?? 0, end: $0.int("end"))
            }
        }
        return all
    }

    // MARK: the daemon's own liveness

    /// A new run of opsd starts now: the time since the last run's last sign of life is unknown.
    public func startRun(now: Int64) throws {
        try db.run("INSERT INTO opsd_runs(started_at, alive_at) VALUES (?, ?)", now, now)
    }

    func markAlive(now: Int64) throws {
        try db.run("UPDATE opsd_runs SET alive_at = MAX(alive_at, ?) WHERE id = (SELECT MAX(id) FROM opsd_runs)", now)
    }

    func runs(from: Int64, to: Int64) throws -> [(start: Int64, end: Int64)] {
        try db.query("SELECT started_at, alive_at FROM opsd_runs WHERE started_at < ? AND alive_at > ? ORDER BY id",
                     to, from).map { ($0.int("started_at") ?? 0, $0.int("alive_at") ?? 0) }
    }

    // MARK: retention and rollups

    /// Rolls complete hours of raw results into `check_rollups` and removes raw results older than `keep`.
    func rollUp(now: Int64, keep: Int64) throws {
        let hour: Int64 = 3_600_000
        let currentHour = now / hour * hour
        var rolled = false
        for row in try db.query("SELECT id, rolled_until FROM checks WHERE rolled_until < ?", currentHour) {
            guard let id = row.int("id") else { continue }
            let from = row.int("rolled_until") ?? 0
            let hours = try db.query("""
                SELECT DISTINCT at / ?1 * ?1 AS hour FROM check_results WHERE check_id = ?2 AND at >= ?3 AND at < ?4
                """, hour, id, from, currentHour).compactMap { $0.int("hour") }
            for h in hours {
                let rows = try db.query(
                    "SELECT status, latency FROM check_results WHERE check_id = ? AND at >= ? AND at < ?",
                                        id, h, h + hour)
                let latencies = rows.compactMap { $0.int("latency") }.sorted()
                let failures = rows.filter { (ProbeStatus(rawValue: $0.string("status") ?? "") ?? .unknown).isFailure }
                func percentile(_ p: Double) -> Int64? {
                    latencies.isEmpty ? nil : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
                }
                try db.run("""
                    INSERT OR REPLACE INTO check_rollups(check_id, hour, count, failures, p50, p95, max)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, id, h, Int64(rows.count), Int64(failures.count), percentile(0.5), percentile(0.95),
                           latencies.last)
            }
            try db.run("UPDATE checks SET rolled_until = ? WHERE id = ?", currentHour, id)
            rolled = true
        }
        // Once an hour, when an hour was rolled: raw results past the retention go.
        guard rolled else { return }
        try db.run("""
            DELETE FROM check_results WHERE at < ? AND at < (SELECT rolled_until FROM checks WHERE id = check_id)
            """,
                   now - keep)
    }

    public struct Rollup: Sendable {
        public let hour: Int64
        public let count: Int64
        public let failures: Int64
        public let p50: Int64?
        public let p95: Int64?
        public let max: Int64?
    }

    public func rollups(_ checkID: Int64, limit: Int64) throws -> [Rollup] {
        try db.query("SELECT * FROM check_rollups WHERE check_id = ? ORDER BY hour DESC LIMIT ?", checkID, limit).map {
            Rollup(hour: $0.int("hour") ?? 0, count: $0.int("count") ?? 0, failures: $0.int("failures") ?? 0,
                   p50: $0.int("p50"), p95: $0.int("p95"), max: $0.int("max"))
        }
    }

    private func check(_ row: Row) throws -> Check {
        Check(id: row.int("id") ?? 0, key: row.string("key") ?? "", component: row.string("component") ?? "",
              kind: Check.Kind(rawValue: row.string("kind") ?? "") ?? .http, target: row.string("target") ?? "",
              expectStatus: row.string("expect_status"), contains: row.string("contains"),
              maxLatency: row.int("max_latency"), expectAddress: row.string("expect_address"),
              minFreePercent: row.int("min_free"), certWarn: row.int("cert_warn") ?? 0,
              interval: row.int("interval") ?? 30_000, timeout: row.int("timeout") ?? 5_000,
              failAfter: Int(row.int("fail_after") ?? 3), recoverAfter: Int(row.int("recover_after") ?? 2),
              severity: Incident.Severity(rawValue: row.string("severity") ?? "") ?? .sev2,
              grace: row.int("grace") ?? 0, state: Check.State(rawValue: row.string("state") ?? "") ?? .pending,
              failures: Int(row.int("failures") ?? 0), successes: Int(row.int("successes") ?? 0),
              since: row.int("since") ?? 0, lastAt: row.int("last_at"),
              lastStatus: row.string("last_status").flatMap(ProbeStatus.init(rawValue:)),
              lastDetail: row.string("last_detail"), lastLatency: row.int("last_latency"),
              downSince: row.int("down_since"), incident: row.string("incident"),
              certExpiresAt: row.int("cert_expires_at"), certIncident: row.string("cert_incident"),
              createdAt: row.int("created_at") ?? 0)
    }
}
