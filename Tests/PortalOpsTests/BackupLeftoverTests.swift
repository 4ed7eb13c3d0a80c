import Foundation
@preconcurrency import Glibc
@testable import PortalOps
import XCTest

/// Issue 18 item 4: what a backup cut by kill -9 leaves is removed at the next start — including the files a
/// copy writes under its own temporary name (a dump copied in from staging on another file system, the copies
/// to --copy-to), which the start-up recovery used to miss: each was left for good, as big as the backup.
final class BackupLeftoverTests: XCTestCase {
    func testTheRecoveryRemovesWhatACutCopyLeftUnderItsTemporaryName() throws {
        let harness = try CommandHarness()
        let directory = harness.directory + "/dumps", offsite = harness.directory + "/offsite"
        XCTAssertEqual(mkdir(offsite, 0o700), 0)
        try harness.run("target.add", ["target": "pg", "dump-command": "echo dữ liệu",
                                       "restore-command": "cat > /dev/null", "directory": .string(directory)])
        try harness.run("target.set", ["target": "pg", "copy-to": .string(offsite)])
        try harness.run("backup.run", ["target": "pg"])
        let store = BackupStore(harness.db)
        let backup = try XCTUnwrap(try store.backup("BK-2026-0001"))
        let target = try XCTUnwrap(try store.target("pg"))

        // What kill -9 during each copy leaves: the names OpenDirectory.copy writes under.
        let cut = [directory + "/..BK-2026-0001.dump.partial.partial", offsite + "/.BK-2026-0001.dump.partial",
                   offsite + "/.BK-2026-0001.manifest.json.partial"]
        for file in cut { XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data("cut".utf8))) }

        let engine = BackupEngine(environment: HarnessEnvironment(dataDirectory: harness.directory), time: harness.time)
        let removed = engine.removeLeftovers(of: backup, target: target)
        XCTAssertEqual(Set(removed), Set(cut))
        for file in cut { XCTAssertFalse(FileManager.default.fileExists(atPath: file), file) }
        for kept in [directory + "/BK-2026-0001.dump", directory + "/BK-2026-0001.manifest.json",
                     offsite + "/BK-2026-0001.dump", offsite + "/BK-2026-0001.manifest.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: kept), "the whole backup and its copy stay: \(kept)")
        }
    }
}
