@testable import PortalOps
import XCTest

/// Issue 18's soak: `status` and `metrics` read every backup of a target to keep its newest verified one, so
/// they slowed by the minute with a backup a minute. They now ask for that one row through `backups_target`.
final class BackupQueryTests: XCTestCase {
    func testTheNewestVerifiedBackupIsOneIndexedLookup() throws {
        let h = try CommandHarness()
        let plan = try h.db.query("EXPLAIN QUERY PLAN " + BackupStore.newestVerified, "ops")
            .compactMap { $0.string("detail") }
        XCTAssertTrue(plan.contains { $0.contains("USING INDEX backups_target (target=?)") }, "\(plan)")
        XCTAssertFalse(plan.contains { $0.contains("TEMP B-TREE") }, "no sort of every backup: \(plan)")
    }

    /// The one row is the one `status` and `metrics` used to pick from every backup: the newest complete,
    /// verified, not removed, passing over newer ones that failed, failed re-verification or were removed.
    func testTheNewestVerifiedBackupPassesOverFailedUnverifiedAndRemovedOnes() throws {
        let h = try CommandHarness()
        let store = BackupStore(h.db)
        try store.ensureConsoleTarget(databasePath: h.directory + "/ops.db", now: 1_000)
        XCTAssertNil(try store.newestVerified(target: "ops"))
        func backup(_ ref: String) throws {
            try store.start(ref: ref, target: "ops", label: nil, window: nil, by: "test", now: 1_000)
            try store.complete(ref, artifact: BackupArtifact(file: "/b/\(ref)", size: 1, sha256: "x", manifest: "{}",
                                                             fingerprint: nil, copyFile: nil), now: 2_000)
        }
        try backup("BK-2026-0001")
        try backup("BK-2026-0002")
        try store.start(ref: "BK-2026-0003", target: "ops", label: nil, window: nil, by: "test", now: 3_000)
        try store.fail("BK-2026-0003", error: "disk full", now: 3_000)
        try backup("BK-2026-0004")
        try store.recordVerification("BK-2026-0004", ok: false, detail: "the file changed", now: 4_000)
        try backup("BK-2026-0005")
        try BackupRegime(h.db).markRemoved("BK-2026-0005", now: 5_000)
        XCTAssertEqual(try store.newestVerified(target: "ops")?.ref, "BK-2026-0002")
        XCTAssertEqual(try store.backups(target: "ops").last { $0.state == .complete && $0.verifyOK == true }?.ref,
                       "BK-2026-0002", "what status read before")
        XCTAssertNil(try store.newestVerified(target: "elsewhere"))
    }
}
