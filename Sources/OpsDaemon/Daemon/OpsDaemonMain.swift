import Foundation
@preconcurrency import Glibc
import PortalOps
import SQLite

/// The `opsd` process: read the bootstrap settings, open the database,
/// listen, and shut down cleanly on SIGTERM or SIGINT.
public enum OpsDaemonMain {
    public static func run() -> Never {
        signal(SIGPIPE, SIG_IGN)
        umask(0o077)   // ops.db, its WAL and every file opsd writes: owner only
        let log = Log()
        let options: DaemonOptions
        do {
            switch try DaemonOptions.parse(Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment) {
            case .help: print(DaemonOptions.help); exit(0)
            case .version: print("opsd \(PortalOpsVersion.text) (SQLite \(Connection.libraryVersion))"); exit(0)
            case .run(let parsed): options = parsed
            }
        } catch {
            FileHandle.standardError.write(Data("opsd: \(error)\n".utf8))
            exit(2)
        }
        do {
            try serve(options, log: log)
        } catch let error as DataDirectory.Locked {
            log.event("not started: \(error)")
            exit(1)
        } catch let error as UnixSocket.Failure {
            log.event("not started: \(error)")
            exit(1)
        } catch {
            log.event("not started: \(error)")
            exit(5)
        }
    }

    private static func serve(_ options: DaemonOptions, log: Log) throws -> Never {
        let startedAt = SystemClock().now()
        _ = try DataDirectory(path: options.dataDirectory, log: log)   // holds the lock until exit
        guard let time = LocalTime(zoneIdentifier: options.zone) else { throw DaemonOptions.UsageError(description: "unknown zone") }
        let testClock = options.testClock ? AdjustableClock() : nil
        let clock: any Clock = testClock ?? SystemClock()

        let db = try Connection(path: options.databasePath, synchronous: options.synchronous)
        chmod(options.databasePath, 0o600)
        let applied = try db.migrate(Schema.migrations, now: clock.now())
        if !applied.isEmpty { log.event("database \(options.databasePath): applied migrations \(applied.map(String.init).joined(separator: ", "))") }
        try bootstrapUsers(db, clock: clock, log: log)
        let dataDirectory = (options.dataDirectory as NSString).standardizingPath.hasPrefix("/")
            ? (options.dataDirectory as NSString).standardizingPath
            : FileManager.default.currentDirectoryPath + "/" + (options.dataDirectory as NSString).standardizingPath
        let jobEnvironment = DaemonJobEnvironment(dataDirectory: dataDirectory)
        let interruptedBackups = try db.transaction {
            let store = BackupStore(db)
            try store.ensureConsoleTarget(databasePath: dataDirectory + "/ops.db", now: clock.now())
            return try store.failInterrupted(now: clock.now()).map { ($0, try store.target($0.target)) }
        }
        let engine = BackupEngine(environment: jobEnvironment, time: time)
        for (backup, target) in interruptedBackups {
            let removed = target.map { engine.removeLeftovers(of: backup, target: $0) } ?? []
            log.event("backup \(backup.ref) was running when opsd stopped; marked failed"
                      + (removed.isEmpty ? "" : ", removed \(removed.joined(separator: ", "))"))
        }
        let drills = engine.removeDrillLeftovers()
        if !drills.isEmpty { log.event("removed what drills cut short by a stop left: \(drills.joined(separator: ", "))") }
        let interrupted = try db.transaction { try Outbox(db).recoverInterrupted(now: clock.now()) }
        if interrupted > 0 { log.event("\(interrupted) deliveries were being sent when opsd stopped; queued again (receivers can drop repeats by their Message-ID or Idempotency-Key)") }

        let dispatcher = Dispatcher(db: db, clock: clock, time: time, log: log)
        let system = SystemCommands(options: options, startedAt: startedAt, testClock: testClock)
        try dispatcher.bind(DomainHandlers.all.merging(system.handlers) { domain, _ in domain },
                            jobs: DomainJobs.handlers(environment: jobEnvironment))

        var group: gid_t?
        if let name = options.socketGroup {
            guard let entry = getgrnam(name) else { throw DaemonOptions.UsageError(description: "no group named '\(name)'") }
            group = entry.pointee.gr_gid
        }
        let server = try SocketServer(path: options.resolvedSocketPath, mode: mode_t(options.socketMode), group: group,
                                      dispatcher: dispatcher, log: log)
        let worker = DeliveryWorker(dispatcher: dispatcher, sendmailCommand: options.sendmail, time: time, log: log)
        dispatcher.afterCommit = { worker.poke() }
        worker.start()
        let scheduler = Scheduler(dispatcher: dispatcher, time: time, log: log) { worker.poke() }
        scheduler.start()
        server.start()

        let done = DispatchSemaphore(value: 0)
        var sources: [DispatchSourceSignal] = []
        for number in [SIGTERM, SIGINT] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                log.event("received \(number == SIGTERM ? "SIGTERM" : "SIGINT"); finishing requests in flight")
                scheduler.stop()
                let running = server.stop()
                worker.stop()
                // Jobs still running after the wait: their commands are
                // stopped, and the jobs get 2 s to record that they failed.
                let commands = ChildProcess.terminateAll()
                let cut = running > 0 || commands > 0 ? server.waitIdle(timeoutMilliseconds: 2_000) : 0
                dispatcher.shutDown()
                log.event(running == 0 && commands == 0 ? "stopped cleanly"
                          : "stopped; \(running) request(s) still running after 10 s, \(commands) command(s) terminated, "
                            + "\(running - cut) recorded as failed, \(cut) cut (a backup among them is marked failed at the next start)")
                done.signal()
            }
            source.resume()
            sources.append(source)
        }
        log.event("opsd \(PortalOpsVersion.text) listening on \(options.resolvedSocketPath) (data \(options.dataDirectory), zone \(options.zone), synchronous \(options.synchronous.lowercased())\(testClock != nil ? ", TEST CLOCK" : ""))")
        done.wait()
        withExtendedLifetime(sources) {}
        exit(0)
    }

    /// On a new data directory: the uid running opsd and root become admins,
    /// recorded in the audit trail like any other change.
    private static func bootstrapUsers(_ db: Connection, clock: any Clock, log: Log) throws {
        let uid = getuid()
        let name = getpwuid(uid).map { String(cString: $0.pointee.pw_name) } ?? "uid\(uid)"
        try db.transaction {
            let now = clock.now()
            for user in try UserStore(db).bootstrap(daemonUID: uid, daemonUserName: name, now: now) {
                try AuditLog(db).append(at: now, actor: "opsd", uid: Int64(uid), pid: Int64(getpid()), command: "bootstrap",
                                        arguments: ["name": .string(user.name), "uid": .int(Int64(user.uid))],
                                        outcome: "ok", detail: "first start: \(user.name) (uid \(user.uid)) is admin")
                log.event("first start: \(user.name) (uid \(user.uid)) is admin")
            }
        }
    }
}
