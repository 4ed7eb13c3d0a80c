import Foundation
@preconcurrency import Glibc
@testable import OpsDaemon
import OpsProtocol
@testable import PortalOps
import SQLite
import XCTest

/// The daemon's own threads at once, as in opsd: clients on the socket
/// server (a thread each) reading and writing through the group-commit
/// writer, a backup job on the job runner streaming progress, the delivery
/// worker handing test messages to a fake sendmail, and the scheduler ticking.
/// Every acknowledged write must be in the database and the audit chain must
/// verify. Bounded (a few seconds); `scripts/sanitize.sh thread` runs it
/// under ThreadSanitizer, where it is the test that finds races between them.
final class EngineConcurrencyTests: XCTestCase {
    func testClientsJobsDeliveryAndSchedulerRunTogether() throws {
        let engine = try EngineFixture()
        let mail = engine.directory + "/mail"
        try FileManager.default.createDirectory(atPath: mail, withIntermediateDirectories: true)
        let portal = try Connection(path: engine.directory + "/portal.db")
        try portal.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t(v) VALUES ('a'), ('b');")
        for (command, arguments) in [
            ("component.add", ["key": "portal", "name": "Cổng dịch vụ công"]),
            ("recipient.add", ["key": "stp", "name": "Sở Tư pháp", "email": .array(["vanthu@stp.vn"])]),
            ("target.add", ["target": "portal", "sqlite": .string(engine.directory + "/portal.db")]),
            ("check.add", ["check": "sync", "component": "portal", "heartbeat": true, "every": "1h"]),
        ] as [(String, [String: JSON])] {
            let response = engine.send(command, arguments)
            XCTAssertNil(response.error, "\(command): \(response)")
        }

        let log = Log()
        let server = try SocketServer(path: engine.directory + "/ops.sock", mode: 0o600, group: nil,
                                      admission: engine.admission, writer: engine.writer, reads: engine.reads,
                                      jobs: engine.jobs, clock: engine.clock, log: log)
        let worker = DeliveryWorker(writer: engine.writer, sendmailCommand: "cat > '\(mail)'/message.$$",
                                    time: engine.time, log: log)
        // Weak: in opsd writer and worker hold each other for the life of the process; here that cycle
        // would keep the whole engine alive after the test (LeakSanitizer reported it).
        engine.writer.afterCommit = { [weak worker] in worker?.poke() }
        let scheduler = Scheduler(writer: engine.writer, jobs: engine.jobs, registry: engine.registry,
                                  time: engine.time, log: log, progress: engine.schedulerProgress) { worker.poke() }
        let ticksBefore = engine.schedulerProgress.ticks.load(ordering: .acquiring)
        worker.start()
        scheduler.start()
        server.start()
        defer {
            scheduler.stop()
            server.stop()
            worker.stop()
        }

        let clients = 10, rounds = 5
        let seen = Acknowledged()
        // A thread per client (concurrentPerform would run only as many at once as there are cores).
        let finished = DispatchGroup()
        for client in 0..<clients {
            finished.enter()
            Thread {
                defer { finished.leave() }
                do {
                    let connection = try Client(path: server.path)
                    for round in 0..<rounds {
                        let name = "c\(client)-r\(round)"
                        // A pipelined batch: writes and reads in one group commit.
                        let batch = try connection.exchange([
                            Request(command: "incident.open", arguments: [
                                "title": .string("Sự cố \(name)"), "severity": "sev3", "component": ["portal"]]),
                            Request(command: "check.ping", arguments: ["check": "sync"]),
                            Request(command: "incident.list", arguments: [:]),
                            Request(command: "whoami", arguments: [:]),
                        ])
                        batch.forEach { XCTAssertNil($0.error, "\(name): \($0)") }
                        guard let ref = batch.first?.data["ref"]?.stringValue else { continue }
                        seen.add(incident: ref)
                        let follow = try connection.exchange([
                            Request(command: "incident.note", arguments: ["incident": .string(ref),
                                                                          "text": .string("Ghi chú \(name)")]),
                            Request(command: "incident.ack", arguments: ["incident": .string(ref)]),
                        ])
                        follow.forEach { XCTAssertNil($0.error, "\(name): \($0)") }
                        if follow.first?.error == nil { seen.add(note: "Ghi chú \(name)") }
                        if client == 0, round < 2 {
                            // A job: progress lines stream on this connection while the others write.
                            let backup = try connection.exchange([Request(command: "backup.run",
                                                                          arguments: ["target": "portal"])])[0]
                            XCTAssertNil(backup.error, "\(backup)")
                            if backup.error == nil { seen.add(backups: 1) }
                        }
                        if client == 1 {
                            let test = try connection.exchange([Request(command: "recipient.test",
                                                                        arguments: ["key": "stp"])])[0]
                            XCTAssertNil(test.error, "\(test)")
                            seen.add(deliveries: test.data["deliveries"]?.arrayValue?.count ?? 0)
                        }
                    }
                } catch {
                    XCTFail("client \(client): \(error)")
                }
            }.start()
        }
        XCTAssertEqual(finished.wait(timeout: .now() + 120), .success, "every client finished")

        let totals = seen.totals
        XCTAssertEqual(totals.incidents.count, clients * rounds)
        XCTAssertEqual(totals.deliveries, rounds)
        // The worker sends what was queued; the scheduler goes on ticking meanwhile.
        let deadline = Date().addingTimeInterval(15)
        func sent() throws -> Int64 {
            try engine.writer.read { db, _ in
                try db.queryRow("SELECT count(*) AS n FROM deliveries WHERE state = 'sent'")?.int("n") ?? 0
            }
        }
        while try sent() < Int64(totals.deliveries)
                || engine.schedulerProgress.ticks.load(ordering: .acquiring) < ticksBefore + 2,
              Date() < deadline {
            usleep(20_000)
        }
        XCTAssertEqual(try sent(), Int64(totals.deliveries), "every queued test message handed to sendmail")
        let mails = try FileManager.default.contentsOfDirectory(atPath: mail)
        XCTAssertEqual(mails.count, totals.deliveries, "one mail per delivery, none twice")
        XCTAssertGreaterThanOrEqual(engine.schedulerProgress.ticks.load(ordering: .acquiring), ticksBefore + 2)

        let stored = try engine.writer.read { db, _ in
            (incidents: Set(try db.query("SELECT ref FROM incidents").compactMap { $0.string("ref") }),
             events: Set(try db.query("SELECT text FROM incident_events").compactMap { $0.string("text") }),
             backups: try db.queryRow("SELECT count(*) AS n FROM backups WHERE state = 'complete'")?.int("n") ?? 0)
        }
        XCTAssertTrue(totals.incidents.isSubset(of: stored.incidents), "every acknowledged incident is stored")
        XCTAssertTrue(totals.notes.isSubset(of: stored.events), "every acknowledged note is stored")
        XCTAssertEqual(totals.notes.count, clients * rounds)
        XCTAssertEqual(stored.backups, Int64(totals.backups))
        XCTAssertEqual(totals.backups, 2)
        let verify = engine.send("audit.verify")
        XCTAssertNil(verify.error, "\(verify)")
    }

