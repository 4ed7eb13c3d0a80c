import Foundation
@preconcurrency import Glibc
@testable import OpsDaemon
import OpsProtocol
@testable import PortalOps
import SQLite

/// The daemon's engine without its socket: a temporary ops.db with every
/// migration, admission, the group-commit writer and the job runner, built
/// from a list of capabilities exactly as `opsd` builds them.
final class EngineFixture: @unchecked Sendable {
    let directory: String
    let registry: Registry
    let writer: Writer
    let admission: Admission
    let reads: Reads
    let jobs: JobRunner
    let clock = AdjustableClock()
    let me = PeerCredentials(pid: getpid(), uid: getuid(), gid: getgid())
    /// What `status` reads of the scheduler; a test's `Scheduler` shares it.
    let schedulerProgress = SchedulerProgress()
    /// Shared by `metrics` and the writer, as in opsd.
    let metrics = DaemonMetrics()
    let time = LocalTime(zoneIdentifier: "Asia/Ho_Chi_Minh")!

    init(extra: [Capability] = []) throws {
        directory = NSTemporaryDirectory() + "portalops-engine-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var options = DaemonOptions()
        options.dataDirectory = directory
        let system = SystemCapability(options: options, startedAt: 0, testClock: clock,
                                      scheduler: schedulerProgress, metrics: metrics)
        registry = try Registry([system.capability] + Capabilities.all + extra)
        let db = try Connection(path: directory + "/ops.db")
        try db.migrate(registry.migrations, now: clock.now())
        _ = try UserStore(db).insert(name: "tester", uid: getuid(), role: .admin, fullName: nil, email: nil,
                                     now: clock.now())
        writer = Writer(db: db, clock: clock, time: time, log: Log(), registry: registry,
                        environment: DaemonJobEnvironment(dataDirectory: directory), metrics: metrics)
        let readers = ReaderPool(path: directory + "/ops.db")
        admission = Admission(registry: registry, time: time, readers: readers)
        reads = Reads(readers: readers, writer: writer, clock: clock, time: time, registry: registry,
                      environment: DaemonJobEnvironment(dataDirectory: directory))
        jobs = JobRunner(writer: writer, registry: registry)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// Sends request lines as one peer would, and returns the answers.
    func send(_ requests: [Request]) -> [Response] {
        let verdicts = requests.map { admission.admit(Array($0.json.serialized().utf8), peer: me) }
        return reads.submit(verdicts).map { outcome in
            switch outcome {
            case .answered(let response): return response
            case .job(let job): return jobs.run(job) { _ in }
            }
        }
    }

    func send(_ command: String, _ arguments: [String: JSON] = [:]) -> Response {
        send([Request(command: command, arguments: arguments)])[0]
    }
}
