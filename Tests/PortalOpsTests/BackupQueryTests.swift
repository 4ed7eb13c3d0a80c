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
}