    /// What the clients were told was done, gathered from their threads.
    private final class Acknowledged: @unchecked Sendable {
        private let lock = NSLock()
        private var incidents = Set<String>(), notes = Set<String>(), backups = 0, deliveries = 0
        func add(incident: String) { lock.withLock { _ = incidents.insert(incident) } }
        func add(note: String) { lock.withLock { _ = notes.insert(note) } }
        func add(backups count: Int) { lock.withLock { backups += count } }
        func add(deliveries count: Int) { lock.withLock { deliveries += count } }
        var totals: (incidents: Set<String>, notes: Set<String>, backups: Int, deliveries: Int) {
            lock.withLock { (incidents, notes, backups, deliveries) }
        }
    }

    /// One connection, as opsctl holds it: request lines out, answer lines
    /// back (a job's progress lines skipped), each read bounded by a timeout.
    private final class Client {
        private let fd: Int32
        private var buffered: [UInt8] = []

        init(path: String) throws {
            fd = try UnixSocketConnect.connect(path)
            UnixSocket.setReceiveTimeout(fd, milliseconds: 10_000)
        }

        deinit { close(fd) }

        func exchange(_ requests: [Request]) throws -> [Response] {
            let lines = requests.map { $0.json.serialized() + "\n" }.joined()
            try UnixSocket.sendAll(fd, Array(lines.utf8))
            var answers: [Response] = []
            while answers.count < requests.count {
                let json = try JSON.parse(try line())
                if json["progress"] != nil { continue }
                answers.append(try Response(json: json))
            }
            return answers
        }

        private func line() throws -> [UInt8] {
            var chunk = [UInt8](repeating: 0, count: 65_536)
            while true {
                if let end = buffered.firstIndex(of: 0x0A) {
                    defer { buffered.removeSubrange(...end) }
                    return Array(buffered[..<end])
                }
                let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                guard count > 0 else { throw OpsError.unreachable("opsd closed the connection or went quiet") }
                buffered += chunk[..<count]
            }
        }
    }
}
