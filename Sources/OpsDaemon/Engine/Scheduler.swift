import Foundation
@preconcurrency import Glibc
import PortalOps
import Synchronization

/// Work that falls due with time rather than with a request: maintenance
/// reminders and incident escalation now; backups and drills as those
/// capabilities arrive. Ticks once a second (so a test clock that jumps is followed
/// quickly) and runs each job in a transaction on the writer.
final class Scheduler: @unchecked Sendable {
    private let dispatcher: Dispatcher
    private let time: LocalTime
    private let log: Log
    private let running = Atomic<Bool>(true)
    private let onWork: @Sendable () -> Void

    static let tickMilliseconds: UInt32 = 1_000

    init(dispatcher: Dispatcher, time: LocalTime, log: Log, onWork: @escaping @Sendable () -> Void) {
        self.dispatcher = dispatcher
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

    private func runScheduled(target: String, drill: Bool, as me: PeerCredentials) {
        let command = drill ? "backup.drill" : "backup.run"
        var arguments: [String: JSON] = ["target": .string(target)]
        if !drill { arguments["label"] = "theo lịch" }
        let response = dispatcher.runInternal(command, arguments: arguments, peer: me)
        guard let error = response.error else { return }
        let what = drill ? "diễn tập khôi phục" : "sao lưu theo lịch"
        do {
            _ = try dispatcher.write { db, now in
                try Alerts.raise(title: "Lỗi \(what) \(target)", detail: error.message, severity: .sev3,
                                 components: [], alsoSupervisors: false, db: db, now: now, time: time)
            }
            log.event("scheduled \(command) of \(target) failed: \(error.message); an incident was opened")
            onWork()
        } catch {
            log.event("scheduled \(command) of \(target) failed and the alert could not be raised: \(error)")
        }
    }

    /// Scheduled backups and drills: each due one is marked as run (so a
    /// failure is not retried every second), run as the daemon, and a
    /// failure raises an incident that pages the operators on shift.
    private func runDueBackups() {
        do {
            let due = try dispatcher.write { db, now -> [(String, Bool)] in
                var due: [(String, Bool)] = []
                for target in try BackupStore(db).targets() {
                    let schedules = try BackupRegime(db).schedules(target.key)
                    for (schedule, last, drill) in [(schedules.backup, schedules.lastBackup, false), (schedules.drill, schedules.lastDrill, true)] {
                        guard let schedule, schedule.next(after: last ?? now, time: time) <= now else { continue }
                        try BackupRegime(db).markScheduled(target.key, drill: drill, now: now)
                        due.append((target.key, drill))
                    }
                }
                return due
            }
            let me = PeerCredentials(pid: getpid(), uid: getuid(), gid: getgid())
            for (target, drill) in due {
                // Each on a thread of its own: a long backup must not hold up
                // reminders and escalations, which this thread ticks.
                let thread = Thread { [self] in runScheduled(target: target, drill: drill, as: me) }
                thread.name = "opsd-scheduled-\(drill ? "drill" : "backup")"
                thread.start()
            }
        } catch {
            log.event("scheduler: backups: \(error)")
        }
    }

    func tick() {
        runDueBackups()
        do {
            let lines = try dispatcher.write { db, now in
                try MaintenanceSchedule.tick(db: db, now: now, time: time) + IncidentSchedule.tick(db: db, now: now, time: time)
            }
            lines.forEach(log.event)
            if !lines.isEmpty { onWork() }
        } catch {
            log.event("scheduler: \(error)")
        }
    }
}
