import Foundation
@preconcurrency import Glibc
import XCTest

/// What a local user can make opsd spend: a uid without an account, and an
/// account that floods, idles or sends half a line. Each test failed before
/// its limit existed (issue 16, item 1).
final class AttackSurfaceTests: XCTestCase {
    /// A Python client run as `uid` (through setpriv) that opens `connections`
    /// connections, sends `request` on each (without the newline when
    /// `partial`), and either waits for the answers or holds them open for
    /// `hold` seconds. Prints a JSON summary: answers by error kind, and how
    /// many connections were closed on it.
    var started: Process?

    func flood(_ daemon: Daemon, uid: UInt32, connections: Int, request: String, partial: Bool = false,
               hold: Double = 0, background: Bool = false) throws -> [String: Any] {
        guard getuid() == 0 else { throw XCTSkip("running as another uid needs root") }
        let script = daemon.scratch.file("flood.py")
        try """
            import json, select, socket, sys, time
            path, n, partial, hold = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1", float(sys.argv[4])
            request = sys.stdin.read().encode() + (b"" if partial else b"\\n")
            kinds, opened = {}, []
            for _ in range(n):
                s = socket.socket(socket.AF_UNIX)
                try:
                    s.connect(path)
                    s.settimeout(10)
                    try: s.sendall(request)
                    except OSError: pass
                    opened.append(s)
                except OSError as e:
                    kinds["connect-failed"] = kinds.get("connect-failed", 0) + 1
            time.sleep(hold)
            pending, deadline = set(opened), time.time() + (3 if partial else 30)
            while pending and time.time() < deadline:
                readable, _, _ = select.select(list(pending), [], [], 0.2)
                for s in readable:
                    pending.discard(s)
                    try:
                        s.settimeout(2)
                        data = s.makefile("rb").readline()
                        kind = json.loads(data).get("error", {}).get("kind", "ok") if data else "closed"
                    except OSError: kind = "reset"
                    kinds[kind] = kinds.get(kind, 0) + 1
            if pending: kinds["no-answer"] = len(pending)
            print(json.dumps(kinds))
            """.write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o644)
        let arguments = ["--reuid", String(uid), "--regid", String(uid), "--clear-groups", "/usr/bin/python3",
                         script, daemon.socket, String(connections), partial ? "1" : "0", String(hold)]
        if background {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = arguments
            let input = Pipe()
            process.standardInput = input
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            input.fileHandleForWriting.write(Data(request.utf8))
            input.fileHandleForWriting.closeFile()
            started = process
            return [:]
        }
        let result = Run.process("/usr/bin/setpriv", arguments, input: request)
        XCTAssertEqual(result.status, 0, result.stderr)
        return (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]) ?? [:]
    }

    func databaseBytes(_ daemon: Daemon) -> Int {
        ["", "-wal"].reduce(0) { total, suffix in
            let path = daemon.dataDirectory + "/ops.db" + suffix
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            return total + ((attributes?[.size] as? NSNumber)?.intValue ?? 0)
        }
    }

    func auditEntries(_ daemon: Daemon, actor: String) -> [[String: Any]] {
        daemon.opsctl("audit", "list", "--actor", actor, "--json").ok().object["entries"] as? [[String: Any]] ?? []
    }

    /// 100 refused requests of 900 KiB from a uid with no account: one audit
    /// entry and, a minute later, one summary; ops.db does not grow by what
    /// was sent (before: 100 MiB).
    func testAStrangerCostsOneEntryAMinuteNotItsBytes() throws {
        let daemon = try Daemon().start()
        let before = databaseBytes(daemon)
        let big = #"{"command":"status","args":{"x":""# + String(repeating: "a", count: 900 * 1024) + #""}}"#
        let answers = try flood(daemon, uid: 65534, connections: 100, request: big)
        // The first few are read (4 KiB at most) and told why; the rest find the uid's 4 connections taken.
        XCTAssertEqual((answers["denied"] as? Int ?? 0) + (answers["refused"] as? Int ?? 0), 100, "\(answers)")
        XCTAssertGreaterThan(answers["denied"] as? Int ?? 0, 0, "\(answers)")
        var entries = auditEntries(daemon, actor: "uid:65534")
        XCTAssertEqual(entries.count, 1, "one entry, the rest counted")
        XCTAssertEqual(entries.first?["command"] as? String, "-", "a line over 4 KiB is not read as a request")
        daemon.opsctl("clock", "advance", "2m").ok()
        daemon.waitForTicks()
        entries = auditEntries(daemon, actor: "uid:65534")
        XCTAssertEqual(entries.count, 2, "plus one summary")
        XCTAssertTrue((entries.last?["detail"] as? String)?.contains("99 more connection(s) from uid 65534") == true,
                      "\(entries.last ?? [:])")
        daemon.opsctl("audit", "verify").ok()
        XCTAssertLessThan(databaseBytes(daemon) - before, 1 << 20, "ops.db grew by less than 1 MiB")
    }

    /// A known account's refused request with large arguments is stored as
    /// their size and SHA-256.
    func testARefusalStoresTheSizeAndHashOfLargeArguments() throws {
        let daemon = try Daemon().start()
        daemon.opsctl("user", "add", "guest", "--uid", "65534", "--role", "viewer").ok()
        let name = String(repeating: "Nguyễn ", count: 1_000)
        let refused = try daemon.opsctl(asUID: 65534, "component", "add", "big", "--name", name)
        XCTAssertEqual(refused.status, 3, refused.stderr)
        let entry = try XCTUnwrap(auditEntries(daemon, actor: "guest").last)
        let arguments = entry["arguments"] as? [String: Any] ?? entry["args"] as? [String: Any] ?? [:]
        XCTAssertNotNil(arguments["refused_arguments_sha256"], "\(entry)")
        XCTAssertGreaterThan(arguments["refused_arguments_bytes"] as? Int ?? 0, 9_000, "\(entry)")
        XCTAssertNil(arguments["name"], "the text itself is not stored")
    }

    /// Strangers holding idle connections do not lock anyone out: they are
    /// answered and closed at once; an account holds at most 256.
    func testIdleConnectionsCannotLockEveryoneOut() throws {
        let daemon = try Daemon().start()
        _ = try flood(daemon, uid: 65534, connections: 300, request: "", partial: true, hold: 3, background: true)
        Wait.until("the strangers' connections refused in the audit trail") {
            !auditEntries(daemon, actor: "uid:65534").isEmpty
        }
        daemon.opsctl("whoami").ok()
        started?.waitUntilExit()
        daemon.opsctl("user", "add", "guest", "--uid", "65534", "--role", "viewer").ok()
        let answers = try flood(daemon, uid: 65534, connections: 300, request: #"{"command":"whoami"}"#, partial: true,
                                hold: 1)
        XCTAssertEqual(answers["refused"] as? Int, 44, "the 257th connection on is refused: \(answers)")
        daemon.opsctl("whoami").ok()
    }

    /// Half-sent lines of 900 KiB from many connections: opsd holds at most
    /// its 64 MiB budget of request data (before: 990 of them took 1.1 GB).
    func testPartialLinesAreBoundedByTheBudget() throws {
        let daemon = try Daemon().start()
        daemon.opsctl("user", "add", "guest", "--uid", "65534", "--role", "viewer").ok()
        daemon.opsctl("user", "add", "guest2", "--uid", "65533", "--role", "viewer").ok()
        let pid = try XCTUnwrap(daemon.process?.processIdentifier)
        let half = #"{"command":"status","args":{"x":""# + String(repeating: "b", count: 900 * 1024)
        // Two accounts, 50 connections each: 88 MiB of half lines against a 64 MiB budget.
        _ = try flood(daemon, uid: 65533, connections: 50, request: half, partial: true, hold: 4, background: true)
        let answers = try flood(daemon, uid: 65534, connections: 50, request: half, partial: true, hold: 2)
        started?.waitUntilExit()
        let rss = residentMiB(pid)
        XCTAssertGreaterThan(answers["refused"] as? Int ?? 0, 0, "some were told opsd holds too much: \(answers)")
        XCTAssertLessThan(rss, 200, "opsd's resident memory stays bounded (\(rss) MiB)")
        daemon.opsctl("whoami").ok()
    }

    func residentMiB(_ pid: Int32) -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1024
    }
}
