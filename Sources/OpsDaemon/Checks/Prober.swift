import Foundation
@preconcurrency import Glibc
import OpsProtocol
import PortalOps
import Synchronization

/// Runs the checks at their intervals, off the writer: one scheduling
/// thread keeps each check's next due time (spread over its interval by a
/// hash of its key, so checks added together do not fire together), hands
/// due probes to a fixed pool of probe threads (bounded concurrency; a
/// hanging target holds one thread for at most its timeout), and a flush
/// records the results through the writer in batches, one write per batch.
final class Prober: @unchecked Sendable {
    private let writer: Writer
    private let clock: any Clock
    private let time: LocalTime
    private let log: Log
    private let running = Atomic<Bool>(true)
    private let probes: Probes

    private struct Due: Sendable {
        let check: Check
        let dueAt: Int64
    }

    /// Probes waiting for a free thread, and the keys being probed now.
    private let queue = Locked<(waiting: [Due], busy: Set<String>)>(([], []))
    private let work = DispatchSemaphore(value: 0)
    private let results = Locked<[ProbeResult]>([])
    /// How often the check list is read again (a new check starts within this).
    static let refreshMilliseconds: Int64 = 1_000
    static let fullRefreshMilliseconds: Int64 = 60_000
    static let flushMilliseconds: UInt32 = 200

    init(writer: Writer, probes: Probes, clock: any Clock, time: LocalTime, log: Log) {
        self.writer = writer
        self.clock = clock
        self.time = time
        self.log = log
        self.probes = probes
    }

    func start() {
        var threads = 64
        if let settings = try? writer.read({ db, _ in try CheckPlan.settings(db: db) }) {
            threads = settings.concurrency
            probes.quickCheckEvery.store(settings.quickCheckEvery, ordering: .relaxed)
        }
        for n in 0..<threads {
            let thread = Thread { [self] in probeLoop() }
            thread.name = "opsd-probe-\(n)"
            thread.stackSize = 256 * 1024
            thread.start()
        }
        let scheduler = Thread { [self] in scheduleLoop() }
        scheduler.name = "opsd-prober"
        scheduler.start()
        let flusher = Thread { [self] in
            while running.load(ordering: .acquiring) {
                usleep(Self.flushMilliseconds * 1_000)
                flush()
            }
        }
        flusher.name = "opsd-probe-results"
        flusher.start()
    }

    func stop() {
        running.store(false, ordering: .releasing)
        for _ in 0..<1_024 { work.signal() }
        flush()
    }

    private func scheduleLoop() {
        var next: [String: Int64] = [:]
        var checks: [Check] = []
        var refreshedAt: Int64?
        var fullAt: Int64?
        var version = ""
        while running.load(ordering: .acquiring) {
            let now = clock.now()
            if refreshedAt.map({ now - $0 >= Self.refreshMilliseconds || now < $0 }) ?? true {
                do {
                    // The whole list only when it changed (or once a minute, for edits in place).
                    let full = fullAt.map { now - $0 >= Self.fullRefreshMilliseconds || now < $0 } ?? true
                    let (list, settings, current) = try writer.read { db, _ in
                        let current = try CheckPlan.version(db: db)
                        let list = full || current != version ? try CheckPlan.probed(db: db) : nil
                        return (list, try CheckPlan.settings(db: db), current)
                    }
                    if let list {
                        checks = list
                        fullAt = now
                    }
                    version = current
                    probes.quickCheckEvery.store(settings.quickCheckEvery, ordering: .relaxed)
                } catch {
                    log.event("checks: cannot read the check list: \(error)")
                }
                refreshedAt = now
                let keys = Set(checks.map(\.key))
                next = next.filter { keys.contains($0.key) }
            }
            var due: [Due] = []
            for check in checks {
                let at = next[check.key] ?? (now + Self.spread(check.key, over: check.interval))
                if at <= now {
                    due.append(Due(check: check, dueAt: at))
                    // Fixed rate: the next one is an interval after this one was due, skipping any
                    // missed while the clock jumped or the target hung (one probe, not a burst).
                    var following = at + check.interval
                    if following <= now { following = now + check.interval - (now - at) % check.interval }
                    next[check.key] = following
                } else {
                    next[check.key] = at
                }
            }
            if !due.isEmpty {
                let added = queue.withLock { q -> Int in
                    // A check still being probed (or queued) is not queued twice.
                    let queued = Set(q.waiting.map(\.check.key)).union(q.busy)
                    let fresh = due.filter { !queued.contains($0.check.key) }
                    q.waiting += fresh
                    return fresh.count
                }
                for _ in 0..<added { work.signal() }
            }
            let soonest = next.values.min().map { $0 - clock.now() } ?? 100
            usleep(UInt32(max(5, min(100, soonest))) * 1_000)
        }
    }

    /// Where in its interval a check first fires: a stable hash of its key.
    static func spread(_ key: String, over interval: Int64) -> Int64 {
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
        return Int64(hash % UInt64(max(1, interval)))
    }

    private func probeLoop() {
        while true {
            work.wait()
            guard running.load(ordering: .acquiring) else { return }
            guard let item = queue.withLock({ q -> Due? in
                guard !q.waiting.isEmpty else { return nil }
                let item = q.waiting.removeFirst()
                q.busy.insert(item.check.key)
                return item
            }) else { continue }
            let result = probes.probe(item.check, dueAt: item.dueAt, now: clock.now())
            results.withLock { $0.append(result) }
            _ = queue.withLock { $0.busy.remove(item.check.key) }
        }
    }

    /// One write for everything probed since the last flush.
    private func flush() {
        let batch = results.withLock { r -> [ProbeResult] in
            defer { r.removeAll(keepingCapacity: true) }
            return r
        }
        guard !batch.isEmpty else { return }
        do {
            let lines = try writer.write { db, now in try CheckRules.record(batch, db: db, now: now, time: time) }
            lines.forEach(log.event)
        } catch {
            log.event("checks: could not record \(batch.count) result(s): \(error)")
        }
    }
}
