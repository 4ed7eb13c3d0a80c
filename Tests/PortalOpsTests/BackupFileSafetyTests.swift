import Foundation
@preconcurrency import Glibc
import OpsProtocol
@testable import PortalOps
import SQLite
import XCTest

/// Issue 16 item 7: backup files are created exclusively, never through a
/// name someone planted; a directory others can write (or that opsd does not
/// own) is refused before anything is written; dumps land in a private
/// staging directory first.
final class BackupFileSafetyTests: XCTestCase {
    private func harnessWithTarget(directory name: String = "bk") throws -> (CommandHarness, String) {
        let harness = try CommandHarness()
        let source = try Connection(path: harness.directory + "/portal.db")
        try source.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t(v) VALUES ('một'), ('hai');")
        let directory = harness.directory + "/" + name
        XCTAssertEqual(mkdir(directory, 0o700), 0)
        try harness.run("target.add", ["target": "portal", "sqlite": .string(harness.directory + "/portal.db"),
                                       "directory": .string(directory)])
        return (harness, directory)
    }

    private func outsideFile(_ harness: CommandHarness) throws -> String {
        let outside = harness.directory + "/outside.txt"
        try Data("untouched".utf8).write(to: URL(fileURLWithPath: outside))
        return outside
    }

    func testSymlinksPlantedAtTheNextBackupsPartialNamesAreNotFollowed() throws {
        let (harness, directory) = try harnessWithTarget()
        let outside = try outsideFile(harness)
        for name in [".BK-2026-0001.sqlite.partial", ".BK-2026-0001.manifest.json.partial"] {
            XCTAssertEqual(symlink(outside, directory + "/" + name), 0)
        }
        _ = try? harness.run("backup.run", ["target": "portal"])
        XCTAssertEqual(try String(contentsOfFile: outside, encoding: .utf8), "untouched")
        var info = stat()
        XCTAssertEqual(lstat(outside, &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFREG)
    }

    func testSymlinkPlantedAtTheCopysPartialNameIsNotFollowed() throws {
        let (harness, _) = try harnessWithTarget()
        let outside = try outsideFile(harness)
        let copy = harness.directory + "/offsite"
        XCTAssertEqual(mkdir(copy, 0o700), 0)
        try harness.run("target.set", ["target": "portal", "copy-to": .string(copy)])
        XCTAssertEqual(symlink(outside, copy + "/.BK-2026-0001.manifest.json.partial"), 0)
        XCTAssertEqual(symlink(outside, copy + "/BK-2026-0001.manifest.json.partial"), 0)
        _ = try? harness.run("backup.run", ["target": "portal"])
        XCTAssertEqual(try String(contentsOfFile: outside, encoding: .utf8), "untouched")
    }

    func testGroupOrWorldWritableBackupDirectoryIsRefusedBeforeWriting() throws {
        for mode: mode_t in [0o777, 0o770, 0o1777] {
            let (harness, directory) = try harnessWithTarget()
            XCTAssertEqual(chmod(directory, mode), 0)
            harness.assertRefused("backup.run", ["target": "portal"], saying: "chmod go-w \(directory)")
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), [],
                           "mode \(String(mode, radix: 8))")
        }
    }

    func testWorldWritableCopyDirectoryIsRefused() throws {
        let (harness, _) = try harnessWithTarget()
        let copy = harness.directory + "/offsite"
        XCTAssertEqual(mkdir(copy, 0o700), 0)
        XCTAssertEqual(chmod(copy, 0o777), 0)
        try harness.run("target.set", ["target": "portal", "copy-to": .string(copy)])
        harness.assertRefused("backup.run", ["target": "portal"], saying: "chmod go-w \(copy)")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: copy), [])
    }

    func testBackupDirectoryOwnedBySomeoneElseIsRefused() throws {
        guard geteuid() == 0 else { throw XCTSkip("needs root to give the directory away") }
        let (harness, directory) = try harnessWithTarget()
        XCTAssertEqual(chown(directory, 65534, 65534), 0)
        harness.assertRefused("backup.run", ["target": "portal"], saying: "chown")
    }

    func testDumpIsWrittenInAPrivateStagingDirectoryFirst() throws {
        let harness = try CommandHarness()
        let directory = harness.directory + "/dumps"
        // The dump names the file its standard output goes to.
        try harness.run("target.add", ["target": "pg", "dump-command": "readlink /proc/self/fd/1",
                                       "restore-command": "cat > /dev/null", "directory": .string(directory)])
        try harness.run("backup.run", ["target": "pg"])
        let written = try String(contentsOfFile: directory + "/BK-2026-0001.dump", encoding: .utf8)
        XCTAssertTrue(written.hasPrefix(harness.directory + "/staging/"), written)
        var info = stat()
        XCTAssertEqual(stat(harness.directory + "/staging", &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o700)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: harness.directory + "/staging"), [])
    }

    func testRestoreNeverFollowsASymlinkAtItsTemporaryName() throws {
        let (harness, _) = try harnessWithTarget()
        try harness.run("backup.run", ["target": "portal"])
        let outside = try outsideFile(harness)
        let restored = harness.directory + "/restored.db"
        XCTAssertEqual(symlink(outside, restored + ".partial"), 0)
        XCTAssertEqual(symlink(outside, harness.directory + "/.restored.db.partial"), 0)
        _ = try? harness.run("backup.restore", ["backup": "BK-2026-0001", "to": .string(restored)])
        XCTAssertEqual(try String(contentsOfFile: outside, encoding: .utf8), "untouched")
    }
}
