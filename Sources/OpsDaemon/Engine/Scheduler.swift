import Foundation
@preconcurrency import Glibc
import OpsProtocol
import PortalOps
import Synchronization

/// Work that falls due with time rather than with a request: each
/// capability's tick (maintenance reminders, escalation, scheduled backups).
/// Ticks once a second (so a test clock that jumps is followed quickly); each
/// capability's tick runs in a transaction of its own on the writer, and the
/// jobs a tick asks for run as opsd on threads of their own.
final class Scheduler: @unchecked Sendable {
    private let writer: Writer
    private let jobs: JobRunner
    private let registry: Registry
    private let time: LocalTime
    private let log: Log
    private let running = Atomic<Bool>(true)
    /// Whole ticks completed: `status` reports it, so an operator (and a test)
    /// can see the scheduler is alive and wait for it without guessing.
    let progress: SchedulerProgress
    private let onWork: @Sendable () -> Void
    /// Daemon work done after each tick (writing counted refusals); set before `start`.
    var everyTick: (@Sendable () -> Void)?

    static let tickMilliseconds: UInt32 = 1_000

    init(writer: Writer, jobs: JobRunner, registry: Registry, time: LocalTime, log: Log, progress: SchedulerProgress,
         onWork: @escaping @Sendable () -> Void) {
        self.progress = progress
        self.writer = writer
        self.jobs = jobs
        self.registry = registry
        self.time = time
        self.log = log
        self.onWork = onWork
    }

    func start() {
        let thread = Thread { [self] in
            while running.load(ordering: .acquiring) {
                tick()
                usleep(Self.tickMilliseconds * 1_000)
            }
        }
        thread.name = "opsd-scheduler"
        thread.start()
    }

    func stop() { running.store(false, ordering: .releasing) }

    func tick() {
        // The clock as the writer sees it, compared with the last tick's: a
        // step back of more than five minutes is logged and shown by status.
        // Schedules need nothing more: they are computed from now.
        if let now = try? writer.read({ _, now in now }), let step = progress.observe(now) {
            log.event("the clock stepped back by \(DurationText.milliseconds(step.from - step.to)) "
                      + "(from \(time.format(step.from)) to \(time.format(step.to))); check the time source")
        }
        for capability in registry.capabilities {
            guard let tick = capability.tick else { continue }
            do {
                let outcome = try writer.write { db, now in
                    try tick(TickContext(db: db, now: now, time: time, registry: registry))
                }
                outcome.log.forEach(log.event)
                if !outcome.log.isEmpty { onWork() }
                for job in outcome.jobs { start(job) }
            } catch {
                log.event("scheduler: \(capability.name): \(error)")
            }
        }
        everyTick?()
        progress.ticks.add(1, ordering: .releasing)
    }

    /// Each job on a thread of its own: a long backup must not hold up
    /// reminders and escalations, which this thread ticks.
    private func start(_ job: ScheduledJob) {
        let me = PeerCredentials(pid: getpid(), uid: getuid(), gid: getgid())
        let thread = Thread { [self] in
            let response = jobs.runAsDaemon(job.command, arguments: job.arguments, peer: me)
            guard let error = response.error else { return }
            do {
                let lines = try writer.write { db, now in
                    try job.onFailure(error, TickContext(db: db, now: now, time: time, registry: registry))
                }
                lines.forEach(log.event)
                onWork()
            } catch {
                log.event("scheduled \(job.command) failed (\(error)) and its failure could not be recorded: \(error)")
            }
        }
        thread.name = "opsd-scheduled-\(job.command)"
        thread.start()
    }
}

/// How far the scheduler has got, shared with `status`.
final class SchedulerProgress: Sendable {
    let ticks = Atomic<Int>(0)

    /// A step of the wall clock backwards between two ticks.
    struct ClockStep: Sendable, Equatable {
        let from: Int64
        let to: Int64
    }

    /// Steps back smaller than this are ordinary NTP slews and are ignored.
    static let stepBackThreshold: Int64 = 5 * 60_000
    private let lastNow = Locked<Int64?>(nil)
    private let lastStep = Locked<ClockStep?>(nil)

    /// Records the time of a tick; returns the step if the clock went back
    /// by more than `stepBackThreshold` since the previous one.
    func observe(_ now: Int64) -> ClockStep? {
        let previous = lastNow.withLock { last in
            defer { last = now }
            return last
        }
        guard let previous, previous - now > Self.stepBackThreshold else { return nil }
        let step = ClockStep(from: previous, to: now)
        lastStep.withLock { $0 = step }
        return step
    }

    /// The latest step back seen since opsd started, for `status`.
    var stepBack: ClockStep? { lastStep.withLock { $0 } }
}
