import Foundation
import OpsProtocol
@testable import OpsDaemon
@testable import PortalOps
import XCTest

/// `opsctl metrics` and the metrics file: what they count and how they are written.
final class MetricsTests: XCTestCase {
    private func lines(_ response: Response) -> Set<String> {
        Set((response.output ?? "").split(separator: "\n").map(String.init))
    }

    func testRequestsAndRefusalsAreCountedByCommandAndKind() throws {
        let engine = try EngineFixture()
        _ = engine.send([
            Request(command: "component.add", arguments: ["key": "web", "name": "Web"]),
            Request(command: "component.add", arguments: ["key": "web", "name": "Again"]),   // refused: exists
            Request(command: "made.up", arguments: [:]),                                      // usage: unknown
        ])
        let response = engine.send("metrics")
        XCTAssertNil(response.error, "\(response)")
        let text = lines(response)
        for line in ["portalops_requests_total{command=\"component.add\"} 2",
                     "portalops_refusals_total{command=\"component.add\",kind=\"refused\"} 1",
                     "portalops_refusals_total{command=\"unknown\",kind=\"usage\"} 1",
                     "# TYPE portalops_writer_batch_size histogram",
                     "portalops_writer_batch_size_bucket{le=\"2\"} 0",
                     "portalops_writer_batch_size_bucket{le=\"4\"} 1",
                     "portalops_writer_batch_size_count 1",
                     "portalops_incidents_open{severity=\"sev1\"} 0",
                     "portalops_outbox_deliveries{state=\"dead\"} 0",
                     "portalops_outbox_oldest_pending_age_seconds 0"] {
            XCTAssertTrue(text.contains(line), "missing \(line) in\n\(response.output ?? "")")
        }
        XCTAssertFalse(text.contains { $0.contains("made.up") }, "a made-up command must not become a label")
        // Every family has HELP and TYPE before its samples.
        let families = try XCTUnwrap(response.data["families"]?.arrayValue)
        XCTAssertTrue(families.contains { $0["name"]?.stringValue == "portalops_audit_entries" })
        for family in families {
            let name = try XCTUnwrap(family["name"]?.stringValue)
            XCTAssertTrue(text.contains { $0.hasPrefix("# HELP \(name) ") }, name)
            if family["type"]?.stringValue == "counter" { XCTAssertTrue(name.hasSuffix("_total"), name) }
        }
    }

    func testSecurityIncidentsAreCountedOnlyForRolesThatSeeThem() throws {
        let engine = try EngineFixture()
        XCTAssertNil(engine.send("component.add", ["key": "portal", "name": "Cổng"]).error)
        let opened = engine.send("incident.open", ["title": "Dò quét mật khẩu", "severity": "sev2",
                                                   "component": ["portal"], "security": true])
        XCTAssertNil(opened.error, "\(opened)")
        XCTAssertTrue(lines(engine.send("metrics")).contains("portalops_incidents_open{severity=\"sev2\"} 1"))
        let report = MetricsReport(registry: engine.registry, daemon: engine.metrics, startedAt: 0)
        let hidden = try engine.writer.read { db, now in
            PrometheusText.render(try report.families(db: db, now: now, includeSecurity: false))
        }
        XCTAssertTrue(hidden.contains("portalops_incidents_open{severity=\"sev2\"} 0\n"), hidden)
    }

    func testTheMetricsFileIsReplacedWholeAndReadableByOthers() throws {
        let engine = try EngineFixture()
        let directory = engine.directory + "/textfile"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/portalops.prom"
        try "stale".write(toFile: path, atomically: false, encoding: .utf8)
        let file = try MetricsFile(path: path,
                                   report: MetricsReport(registry: engine.registry, daemon: engine.metrics,
                                                         startedAt: 0),
                                   databasePath: engine.directory + "/ops.db", clock: engine.clock, log: Log())
        let previous = umask(0o077)
        defer { umask(previous) }
        file.write()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("# HELP portalops_build_info "), text)
        XCTAssertTrue(text.contains("portalops_audit_entries "), text)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
        XCTAssertEqual(mode?.intValue, 0o644, "node_exporter runs as its own user")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["portalops.prom"],
                       "no temporary file is left beside it")
    }

    func testTextFormatEscapesHelpAndLabelValues() {
        let family = MetricFamily("x_total", .counter, "a \\ b\nc",
                                  samples: [MetricSample(1.5, labels: [("target", "a\"b\\c\nd")])])
        XCTAssertEqual(PrometheusText.render([family]),
                       "# HELP x_total a \\\\ b\\nc\n# TYPE x_total counter\nx_total{target=\"a\\\"b\\\\c\\nd\"} 1.5\n")
    }

    func testTheMetricsFileMustBeAPromFileInAnExistingDirectory() {
        XCTAssertThrowsError(try DaemonOptions.parse(["--metrics-file", "/tmp/portalops.txt"], environment: [:]))
        XCTAssertThrowsError(try DaemonOptions.parse(["--metrics-file", "/no/such/dir/portalops.prom"],
                                                     environment: [:]))
        guard case .run(let options) = try? DaemonOptions.parse(["--metrics-file", "/tmp/portalops.prom"],
                                                                environment: [:]) else {
            return XCTFail("a .prom file in /tmp is accepted")
        }
        XCTAssertEqual(options.metricsFile, "/tmp/portalops.prom")
    }
}
