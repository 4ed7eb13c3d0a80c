import OpsProtocol
import SQLite

extension PolicyDefinition {
    /// How long a hand-started shift lasts unless `shift start --for` says otherwise.
    public static let shiftLength = PolicyDefinition(
        "shift.length", .duration(900_000...86_400_000), default: "12h",
        "a shift started by hand ends by itself after this (unless 'shift start --for' says otherwise)",
        roles: [.supervisor, .admin])
}

/// Shifts end by themselves (issue 13): a colleague who went home is not
/// paged a week later. The shift's handover says it ended at its planned end.
public enum ShiftSchedule {
    /// How long before its planned end `status` warns about a shift.
    static let warnBefore: Int64 = 30 * 60_000

    public static func tick(db: Connection, now: Int64, time: LocalTime) throws -> [String] {
        let store = ShiftStore(db)
        var log: [String] = []
        for shift in try store.onShift() {
            // A rota's shifts end at its handover (Rota/RotaSchedule), with the handover named.
            guard shift.rota == nil, let end = shift.plannedEnd, end <= now else { continue }
            try store.end(shift.id, handover: "Ca kết thúc tự động lúc \(time.format(end)) (hết thời gian dự kiến).",
                          forcedReason: nil, now: now)
            let line = "shift of \(shift.user) ended at its planned end \(time.format(end))"
            try AuditRecorder().recordDaemon(db, at: now, command: "shift.end",
                                             arguments: ["user": .string(shift.user)], detail: line)
            log.append(line)
        }
        return log
    }

    /// Warns about shifts ending within `warnBefore`, so nobody is surprised to be off shift.
    static func status(_ context: CommandContext) throws -> StatusSection {
        var warnings: [String] = []
        for shift in try ShiftStore(context.db).onShift() where shift.rota == nil {
            guard let end = shift.plannedEnd, end > context.now, end - context.now <= warnBefore else { continue }
            warnings.append("the shift of \(shift.user) ends by itself at \(context.time.format(end)); "
                            + "to stay on, end it and 'opsctl shift start --for DURATION'")
        }
        return StatusSection(warnings: warnings)
    }
}
