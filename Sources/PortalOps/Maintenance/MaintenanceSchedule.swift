import OpsProtocol
import SQLite

/// What the daemon's scheduler does for maintenance as time passes: the
/// reminder before the start, citing the notice in force.
public enum MaintenanceSchedule {
    /// Queues due reminders; returns a line per reminder for the log. Runs
    /// in a transaction on the writer and records itself in the audit trail.
    public static func tick(db: Connection, now: Int64, time: LocalTime) throws -> [String] {
        let before = try PolicyStore(db).milliseconds(.maintenanceReminderBefore)
        guard before > 0 else { return [] }
        let store = MaintenanceStore(db)
        var log: [String] = []
        for window in try store.windows(from: now, to: now + before, states: [.announced])
        where window.reminderSentAt == nil && window.start > now && window.start - before <= now {
            let notices = try NoticeStore(db).notices(reference: window.ref)
            guard let notice = notices.last else { continue }
            // A notice issued within the reminder period needs no reminder.
            if notice.issuedAt >= window.start - before { try store.markReminded(window.id, now: now); continue }
            let recipients = try NoticeStore(db).activeRecipients(of: notice.id)
            let writer = try MaintenanceNotices.load(window, db: db, time: time)
            let count = try Outbox(db).enqueue(writer.followUp(window, notice: notice, stage: "reminder"), to: recipients,
                                               by: "opsd", now: now).deliveryIDs.count
            try store.markReminded(window.id, now: now)
            let line = "reminder for \(window.ref) citing notice \(notice.number): \(count) deliveries queued"
            try AuditRecorder().recordDaemon(db, at: now, command: "maintenance.reminder",
                                             arguments: ["window": .string(window.ref)], detail: line)
            log.append(line)
        }
        return log
    }
}

/// The maintenance lines of `opsctl status`.
enum MaintenanceStatus {
    static func section(_ context: CommandContext) throws -> StatusSection {
        let store = MaintenanceStore(context.db)
        let time = context.time
        let live = try store.windows(from: context.now, states: [.planned, .announced, .inProgress])
        var fields: [[String]] = []
        var data: [String: JSON] = [:]
        let running = live.filter { $0.state == .inProgress }
        for w in running { fields.append(["in progress", "\(w.ref) until \(time.format(w.end)): \(w.title)"]) }
        if let next = live.first(where: { $0.state != .inProgress && $0.start > context.now }) {
            fields.append(["next window", "\(next.ref) \(next.state.rawValue) \(time.format(next.start)): \(next.title)"])
            data["next_window"] = .string(next.ref)
        }
        var missing = 0
        for w in live where w.state == .announced || w.state == .inProgress {
            // Only the notice in force counts: a replacement needs confirming anew.
            guard let notice = try NoticeStore(context.db).notices(reference: w.ref).last else { continue }
            let acks = try store.acknowledgements(w.id)[notice.id] ?? [:]
            let recipients = try NoticeStore(context.db).recipients(of: notice.id).map(\.key)
            if recipients.contains(where: { acks[$0] == nil }) { missing += 1 }
        }
        if missing > 0 { fields.append(["unacknowledged", "\(missing) announced window(s) with recipients who have not confirmed"]) }
        data["maintenance"] = ["in_progress": .array(running.map { .string($0.ref) }), "windows_missing_acks": .int(Int64(missing))]
        return StatusSection(fields: fields, data: data)
    }
}
