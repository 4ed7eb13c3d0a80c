import Foundation
@preconcurrency import Glibc
import XCTest

/// The cheap, deterministic faults of scripts/faults.sh (issue 18, item 4), kept here so CI keeps them
/// handled: no sendmail, a file system that refuses opsd's writes, a backup destination that fills up.
/// Each ends in a clear error to the caller and a recovery, with the audit chain intact.
final class InjectedFaultTests: XCTestCase {
    func testAMissingSendmailFailsTheDeliveryWithTheReasonAndKeepsRetryingIt() throws {
        let scratch = Scratch()
        let missing = scratch.file("no-such-sendmail")
        let daemon = try Daemon(scratch: scratch, arguments: ["--test-clock", "--socket-mode", "0666",
                                                              "--sendmail", missing + " -t -i"]).start()
        daemon.opsctl("recipient", "add", "stp", "--name", "Sở Tư pháp", "--email", "vanthu@stp.laocai.gov.vn").ok()
        daemon.opsctl("recipient", "test", "stp").ok()
        let failed = daemon.waitForDelivery(1) { $0["state"] as? String == "failed" }
        let error = failed["last_error"] as? String ?? ""
        XCTAssertTrue(error.contains(missing) && error.contains("not found"), "\(failed)")
        let outbox = daemon.opsctl("status", "--json").ok().object["outbox"] as? [String: Any]
        XCTAssertEqual(outbox?["failed"] as? Int, 1, "status counts the failed delivery: \(outbox ?? [:])")
        daemon.opsctl("clock", "advance", "2m").ok()
        daemon.waitForDelivery(1) { $0["attempts"] as? Int == 2 && $0["state"] as? String == "failed" }
        XCTAssertTrue(daemon.opsctl("audit", "verify").ok().stdout.hasPrefix("intact"))
    }

    /// A file system turns read-only under a running opsd only by an error (the kernel refuses to remount one
    /// read-only while ops.db is open for writing), so the error is injected: strace makes opsd's file writes
    /// and syncs fail with EROFS. The change is refused and not kept; reads go on; detached, writes work again.
    func testWritesTheFileSystemRefusesAreRefusedToTheCallerAndWorkAgainAfterwards() throws {
        let strace = "/usr/bin/strace"
        guard FileManager.default.isExecutableFile(atPath: strace) else {
            let message = "\(strace) is missing: install strace (scripts/setup.sh)"
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail(message) }
            throw XCTSkip(message)
        }
        guard getuid() == 0 else { throw XCTSkip("tracing opsd needs root") }
        let daemon = try Daemon().start()
        daemon.opsctl("component", "add", "before", "--name", "Trước sự cố").ok()
        let pid = try XCTUnwrap(daemon.process?.processIdentifier)
        let calls = "pwrite64,pwritev,pwritev2,fsync,fdatasync,ftruncate"
        let tracer = Process()
        tracer.executableURL = URL(fileURLWithPath: strace)
        tracer.arguments = ["-f", "-qq", "-p", String(pid), "-e", "trace=" + calls, "-e", "inject=\(calls):error=EROFS",
                            "-o", "/dev/null"]
        try tracer.run()
        defer { Self.stop(tracer.processIdentifier) }
        Wait.until("strace attached to every thread of opsd") { Self.tracedThreads(pid, by: tracer.processIdentifier) }

        let refused = daemon.opsctl("component", "add", "during", "--name", "Trong sự cố")
        XCTAssertEqual(refused.status, 5, refused.stderr)
        XCTAssertTrue(refused.stderr.hasPrefix("opsctl: the change could not be committed")
                      && refused.stderr.contains("nothing was done"), refused.stderr)
        XCTAssertEqual(components(daemon), ["before"], "reads go on, and the refused change is not there")

        Self.stop(tracer.processIdentifier)
        daemon.opsctl("component", "add", "after", "--name", "Sau sự cố").ok()
        XCTAssertEqual(components(daemon), ["after", "before"])
        XCTAssertTrue(daemon.opsctl("audit", "verify").ok().stdout.hasPrefix("intact"))
    }

    /// The reserve (backup.keep_free_mib) refuses a backup that cannot fit before it writes; with no reserve,
    /// a dump larger than the destination runs into ENOSPC: the backup fails saying so, leaves no file behind,
    /// and the next one, once there is room, completes and verifies.
    func testABackupThatRunsOutOfSpaceFailsCleanlyAndWorksOnceThereIsRoom() throws {
        guard getuid() == 0 else { throw XCTSkip("mounting a tmpfs needs root") }
        let scratch = Scratch()
        let small = scratch.file("small")
        try FileManager.default.createDirectory(atPath: small, withIntermediateDirectories: false)
        Run.process("/bin/mount", ["-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", small]).ok()
        defer { _ = Run.process("/bin/umount", ["-l", small]) }
        let daemon = try Daemon(scratch: scratch).start()
        daemon.opsctl("policy", "set", "backup.keep_free_mib", "0").ok()
        daemon.opsctl("target", "add", "big", "--dump-command", "head -c 4000000 /dev/zero",
                      "--restore-command", "cat > {path}", "--directory", small).ok()
        let full = daemon.opsctl("backup", "run", "big")
        XCTAssertEqual(full.status, 1, full.stderr)
        XCTAssertTrue(full.stderr.contains("No space left on device"), full.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: small), [], "nothing left on the full disk")
        let staging = (try? FileManager.default.contentsOfDirectory(atPath: daemon.dataDirectory + "/staging")) ?? []
        XCTAssertEqual(staging, [], "the staged dump is removed")
        let listed = daemon.opsctl("backup", "list", "--json").ok().object["backups"] as? [[String: Any]] ?? []
        XCTAssertEqual(listed.map { $0["state"] as? String }, ["failed"])

        Run.process("/bin/mount", ["-o", "remount,size=16m", small]).ok()
        let ref = daemon.opsctl("backup", "run", "big", "--json").ok().object["ref"] as? String ?? ""
        daemon.opsctl("backup", "verify", ref).ok()
        XCTAssertTrue(daemon.opsctl("audit", "verify").ok().stdout.hasPrefix("intact"))
    }

    private func components(_ daemon: Daemon) -> [String] {
        let list = daemon.opsctl("component", "list", "--json").ok().object["components"] as? [[String: Any]] ?? []
        return list.compactMap { $0["key"] as? String }.sorted()
    }

    /// Every thread of `pid` has `tracer` as its tracer.
    private static func tracedThreads(_ pid: Int32, by tracer: Int32) -> Bool {
        guard let threads = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task"),
              !threads.isEmpty else { return false }
        return threads.allSatisfy { thread in
            let status = (try? String(contentsOfFile: "/proc/\(pid)/task/\(thread)/status", encoding: .utf8)) ?? ""
            return status.split(separator: "\n").contains("TracerPid:\t\(tracer)")
        }
    }

    /// SIGTERM (strace detaches and exits), reaped here: Process.waitUntilExit can hang on a dead child.
    private static func stop(_ pid: Int32) {
        guard kill(pid, 0) == 0 else { return }
        kill(pid, SIGTERM)
        var status: Int32 = 0
        Wait.until("strace (pid \(pid)) gone after SIGTERM", seconds: 10, every: 10_000) {
            let reaped = waitpid(pid, &status, WNOHANG)
            return reaped == pid || (reaped < 0 && kill(pid, 0) != 0)
        }
    }
}
