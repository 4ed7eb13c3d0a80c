import Foundation
@preconcurrency import Glibc
import XCTest

final class DaemonLifecycleTests: XCTestCase {
    func testFirstStartMakesTheStarterAdminWithPrivateFiles() throws {
        let daemon = try Daemon().start()
        var status = stat()
        XCTAssertEqual(stat(daemon.dataDirectory, &status), 0)
        XCTAssertEqual(status.st_mode & 0o777, 0o700, "data directory")
        XCTAssertEqual(stat(daemon.dataDirectory + "/ops.db", &status), 0)
        XCTAssertEqual(status.st_mode & 0o777, 0o600, "ops.db")
        XCTAssertEqual(stat(daemon.socket, &status), 0)
        XCTAssertEqual(status.st_mode & 0o777, 0o666, "--socket-mode is applied")

        let whoami = daemon.opsctl("whoami", "--json").ok()
        XCTAssertEqual(whoami.object["role"] as? String, "admin")
        XCTAssertEqual(whoami.object["uid"] as? Int, Int(getuid()))
        let status2 = daemon.opsctl("status").ok()
        for field in ["version:", "uptime:", "data:", "database:", "schema:", "caller:"] {
            XCTAssertTrue(status2.stdout.contains(field), "status shows \(field)\n\(status2.stdout)")
        }
        let json = daemon.opsctl("status", "--json").ok().object
        XCTAssertGreaterThanOrEqual(json["schema_version"] as? Int ?? 0, 6)
        XCTAssertEqual(json["data_directory"] as? String, daemon.dataDirectory)
        XCTAssertGreaterThan(json["database_bytes"] as? Int ?? 0, 0)
        let audit = daemon.opsctl("audit", "list", "--json").ok().object
        let first = (audit["entries"] as? [[String: Any]])?.first
        XCTAssertEqual(first?["command"] as? String, "bootstrap", "the first admin is recorded")
    }

    func testSocketGroupAndModeDecideWhoMayConnect() throws {
        guard let group = getgrnam("nogroup") ?? getgrnam("nobody") else { throw XCTSkip("no nogroup/nobody group") }
        let gid = group.pointee.gr_gid
        let name = String(cString: group.pointee.gr_name)
        let daemon = try Daemon(arguments: ["--socket-group", name, "--socket-mode", "0660"]).start()
        var status = stat()
        XCTAssertEqual(stat(daemon.socket, &status), 0)
        XCTAssertEqual(status.st_gid, gid)
        XCTAssertEqual(status.st_mode & 0o777, 0o660)
        // Outside the group: the kernel refuses the connection itself.
        let outsider = try daemon.opsctl(asUID: 65533, "status")
        XCTAssertEqual(outsider.status, 3)
        XCTAssertTrue(outsider.stderr.contains("permission denied on \(daemon.socket)"), outsider.stderr)
        // In the group: connects, and is then refused for having no account.
        let member = try daemon.opsctl(asUID: 65534, "status")
        XCTAssertEqual(member.status, 3)
        XCTAssertTrue(member.stderr.contains("has no enabled account"), member.stderr)
        let unknownGroup = Run.process(Binaries.opsd, ["--data", daemon.scratch.file("d2"), "--socket", daemon.scratch.file("x.sock"),
                                                       "--socket-group", "no-such-group-here"])
        XCTAssertNotEqual(unknownGroup.status, 0)
        XCTAssertTrue(unknownGroup.stderr.contains("no group named"), unknownGroup.stderr)
    }

    func testASecondDaemonOnTheSameDataDirectoryRefusesToStart() throws {
        let daemon = try Daemon().start()
        let second = Run.process(Binaries.opsd, ["--data", daemon.dataDirectory, "--socket", daemon.scratch.file("other.sock")])
        XCTAssertEqual(second.status, 1)
        XCTAssertTrue(second.stderr.contains("another opsd"), second.stderr)
        daemon.opsctl("status").ok()
    }

