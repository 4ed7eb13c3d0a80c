import Foundation
import XCTest

/// The integrity of the database before and after an upgrade, enforced.
final class UpgradeGateTests: XCTestCase {
    private func desk() throws -> (Daemon, String) {
        let daemon = try Daemon().start()
        let db = daemon.scratch.file("portal.db")
        Run.process("/usr/bin/env", ["sqlite3", db, """
            PRAGMA journal_mode=WAL;
            CREATE TABLE dossier(id INTEGER PRIMARY KEY, code TEXT NOT NULL);
            CREATE TABLE dossier_log(id INTEGER PRIMARY KEY, note TEXT);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) INSERT INTO dossier(code) SELECT 'HS-' || i FROM n;
            """]).ok()
        // The console's own nightly backup would take BK numbers whenever a clock jump crosses 01:30,
        // depending on the real hour the test starts at; these tests count the upgrade's backups only.
        daemon.opsctl("target", "set", "ops", "--schedule", "none").ok()
        daemon.opsctl("clock", "set", "2026-12-01 09:00").ok()   // a Tuesday
        daemon.configureNotices()
        daemon.opsctl("component", "add", "portal", "--name", "Cổng dịch vụ công tỉnh Lào Cai").ok()
        daemon.opsctl("recipient", "add", "stp", "--name", "Sở Tư pháp", "--email", "vt@stp.laocai.gov.vn", "--group", "agencies").ok()
        // These tests are about the integrity gates, not delivery (no mail path here): see ArrivalProofTests.
        daemon.opsctl("policy", "set", "maintenance.start_requires", "none").ok()
        daemon.opsctl("target", "add", "portal-db", "--sqlite", db).ok()
        return (daemon, db)
    }

    private func upgrade(_ daemon: Daemon, start: String, end: String) -> String {
        let ref = daemon.opsctl("maintenance", "plan", "--title", "Nâng cấp phiên bản 3.2", "--kind", "upgrade", "--start", start,
                                "--end", end, "--component", "portal", "--group", "agencies", "--target", "portal-db",
                                "--expect-change", "dossier_log", "--allow-overlap", "--json").ok().object["ref"] as! String
        daemon.opsctl("maintenance", "announce", ref).ok()
        return ref
    }

    func testAnUpgradeStartsOnlyWithFreshEvidenceAndCompletesWhenOnlyExpectedTablesChanged() throws {
        let (daemon, db) = try desk()
        let ref = upgrade(daemon, start: "2026-12-09 22:00", end: "2026-12-10 02:00")
        daemon.opsctl("clock", "set", "2026-12-09 22:00").ok()
        let noEvidence = daemon.opsctl("maintenance", "start", ref)
        XCTAssertEqual(noEvidence.status, 1)
        XCTAssertTrue(noEvidence.stderr.contains("run 'opsctl maintenance prepare \(ref)' first"), noEvidence.stderr)
        daemon.opsctl("clock", "set", "2026-12-09 14:00").ok()
        let prepared = daemon.opsctl("maintenance", "prepare", ref).ok()
        XCTAssertTrue(prepared.stdout.contains("portal-db: backup BK-2026-0001 (pinned), integrity ok, fingerprint taken"), prepared.stdout)
        daemon.opsctl("clock", "set", "2026-12-09 22:00").ok()
        let stale = daemon.opsctl("maintenance", "start", ref)
        XCTAssertEqual(stale.status, 1, "8 hours old: older than maintenance.evidence_max_age (6h)")
        XCTAssertTrue(stale.stderr.contains("older than 6h"), stale.stderr)
        daemon.opsctl("maintenance", "prepare", ref).ok()
        daemon.opsctl("maintenance", "start", ref).ok()
        XCTAssertEqual((daemon.opsctl("backup", "show", "BK-2026-0002", "--json").ok().object["window"]) as? String, ref, "pinned to the window")

        Run.process("/usr/bin/env", ["sqlite3", db, "INSERT INTO dossier_log(note) VALUES ('migrated to 3.2')"]).ok()   // expected
        let completed = daemon.opsctl("maintenance", "complete", ref).ok()
        XCTAssertTrue(completed.stdout.contains("integrity and content checked against the evidence from before"), completed.stdout)
        let shown = daemon.opsctl("maintenance", "show", ref, "--json").ok().object
        let evidence = shown["evidence"] as? [[String: Any]] ?? []
        XCTAssertEqual(evidence.compactMap { $0["phase"] as? String }, ["before", "before", "after"])
        XCTAssertEqual(evidence.last?["differences"] as? [String], [])
    }

    func testAnUpgradeThatSilentlyDropsRowsIsRefusedAtCompletion() throws {
        let (daemon, db) = try desk()
        let ref = upgrade(daemon, start: "2026-12-09 22:00", end: "2026-12-10 02:00")
        daemon.opsctl("clock", "set", "2026-12-09 21:00").ok()
        daemon.opsctl("maintenance", "prepare", ref).ok()
        daemon.opsctl("clock", "set", "2026-12-09 22:00").ok()
        daemon.opsctl("maintenance", "start", ref).ok()
        // A migration that loses data without a word.
        Run.process("/usr/bin/env", ["sqlite3", db, "DELETE FROM dossier WHERE id % 10 = 0"]).ok()
        let refused = daemon.opsctl("maintenance", "complete", ref)
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("dossier: rows removed (500 → 450)"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("To roll back, a supervisor or an admin runs: "
                                              + "opsctl backup restore BK-2026-0001 --replace"), refused.stderr)
        XCTAssertEqual(daemon.opsctl("maintenance", "show", ref, "--json").ok().object["state"] as? String, "in-progress")
        let incidents = daemon.opsctl("incident", "list", "--json").ok().object["incidents"] as? [[String: Any]] ?? []
        XCTAssertEqual(incidents.first?["severity"] as? String, "sev2", "the refusal alerts: \(incidents)")

        daemon.opsctl("user", "add", "lan", "--uid", "65534", "--role", "operator").ok()
        XCTAssertEqual(try daemon.opsctl(asUID: 65534, "maintenance", "complete", ref, "--accept-diff", "--reason", "x").status, 3)
        XCTAssertEqual(daemon.opsctl("maintenance", "complete", ref, "--accept-diff").status, 2, "needs --reason")
        let accepted = daemon.opsctl("maintenance", "complete", ref, "--accept-diff", "--reason", "hồ sơ nháp quá hạn được xóa theo quy định").ok()
        XCTAssertTrue(accepted.stdout.contains("differences accepted"), accepted.stdout)
        let evidence = daemon.opsctl("maintenance", "show", ref, "--json").ok().object["evidence"] as? [[String: Any]] ?? []
        XCTAssertNotNil(evidence.last?["accepted_by"] as? String)
    }
}
