import Foundation
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

    func tick() {
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
