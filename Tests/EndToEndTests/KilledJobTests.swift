import Foundation
@preconcurrency import Glibc
import XCTest

/// A killed opsd leaves no orphan and no silent job (issue 16, item 6).
final class KilledJobTests: XCTestCase {
    func processes(matching marker: String) -> [Int32] {
        let listed = Run.process("/usr/bin/pgrep", ["-f", marker]).stdout
        return listed.split(separator: "\n").compactMap { Int32($0) }
    }

    /// kill -9 while a restore command runs: the next start kills what it
    /// left running and records the job failed in the audit trail.
    func testKill9DuringASlowRestoreLeavesNoOrphanAndNoSilentJob() throws {
        let daemon = try Daemon().start()
        let marker = "sleep 3\(Int.random(in: 100...999))1"
        daemon.opsctl("target", "add", "portal", "--dump-command", "echo dump",
                      "--restore-command", "\(marker); cat > {path}").ok()
        daemon.opsctl("backup", "run", "portal").ok()
        let restore = Process()
        restore.executableURL = URL(fileURLWithPath: Binaries.opsctl)
        restore.arguments = ["backup", "restore", "BK-2026-0001", "--to", daemon.scratch.file("restored.dump")]
        restore.environment = ["PORTALOPS_SOCKET": daemon.socket]
        restore.standardOutput = FileHandle.nullDevice
        restore.standardError = FileHandle.nullDevice
        try restore.run()
        Wait.until("the restore command running") { !processes(matching: marker).isEmpty }
        let started = daemon.opsctl("audit", "list", "--json").ok().object["entries"] as? [[String: Any]] ?? []
        XCTAssertTrue(started.contains {
                          $0["command"] as? String == "backup.restore" && $0["outcome"] as? String == "started"
                      },
                      "the job's start is audited when it is admitted")

        daemon.kill9()
        restore.waitUntilExit()
        XCTAssertFalse(processes(matching: marker).isEmpty, "the command outlived opsd (so the restart has work to do)")
        try daemon.start()
        Wait.until("the orphaned restore command stopped") { processes(matching: marker).isEmpty }
        let entries = daemon.opsctl("audit", "list", "--json").ok().object["entries"] as? [[String: Any]] ?? []
        let failed = entries.last { $0["command"] as? String == "backup.restore" }
        XCTAssertEqual(failed?["outcome"] as? String, "failed", "\(failed ?? [:])")
        XCTAssertTrue((failed?["detail"] as? String)?.contains("was running when opsd stopped") == true)
        XCTAssertEqual(daemon.opsctl("status", "--json").ok().object["jobs_running"] as? Int, 0)
        XCTAssertTrue(daemon.log.contains("stopped 1 command(s) left running by a stopped opsd"), daemon.log)
        daemon.opsctl("audit", "verify").ok()
    }
}
