import Foundation
@preconcurrency import Glibc
import XCTest

/// What the province's monitoring reads: `opsctl metrics` as a viewer (the
/// least a person may be; the `monitor` role is allowed too, once accounts may
/// hold it), and the file `opsd --metrics-file` keeps for node_exporter, both
/// checked by Prometheus' own `promtool check metrics`.
final class MetricsEndToEndTests: XCTestCase {
    func testTheMonitorReadsMetricsThatPromtoolAcceptsAndTheFileFollows() throws {
        let promtool = try Tool.require("/usr/bin/promtool", package: "prometheus")
        let scratch = Scratch()
        let textfile = scratch.file("textfile")
        try FileManager.default.createDirectory(atPath: textfile, withIntermediateDirectories: true)
        let file = textfile + "/portalops.prom"
        let daemon = try Daemon(scratch: scratch, arguments: ["--test-clock", "--socket-mode", "0666",
                                                              "--metrics-file", file]).start()
        daemon.opsctl("component", "add", "portal", "--name", "Cổng dịch vụ công").ok()
        daemon.opsctl("incident", "open", "--title", "Cổng không truy cập được", "--severity", "sev1",
                      "--component", "portal").ok()

        let metrics: CommandResult
        if getuid() == 0 {
            daemon.opsctl("user", "add", "watcher", "--uid", "65534", "--role", "viewer").ok()
            metrics = try daemon.opsctl(asUID: 65534, "metrics").ok()
        } else {
            metrics = daemon.opsctl("metrics").ok()
        }
        XCTAssertTrue(metrics.stdout.contains("\nportalops_incidents_open{severity=\"sev1\"} 1\n"), metrics.stdout)
        XCTAssertTrue(metrics.stdout.contains("\nportalops_requests_total{command=\"incident.open\"} 1\n"),
                      metrics.stdout)
        let checked = Run.process(promtool, ["check", "metrics"], input: metrics.stdout)
        XCTAssertEqual(checked.status, 0, checked.stdout + checked.stderr)
        XCTAssertEqual(checked.stdout + checked.stderr, "", "promtool found nothing to lint")

        // The file follows within a tick or two, and promtool accepts it as well.
        Wait.until("the metrics file counts the incident", seconds: 15) {
            let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
            return text.contains("\nportalops_incidents_open{severity=\"sev1\"} 1\n")
        }
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let fileChecked = Run.process(promtool, ["check", "metrics"], input: text)
        XCTAssertEqual(fileChecked.status, 0, fileChecked.stdout + fileChecked.stderr)
        let json = daemon.opsctl("metrics", "--json").ok().object
        let families = json["families"] as? [[String: Any]] ?? []
        XCTAssertTrue(families.contains { $0["name"] as? String == "portalops_audit_entries" }, "\(json)")
    }
}

/// A peer tool a test needs: skipped on a developer machine without it, a
/// failure in CI (CI=true), where scripts/setup.sh must have installed it.
enum Tool {
    static func require(_ path: String, package: String, file: StaticString = #filePath,
                        line: UInt = #line) throws -> String {
        if FileManager.default.isExecutableFile(atPath: path) { return path }
        let message = "\(path) is missing: scripts/setup.sh installs the Debian package \(package)"
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            XCTFail(message, file: file, line: line)
            throw CocoaError(.fileNoSuchFile)
        }
        throw XCTSkip(message)
    }
}
