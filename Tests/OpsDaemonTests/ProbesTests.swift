import Foundation
@testable import OpsDaemon
import OpsProtocol
@testable import PortalOps
import SQLite
import XCTest

/// Issue 12, item 1: the probes opsd runs itself, each against a real thing
/// on this machine (a file system, a name, a SQLite file, a closed port, a
/// monitoring-plugins command), in milliseconds.
final class ProbesTests: XCTestCase {
    private let probes = Probes()

    private func check(_ kind: Check.Kind, _ target: String, minFree: Int64? = nil, expect: String? = nil,
                       timeout: Int64 = 2_000) -> Check {
        Check(id: 1, key: "k", component: "portal", kind: kind, target: target, expectStatus: nil, contains: nil,
              maxLatency: nil, expectAddress: expect, minFreePercent: minFree, certWarn: 0, interval: 10_000,
              timeout: timeout, failAfter: 3, recoverAfter: 2, severity: .sev2, grace: 0, state: .up, failures: 0,
              successes: 0, since: 0, lastAt: nil, lastStatus: nil, lastDetail: nil, lastLatency: nil,
              downSince: nil, incident: nil, certExpiresAt: nil, certIncident: nil, createdAt: 0)
    }

    private func probe(_ c: Check) -> ProbeResult { probes.probe(c, dueAt: 0, now: 0) }

    func testDiskComparesFreeSpaceWithTheMinimum() {
        XCTAssertEqual(probe(check(.disk, "/", minFree: 0)).status, .ok)
        let full = probe(check(.disk, "/", minFree: 100))
        XCTAssertEqual(full.status, .critical)
        XCTAssertTrue(full.detail.contains("below 100%"), full.detail)
        XCTAssertEqual(probe(check(.disk, "/no/such/path", minFree: 1)).status, .critical)
    }

    func testDNSResolvesAndComparesTheAddress() {
        XCTAssertEqual(probe(check(.dns, "localhost", expect: "127.0.0.1")).status, .ok)
        let wrong = probe(check(.dns, "localhost", expect: "192.0.2.1"))
        XCTAssertEqual(wrong.status, .critical)
        XCTAssertTrue(wrong.detail.contains("not 192.0.2.1"), wrong.detail)
    }

    func testSQLiteOpensReadOnlyAndRunsQuickCheck() throws {
        let path = NSTemporaryDirectory() + "probe-\(UUID().uuidString.prefix(8)).db"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let db = try Connection(path: path)
        try db.execute("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
        let ok = probe(check(.sqlite, path))
        XCTAssertEqual(ok.status, .ok)
        XCTAssertTrue(ok.detail.contains("quick_check"), "the first probe runs quick_check: \(ok.detail)")
        XCTAssertEqual(probe(check(.sqlite, path)).detail, "SELECT 1 answered", "then only SELECT 1 until due")
        XCTAssertEqual(probe(check(.sqlite, path + ".missing")).status, .critical)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + ".missing"), "read-only: nothing created")
    }

    func testAClosedPortFailsQuickly() {
        let result = probe(check(.tcp, "127.0.0.1:1"))
        XCTAssertEqual(result.status, .critical)
        XCTAssertTrue(result.detail.contains("refused"), result.detail)
    }

    func testAPluginsExitCodeAndFirstLineAreTheResult() throws {
        let dummy = "/usr/lib/nagios/plugins/check_dummy"
        guard FileManager.default.isExecutableFile(atPath: dummy) else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("monitoring-plugins missing") }
            throw XCTSkip("monitoring-plugins missing; run scripts/setup.sh")
        }
        let warning = probe(check(.command, "\(dummy) 1 'slow answers'"))
        XCTAssertEqual(warning.status, .warning)
        XCTAssertEqual(warning.detail, "WARNING: slow answers")
        XCTAssertEqual(probe(check(.command, "\(dummy) 2 down")).status, .critical)
        XCTAssertEqual(probe(check(.command, "\(dummy) 3 what")).status, .unknown)
        XCTAssertEqual(probe(check(.command, "\(dummy) 0 fine")).status, .ok)
        let hung = probe(check(.command, "sleep 5", timeout: 300))
        XCTAssertEqual(hung.status, .critical)
        XCTAssertLessThan(hung.latency ?? 99_999, 3_000, "a hanging plugin is stopped at its timeout")
    }

    func testCertificateEndDatesParse() {
        XCTAssertEqual(Probes.parseNotAfter("notAfter=Dec  1 09:00:00 2026 GMT\n"), 1_796_115_600_000)
        XCTAssertNil(Probes.parseNotAfter("unable to load certificate"))
    }
}
