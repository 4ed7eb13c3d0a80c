import OpsProtocol
import Foundation
@preconcurrency import Glibc
import PortalOps
import Synchronization
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
        } catch let error as DamagedDatabase.Refused {
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

    /// Page-cache slots for what opsd keeps open at once: the writer's 2 MiB (SQLite's default), each
    /// pooled reader's `ReaderPool.cacheKiB`, two more connections at the default (the published site,
    /// the metrics file) and a backup's three scanning ones; 4 KiB pages. More come from malloc.
    static var pageCacheSlots: Int {
        (3 * 2_000 + ReaderPool.defaultLimit * ReaderPool.cacheKiB + 3 * Connection.scanningCacheKiB) / 4
    }

    private static func serve(_ options: DaemonOptions, log: Log) throws -> Never {
        let startedAt = SystemClock().now()
        if let warning = DescriptorLimit.raise() { log.event(warning) }
        MallocTuning.apply()
        do { try PageCachePool.reserve(slots: Self.pageCacheSlots) } catch { log.event("page cache pool: \(error)") }
        _ = try DataDirectory(path: options.dataDirectory, log: log)   // holds the lock until exit
        guard let time = LocalTime(zoneIdentifier: options.zone) else { throw DaemonOptions.UsageError(description: "unknown zone") }
        let testClock = options.testClock ? AdjustableClock() : nil
        let clock: any Clock = testClock ?? SystemClock()

        let progress = SchedulerProgress()
        let metrics = DaemonMetrics()
        let system = SystemCapability(options: options, startedAt: startedAt, testClock: testClock, scheduler: progress,
                                      metrics: metrics)
        let registry = try Registry([system.capability] + Capabilities.all)
        let db = try Connection(path: options.databasePath, synchronous: options.synchronous)
        chmod(options.databasePath, 0o600)
        try DamagedDatabase.check(db, databasePath: options.databasePath, dataDirectory: options.dataDirectory)
        let applied = try db.migrate(registry.migrations, now: clock.now())
        if !applied.isEmpty { log.event("database \(options.databasePath): applied migrations \(applied.map(String.init).joined(separator: ", "))") }
        try bootstrapUsers(db, clock: clock, log: log)
        let dataDirectory = (options.dataDirectory as NSString).standardizingPath.hasPrefix("/")
            ? (options.dataDirectory as NSString).standardizingPath
            : FileManager.default.currentDirectoryPath + "/" + (options.dataDirectory as NSString).standardizingPath
        let probes = Probes()
        let environment = DaemonJobEnvironment(dataDirectory: dataDirectory, prober: probes)
        // Commands a killed opsd left running are stopped before anything else runs.
        let killed = ChildGroups.killLeftovers(in: dataDirectory + "/children")
        if !killed.isEmpty {
            log.event("stopped \(killed.count) command(s) left running by a stopped opsd (process groups "
                      + killed.map(String.init).joined(separator: ", ") + ")")
        }
        ChildGroups.record(in: dataDirectory + "/children")
        for capability in registry.capabilities {
            guard let recover = capability.recover else { continue }
            let lines = try db.transaction {
                try recover(RecoveryContext(db: db, now: clock.now(), time: time, environment: environment))
            }
            lines.forEach(log.event)
        }

        let writer = Writer(db: db, clock: clock, time: time, log: log, registry: registry, environment: environment,
                            metrics: metrics)
        let readers = ReaderPool(path: options.databasePath)
        let admission = Admission(registry: registry, time: time, readers: readers)
        let reads = Reads(readers: readers, writer: writer, clock: clock, time: time, registry: registry,
                          environment: environment)
        let jobs = JobRunner(writer: writer, registry: registry)

        var group: gid_t?
        if let name = options.socketGroup {
            guard let entry = getgrnam(name) else { throw DaemonOptions.UsageError(description: "no group named '\(name)'") }
            group = entry.pointee.gr_gid
        }
        let server = try SocketServer(path: options.resolvedSocketPath, mode: mode_t(options.socketMode), group: group,
                                      admission: admission, writer: writer, reads: reads, jobs: jobs,
                                      clock: clock, log: log)
        let readIdleTimeout: @Sendable (Connection) -> Void = { db in
            do {
                let timeout = try PolicyStore(db).milliseconds(SystemCapability.idleTimeout)
                server.idleTimeout.withLock { $0 = timeout }
            } catch {
                log.event("could not read server.idle_timeout: \(error)")
            }
        }
        try writer.read { db, _ in readIdleTimeout(db) }
        writer.afterPolicyChange = readIdleTimeout
        let worker = DeliveryWorker(writer: writer, sendmailCommand: options.sendmail, time: time, log: log)
        writer.afterCommit = { worker.poke() }
        worker.start()
        let scheduler = Scheduler(writer: writer, jobs: jobs, registry: registry, time: time, log: log,
                                  progress: progress) { worker.poke() }
        // Refusals of strangers counted rather than written: one summary per uid and minute.
        let metricsFile = try options.metricsFile.map {
            try MetricsFile(path: $0, report: MetricsReport(registry: registry, daemon: metrics, startedAt: startedAt),
                            databasePath: options.databasePath, clock: clock, log: log)
        }
        let site = try options.publishDirectory.map {
            try PublishedSite(directory: $0, databasePath: options.databasePath, time: time, clock: clock, log: log)
        }
        let trimmedMinute = Locked(Int64(0))   // freed memory is handed back once a minute (MallocTuning)
        scheduler.everyTick = {
            writer.recordSuppressed(server.strangers.due(now: clock.now()))
            metricsFile?.write()
            site?.refresh()
            let minute = clock.now() / 60_000
            let newMinute = trimmedMinute.withLock { last in defer { last = minute }; return last != minute }
            if newMinute { MallocTuning.trim() }
        }
        scheduler.start()
        let prober = Prober(writer: writer, probes: probes, clock: clock, time: time, log: log)
        prober.start()
        server.start()

        let done = DispatchSemaphore(value: 0)
        var sources: [DispatchSourceSignal] = []
        for number in [SIGTERM, SIGINT] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                log.event("received \(number == SIGTERM ? "SIGTERM" : "SIGINT"); finishing requests in flight")
                scheduler.stop()
                prober.stop()
                let running = server.stop()
                worker.stop()
                // Jobs still running after the wait: their commands are
                // stopped, and the jobs get 2 s to record that they failed.
                let commands = ChildProcess.terminateAll()
                let cut = running > 0 || commands > 0 ? server.waitIdle(timeoutMilliseconds: 2_000) : 0
                writer.shutDown()
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
                try AuditRecorder().recordDaemon(db, at: now, command: "bootstrap",
                                                 arguments: ["name": .string(user.name), "uid": .int(Int64(user.uid))],
                                                 detail: "first start: \(user.name) (uid \(user.uid)) is admin",
                                                 uid: uid, pid: getpid())
                log.event("first start: \(user.name) (uid \(user.uid)) is admin")
            }
        }
    }
}
