import Foundation
@preconcurrency import Glibc
import XCTest

final class ProtocolTests: XCTestCase {
    private func componentCount(_ daemon: Daemon) -> Int {
        (daemon.opsctl("component", "list", "--json").ok().object["components"] as? [Any])?.count ?? -1
    }

    func testMalformedUnknownAndInvalidRequestsChangeNothing() throws {
        let daemon = try Daemon().start()
        let client = try XCTUnwrap(RawClient(daemon.socket))
        XCTAssertTrue(client.send("{not json\n"))
        let malformed = try XCTUnwrap(client.readLine())
        XCTAssertTrue(malformed.contains("\"kind\":\"usage\"") && malformed.contains("malformed JSON"), malformed)

        let unknown = try XCTUnwrap(client.request("component.ad", ["key": "x", "name": "X"]))
        let message = (unknown["error"] as? [String: Any])?["message"] as? String ?? ""
        XCTAssertTrue(message.contains("did you mean 'component.add'"), message)

        let invalid = try XCTUnwrap(client.request("component.add", ["key": "NOT A KEY", "name": "X"]))
        XCTAssertEqual((invalid["error"] as? [String: Any])?["kind"] as? String, "usage")
        XCTAssertEqual(componentCount(daemon), 0)

        // The same connection still serves good requests afterwards.
        let good = try XCTUnwrap(client.request("component.add", ["key": "portal", "name": "Cổng"]))
        XCTAssertEqual(good["ok"] as? Bool, true)
    }

    /// Requests sent back to back on one connection run in one batch, yet
    /// each succeeds or is refused on its own, answered in order.
    func testPipelinedRequestsAreAnsweredInOrderAndFailAlone() throws {
        let daemon = try Daemon().start()
        let client = try XCTUnwrap(RawClient(daemon.socket))
        let lines = [
            #"{"command":"component.add","args":{"key":"a","name":"A"}}"#,
            #"{"command":"component.add","args":{"key":"a","name":"again"}}"#,
            #"{"command":"component.add","args":{"key":"b","name":"B"}}"#,
            #"{"command":"whoami"}"#,
        ]
        XCTAssertTrue(client.send(lines.joined(separator: "\n") + "\n"))
        let answers = (0..<4).compactMap { _ in client.readLine() }
        XCTAssertEqual(answers.count, 4)
        XCTAssertTrue(answers[0].contains("Added component a"), answers[0])
        XCTAssertTrue(answers[1].contains("already exists"), answers[1])
        XCTAssertTrue(answers[2].contains("Added component b"), answers[2])
        XCTAssertTrue(answers[3].contains("\"role\":\"admin\""), answers[3])
        let components = daemon.opsctl("component", "list", "--json").ok().object["components"] as? [[String: Any]] ?? []
        XCTAssertEqual(components.map { $0["name"] as? String }, ["A", "B"])
        let audit = daemon.opsctl("audit", "list", "--command", "component.add", "--json").ok().object["entries"] as? [[String: Any]] ?? []
        XCTAssertEqual(audit.map { $0["outcome"] as? String }, ["ok", "refused", "ok"])
        daemon.opsctl("audit", "verify").ok()
    }

    func testARequestOverOneMebibyteIsRefusedUnread() throws {
        let daemon = try Daemon().start()
        let client = try XCTUnwrap(RawClient(daemon.socket))
        let huge = "{\"command\":\"component.add\",\"args\":{\"key\":\"big\",\"name\":\"" + String(repeating: "x", count: 1_100_000) + "\"}}\n"
        _ = client.send(huge)   // the daemon may close before reading it all
        let answer = try XCTUnwrap(client.readLine())
        XCTAssertTrue(answer.contains("larger than 1 MiB"), String(answer.prefix(300)))
        XCTAssertNil(client.readLine(timeoutSeconds: 5), "the connection is closed afterwards")
        XCTAssertEqual(componentCount(daemon), 0)
        let refusals = daemon.opsctl("audit", "list", "--json").ok().object["entries"] as? [[String: Any]] ?? []
        XCTAssertTrue(refusals.contains { ($0["detail"] as? String)?.contains("larger than 1 MiB") == true }, "recorded")
    }

    func testIdleConnectionsAreClosedAfterThePolicyTimeout() throws {
        let daemon = try Daemon().start()
        daemon.opsctl("policy", "set", "server.idle_timeout", "1s").ok()
        let client = try XCTUnwrap(RawClient(daemon.socket))
        let started = Date()
        XCTAssertNil(client.readLine(timeoutSeconds: 10), "closed by the daemon")
        XCTAssertLessThan(Date().timeIntervalSince(started), 9, "closed by the idle timeout, not by our own read timeout")
    }

    func testTwoHundredIdleClientsDoNotBlockANewOne() throws {
        let daemon = try Daemon().start()
        let idle = (0..<200).compactMap { _ in RawClient(daemon.socket) }
        XCTAssertEqual(idle.count, 200)
        let result = daemon.opsctl("whoami").ok()
        XCTAssertTrue(result.stdout.contains("admin"))
        withExtendedLifetime(idle) {}
    }

    func testFiftyClientsTimesOneHundredRequestsAllSucceed() throws {
        let daemon = try Daemon().start()
        let failures = ManagedCounter()
        let socket = daemon.socket
        let group = DispatchGroup()
        for client in 0..<50 {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                guard let connection = RawClient(socket) else { failures.add(100); return }
                for request in 0..<100 {
                    let response = request % 2 == 0
                        ? connection.request("component.add", ["key": "c\(client)-\(request)", "name": "Thành phần \(client)"])
                        : connection.request("whoami")
                    if response?["ok"] as? Bool != true { failures.add(1) }
                }
            }
            thread.start()
        }
        group.wait()
        XCTAssertEqual(failures.value, 0)
        XCTAssertEqual(componentCount(daemon), 50 * 50)
        XCTAssertTrue(daemon.opsctl("audit", "verify").ok().stdout.contains("intact"))
    }
}

/// A counter several threads may add to.
final class ManagedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add(_ n: Int) { lock.lock(); count += n; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