    func testSigtermFinishesCheckpointsAndRemovesTheSocket() throws {
        let daemon = try Daemon().start()
        daemon.opsctl("component", "add", "portal", "--name", "Cổng dịch vụ công").ok()
        XCTAssertEqual(daemon.stop(), 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: daemon.socket), "socket removed")
        let wal = (try? FileManager.default.attributesOfItem(atPath: daemon.dataDirectory + "/ops.db-wal"))?[.size] as? NSNumber
        XCTAssertEqual(wal?.intValue ?? 0, 0, "WAL checkpointed into ops.db")
        XCTAssertTrue(daemon.log.contains("stopped cleanly"), daemon.log)
        try daemon.start()
        XCTAssertTrue(daemon.opsctl("component", "list").ok().stdout.contains("Cổng dịch vụ công"))
    }

    func testAStaleSocketLeftByACrashIsReplaced() throws {
        let daemon = try Daemon().start()
        daemon.kill9()
        XCTAssertTrue(FileManager.default.fileExists(atPath: daemon.socket), "kill -9 leaves the socket file")
        try daemon.start()
        daemon.opsctl("status").ok()
    }

    func testAnUnreachableDaemonExits4WithAHint() {
        let scratch = Scratch()
        let result = Run.process(Binaries.opsctl, ["status"], environment: ["PORTALOPS_SOCKET": scratch.file("none.sock")])
        XCTAssertEqual(result.status, 4)
        XCTAssertTrue(result.stderr.hasPrefix("opsctl: opsd is not running"), result.stderr)
        XCTAssertTrue(result.stderr.contains("scripts/run.sh"), result.stderr)
    }

    func testEmbeddedDefaultNeedsNoFlags() throws {
        let scratch = Scratch()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Binaries.opsd)
        process.currentDirectoryURL = URL(fileURLWithPath: scratch.path)
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PORTALOPS_") }
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { process.terminate(); process.waitUntilExit() }
        let socket = scratch.file(".portalops/opsd.sock")
        for _ in 0..<500 where !RawClient.canConnect(socket) { usleep(20_000) }
        let result = Run.process(Binaries.opsctl, ["whoami"], directory: scratch.path).ok()
        XCTAssertTrue(result.stdout.contains("admin"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: scratch.file(".portalops/ops.db")))
    }

    func testOpsdFlags() {
        let version = Run.process(Binaries.opsd, ["--version"]).ok()
        XCTAssertTrue(version.stdout.hasPrefix("opsd "), version.stdout)
        let help = Run.process(Binaries.opsd, ["--help"]).ok()
        for flag in ["--data", "--socket", "--zone", "--config", "--socket-mode", "--socket-group", "--test-clock"] {
            XCTAssertTrue(help.stdout.contains(flag), flag)
        }
        let bad = Run.process(Binaries.opsd, ["--dta", "x"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("did you mean --data?"), bad.stderr)
        XCTAssertEqual(Run.process(Binaries.opsd, ["--zone", "Mars/Base"]).status, 2)
        XCTAssertEqual(Run.process(Binaries.opsd, ["--socket-mode", "999"]).status, 2)
    }

    func testConfigFileSuppliesBootstrapSettings() throws {
        let scratch = Scratch()
        let config = scratch.file("opsd.conf")
        try "# bootstrap\ndata = \(scratch.file("d"))\nsocket = \(scratch.file("c.sock"))\nzone = UTC\n".write(toFile: config, atomically: true, encoding: .utf8)
        let daemon = Daemon(scratch: scratch, arguments: ["--config", config])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Binaries.opsd)
        process.arguments = ["--config", config]
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { process.terminate(); process.waitUntilExit() }
        for _ in 0..<500 where !RawClient.canConnect(scratch.file("c.sock")) { usleep(20_000) }
        let status = Run.process(Binaries.opsctl, ["status", "--json"], environment: ["PORTALOPS_SOCKET": scratch.file("c.sock")]).ok()
        XCTAssertEqual(status.object["zone"] as? String, "UTC")
        XCTAssertEqual(status.object["data_directory"] as? String, scratch.file("d"))
        _ = daemon
        try "colour = blue\n".write(toFile: config, atomically: true, encoding: .utf8)
        let bad = Run.process(Binaries.opsd, ["--config", config])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("opsd.conf:1"), bad.stderr)
    }
}
