import Foundation
@preconcurrency import Glibc
import XCTest

/// Issue 12, item 6: health checks against real servers on 127.0.0.1 that
/// the test starts and stops, heartbeats with the test clock, and a monitor
/// account that pings but cannot open incidents.
final class CheckTests: XCTestCase {
    static let checkTCP = "/usr/lib/nagios/plugins/check_tcp"

    /// A tool the test needs: missing, it skips on a developer's machine and fails in CI.
    private func require(_ path: String, package: String) throws {
        guard !FileManager.default.isExecutableFile(atPath: path) else { return }
        let message = "\(path) is missing: install \(package) (scripts/setup.sh)"
        if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail(message) }
        throw XCTSkip(message)
    }

    private func checks(_ daemon: Daemon) -> [String: [String: Any]] {
        let list = daemon.opsctl("check", "list", "--json").ok().object["checks"] as? [[String: Any]] ?? []
        return Dictionary(uniqueKeysWithValues: list.map { ($0["key"] as? String ?? "", $0) })
    }

    private func incidents(_ daemon: Daemon) -> [[String: Any]] {
        daemon.opsctl("incident", "list", "--json").ok().object["incidents"] as? [[String: Any]] ?? []
    }

    private func results(_ daemon: Daemon, _ key: String) -> Int {
        (daemon.opsctl("check", "show", key, "--limit", "1000", "--json").ok().object["results"] as? [Any])?.count ?? 0
    }

    /// An HTTP page, the TCP port under it and a monitoring-plugins check_tcp of the same port: all three go
    /// down when the server stops, each opens exactly one incident, and all resolve when it comes back.
    func testRealTargetsOpenOneIncidentEachAndResolveOnRecovery() throws {
        try require(Self.checkTCP, package: "monitoring-plugins")
        let daemon = try Daemon().start()
        var server: HelperServer? = try HelperServer("http_target.py", portFile: daemon.scratch.file("http.port"),
                                                     arguments: [])
        let port = try XCTUnwrap(server?.port)
        daemon.opsctl("component", "add", "portal", "--name", "Cổng dịch vụ công").ok()
        let rules = ["--component", "portal", "--interval", "1s", "--timeout", "1s", "--fail-after", "2",
                     "--recover-after", "2"]
        daemon.opsctl(["check", "add", "web", "--http", "http://127.0.0.1:\(port)/", "--contains", "Lào Cai"] + rules)
            .ok()
        daemon.opsctl(["check", "add", "port", "--tcp", "127.0.0.1:\(port)"] + rules).ok()
        daemon.opsctl(["check", "add", "plugin", "--command", "\(Self.checkTCP) -H 127.0.0.1 -p \(port) -t 1"]
                      + rules).ok()
        Wait.until("all three checks up") { checks(daemon).values.allSatisfy { $0["state"] as? String == "up" } }
        XCTAssertTrue((checks(daemon)["plugin"]?["last_detail"] as? String ?? "").hasPrefix("TCP OK"),
                      "the plugin's first line is the detail")
        XCTAssertEqual(incidents(daemon).count, 0)

        server = nil   // the port closes
        Wait.until("all three checks down") {
            checks(daemon).values.allSatisfy { $0["state"] as? String == "down" }
        }
        let opened = incidents(daemon)
        XCTAssertEqual(opened.count, 3, "one incident per check")
        XCTAssertTrue(opened.allSatisfy { $0["source"] as? String == "monitor" && $0["state"] as? String == "open" })
        // Three more failed probes of each: still one incident per check.
        let before = results(daemon, "web")
        Wait.until("three more probes of web") { results(daemon, "web") >= before + 3 }
        XCTAssertEqual(incidents(daemon).count, 3, "never a second incident while still failing")
        let plugin = checks(daemon)["plugin"]?["last_detail"] as? String ?? ""
        XCTAssertTrue(plugin.contains("Connection refused"), plugin)

        server = try HelperServer("http_target.py", portFile: daemon.scratch.file("http2.port"),
                                  arguments: [String(port)])
        Wait.until("all three incidents resolved") {
            incidents(daemon).allSatisfy { $0["state"] as? String == "resolved" }
        }
        XCTAssertEqual(incidents(daemon).count, 3)
        XCTAssertTrue(checks(daemon).values.allSatisfy { $0["state"] as? String == "up" })
        let availability = daemon.opsctl("availability", "--component", "portal", "--json").ok().object
        let portal = (availability["components"] as? [[String: Any]])?.first ?? [:]
        XCTAssertGreaterThan(portal["unplanned_seconds"] as? Int ?? 0, 0, "the outage counts as unplanned")
        daemon.opsctl("audit", "verify").ok()
        withExtendedLifetime(server) {}
    }

    /// A failing check inside a maintenance window covering its component opens nothing.
    func testAFailureDuringMaintenanceOpensNoIncident() throws {
        let daemon = try Daemon().start()
        daemon.opsctl("component", "add", "portal", "--name", "Cổng").ok()
        daemon.opsctl("clock", "set", "2026-12-01 09:00").ok()
        daemon.configureNotices()
        daemon.opsctl("policy", "set", "maintenance.start_requires", "none").ok()   // no mail server here
        daemon.opsctl("recipient", "add", "stp", "--name", "Sở Tư pháp", "--email", "stp@example.vn",
                      "--group", "agencies").ok()
        daemon.opsctl("maintenance", "plan", "--title", "Bảo trì", "--kind", "maintenance", "--start",
                      "2026-12-10 22:00", "--end", "2026-12-11 02:00", "--component", "portal", "--group",
                      "agencies").ok()
        daemon.opsctl("maintenance", "announce", "MW-2026-0001").ok()
        daemon.opsctl("clock", "set", "2026-12-10 22:00").ok()
        daemon.opsctl("maintenance", "start", "MW-2026-0001").ok()
        // A port nothing listens on: bind one, note it, close it.
        let closed = try freePort()
        daemon.opsctl("check", "add", "port", "--component", "portal", "--tcp", "127.0.0.1:\(closed)",
                      "--interval", "1s", "--timeout", "1s", "--fail-after", "1").ok()
        Wait.until("three failed probes") { results(daemon, "port") >= 3 }
        XCTAssertEqual(checks(daemon)["port"]?["state"] as? String, "maintenance")
        XCTAssertEqual(incidents(daemon).count, 0)
    }

    /// HTTPS against a self-signed certificate that expires tomorrow: the expiry is recorded (openssl),
    /// status warns, an incident for the certificate opens, and the untrusted certificate fails the probe.
    func testAShortLivedCertificateWarnsAndOpensAnIncident() throws {
        try require("/usr/bin/openssl", package: "openssl")
        let daemon = try Daemon().start()
        let cert = daemon.scratch.file("cert.pem"), key = daemon.scratch.file("key.pem")
        let made = Run.process("/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                                                    "-subj", "/CN=127.0.0.1", "-keyout", key, "-out", cert])
        XCTAssertEqual(made.status, 0, made.stderr)
        let server = try HelperServer("http_target.py", portFile: daemon.scratch.file("https.port"),
                                      arguments: ["0", cert, key])
        daemon.opsctl("component", "add", "portal", "--name", "Cổng").ok()
        daemon.opsctl("check", "add", "tls", "--component", "portal", "--http", "https://127.0.0.1:\(server.port)/",
                      "--cert-warn", "14d").ok()
        let ran = daemon.opsctl("check", "run", "tls", "--json").ok().object
        XCTAssertEqual(ran["status"] as? String, "critical", "a self-signed certificate is not trusted")
        let status = daemon.opsctl("status", "--json").ok().object
        let expiring = status["certificates_expiring"] as? [[String: Any]] ?? []
        XCTAssertEqual(expiring.first?["check"] as? String, "tls")
        let warnings = status["warnings"] as? [String] ?? []
        XCTAssertTrue(warnings.contains { $0.contains("certificate of https://127.0.0.1") }, "\(warnings)")
        Wait.until("an incident about the certificate") {
            incidents(daemon).contains { ($0["title"] as? String ?? "").contains("TLS certificate") }
        }
        daemon.waitForTicks()
        XCTAssertEqual(incidents(daemon).filter { ($0["title"] as? String ?? "").contains("TLS") }.count, 1)
        let metrics = daemon.opsctl("metrics").ok().stdout
        XCTAssertTrue(metrics.contains("portalops_check_certificate_expiry_timestamp_seconds{check=\"tls\"}"),
                      "the province's monitoring sees the expiry too")
        let states = metrics.split(separator: "\n").filter { $0.hasPrefix("portalops_checks{state=") }
        XCTAssertEqual(states.compactMap { $0.split(separator: " ").last.flatMap { Int($0) } }.reduce(0, +), 1,
                       "one check, counted in exactly one state: \(states)")
    }

    /// A heartbeat missed past every + grace (test clock) opens an incident; a monitor account (uid 65534)
    /// may ping it but may not open incidents or add checks; its ping resolves the incident.
    func testAMissedHeartbeatOpensAnIncidentAndTheMonitorAccountMayOnlyPing() throws {
        let daemon = try Daemon().start()
        daemon.opsctl("component", "add", "national-link", "--name", "Kết nối Cổng DVC quốc gia").ok()
        daemon.opsctl("user", "add", "zabbix", "--uid", "65534", "--role", "monitor").ok()
        daemon.opsctl("check", "add", "sync", "--component", "national-link", "--heartbeat", "--every", "1h",
                      "--grace", "15m").ok()
        try daemon.opsctl(asUID: 65534, "check", "ping", "sync", "--detail", "1520 hồ sơ").ok()
        let refused = try daemon.opsctl(asUID: 65534, "incident", "open", "--title", "x", "--severity", "sev1",
                                        "--component", "national-link")
        XCTAssertEqual(refused.status, 3, refused.stderr)
        XCTAssertEqual(try daemon.opsctl(asUID: 65534, "check", "add", "x", "--component", "national-link",
                                         "--tcp", "127.0.0.1:1").status, 3)
        XCTAssertEqual(try daemon.opsctl(asUID: 65534, "status").status, 3)
        XCTAssertEqual(incidents(daemon).count, 0)

        daemon.opsctl("clock", "advance", "1h").ok()
        daemon.waitForTicks()
        XCTAssertEqual(incidents(daemon).count, 0, "within the grace")
        daemon.opsctl("clock", "advance", "16m").ok()
        Wait.until("an incident for the missed heartbeat") { incidents(daemon).count == 1 }
        let incident = incidents(daemon)[0]
        XCTAssertTrue((incident["title"] as? String ?? "").contains("National Public Service Portal"))
        try daemon.opsctl(asUID: 65534, "check", "ping", "sync").ok()
        XCTAssertEqual(incidents(daemon).first?["state"] as? String, "resolved")
        XCTAssertEqual(checks(daemon)["sync"]?["state"] as? String, "up")
    }

    /// Time opsd was stopped counts as unknown after it starts again, never as up.
    func testTimeOpsdWasStoppedIsUnknown() throws {
        let daemon = try Daemon(arguments: ["--socket-mode", "0666"]).start()
        let server = try HelperServer("http_target.py", portFile: daemon.scratch.file("http.port"), arguments: [])
        daemon.opsctl("component", "add", "portal", "--name", "Cổng").ok()
        daemon.opsctl("check", "add", "web", "--component", "portal", "--http", "http://127.0.0.1:\(server.port)/",
                      "--interval", "1s", "--fail-after", "1").ok()
        Wait.until("web up") { checks(daemon)["web"]?["state"] as? String == "up" }
        daemon.waitForTicks()
        XCTAssertEqual(daemon.stop(), 0)
        let stoppedAt = Date()
        Wait.until("3 s pass while opsd is stopped", seconds: 10) { Date().timeIntervalSince(stoppedAt) >= 3 }
        try daemon.start()
        daemon.waitForTicks()
        let portal = (daemon.opsctl("availability", "--json").ok().object["components"] as? [[String: Any]])?
            .first ?? [:]
        XCTAssertGreaterThanOrEqual(portal["unknown_seconds"] as? Int ?? 0, 3)
        XCTAssertEqual(portal["unplanned_seconds"] as? Int, 0)
    }

    private func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                guard bind(fd, $0, length) == 0, getsockname(fd, $0, &length) == 0 else {
                    throw XCTSkip("cannot bind a port on 127.0.0.1")
                }
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
