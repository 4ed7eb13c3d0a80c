import Foundation
import XCTest

final class DurabilityTests: XCTestCase {
    /// kill -9 in the middle of a burst of writes from several clients:
    /// every write that was acknowledged is there after restart, and the
    /// audit chain still verifies.
    func testKill9DuringABurstLosesNoAcknowledgedWrite() throws {
        let daemon = try Daemon().start()
        let acknowledged = KeyList()
        let socket = daemon.socket
        let group = DispatchGroup()
        for writer in 0..<4 {
            group.enter()
            Thread {
                defer { group.leave() }
                guard let connection = RawClient(socket) else { return }
                for n in 0..<100_000 {
                    let key = "w\(writer)-\(n)"
                    guard let response = connection.request("component.add", ["key": key, "name": "Ghi \(n)"]) else { return }
                    if response["ok"] as? Bool == true { acknowledged.append(key) }
                }
            }.start()
        }
        Wait.until("400 acknowledged writes (\(acknowledged.count) so far)", seconds: 60, every: 5_000) {
            acknowledged.count >= 400
        }
        daemon.kill9()
        group.wait()
        let keys = acknowledged.all
        XCTAssertGreaterThanOrEqual(keys.count, 400)

        try daemon.start()
        let stored = Set((daemon.opsctl("component", "list", "--json").ok().object["components"] as? [[String: Any]] ?? [])
            .compactMap { $0["key"] as? String })
        let lost = keys.filter { !stored.contains($0) }
        XCTAssertEqual(lost, [], "acknowledged writes lost after kill -9")
        let verify = daemon.opsctl("audit", "verify").ok()
        XCTAssertTrue(verify.stdout.hasPrefix("intact"), verify.stdout)
    }
}

final class KeyList: @unchecked Sendable {
    private let lock = NSLock()
    private var keys: [String] = []
    func append(_ key: String) { lock.lock(); keys.append(key); lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return keys.count }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return keys }
}
