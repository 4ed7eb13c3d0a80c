import OpsProtocol
import SQLite

/// What rotas do as time passes (issue 13): the person on call is on shift
/// and nobody else from the rota is — a turn ends at its handover minute, not
/// when someone remembers — and a gap in cover (no one on call who can be
/// paged) pages the supervisors once, then shows in `status` until it closes.
public enum RotaSchedule {
    public static func tick(db: Connection, now: Int64, time: LocalTime) throws -> [String] {
        let rotas = try RotaStore(db).all()
        let shifts = ShiftStore(db)
        var log: [String] = []
        for shift in try shifts.onShift() {
            guard let name = shift.rota else { continue }
            let rota = rotas.first { $0.name == name }
            let on = rota?.onCall(at: now)
            guard shift.user != on else { continue }
            let text = on.map { "Bàn giao theo lịch trực \(name) cho \($0) lúc \(time.format(now))." }
                ?? "Lịch trực \(name) đã bị xoá; ca kết thúc lúc \(time.format(now))."
            try shifts.end(shift.id, handover: text, forcedReason: nil, now: now)
            log.append("rota \(name): shift of \(shift.user) ended" + (on.map { "; handed over to \($0)" } ?? ""))
        }
        for rota in rotas {
            let on = rota.onCall(at: now)
            let until = rota.nextChange(after: now)
            if let open = try shifts.open(user: on) {
                if open.rota == rota.name && open.plannedEnd != until { try shifts.setPlannedEnd(open.id, until) }
                continue
            }
            guard let user = try UserStore(db).byName(on), !user.disabled, user.role != .monitor else { continue }
            try shifts.start(user: on, note: "lịch trực \(rota.name)", now: now, plannedEnd: until, rota: rota.name)
            log.append("rota \(rota.name): \(on) is on call until \(time.format(until))")
        }
        log += try gaps(db: db, rotas: rotas, now: now, time: time)
        return log
    }

    /// Opens a gap (and pages the supervisors, once) when a role's rotas have no one on call who can
    /// be paged; closes it when someone is.
    static func gaps(db: Connection, rotas: [Rota], now: Int64, time: LocalTime) throws -> [String] {
        let store = RotaStore(db)
        let open = try store.openGaps()
        var log: [String] = []
        for role in Rota.Role.allCases {
            let mine = rotas.filter { $0.role == role }
            let isOpen = open.contains { $0.role == role }
            let covered = try !Reach(db).sort(Targets(db: db).users(.oncall, security: role == .security, now: now))
                .reached.isEmpty
            if mine.isEmpty || covered {
                if isOpen {
                    try store.closeGap(role, now: now)
                    log.append("cover on the \(role.rawValue) rota restored")
                }
                continue
            }
            guard !isOpen else { continue }
            let supervisors = try Reach(db).sort(Targets(db: db).users(.supervisors, security: false, now: now)).reached
            let names = mine.map { "\($0.name) (\($0.onCall(at: now)))" }.joined(separator: ", ")
            let duty = role == .security ? "an toàn thông tin" : "vận hành"
            let subject = "[THIẾU NGƯỜI TRỰC] Không liên lạc được người trực \(duty)"
            let message = OutgoingMessage(
                kind: "cover-gap", subject: subject,
                text: """
                    Lúc \(time.format(now)), lịch trực \(names) không có ai trực liên lạc được.
                    Sự cố mới sẽ chuyển thẳng cho giám sát. Xem: opsctl rota who; thêm người: opsctl rota override.
                    """,
                payload: ["role": .string(role.rawValue), "stage": "cover-gap"], reference: nil)
            try Reach(db).send(message, fields: ["ref": "-", "severity": "-", "title": subject, "state": "-",
                                                 "stage": "cover-gap", "subject": subject, "ack": "opsctl rota who"],
                               to: supervisors, by: "opsd", now: now)
            let paged = supervisors.isEmpty ? "no supervisor reachable"
                : supervisors.map(\.name).joined(separator: ", ")
            try store.openGap(role, now: now, paged: paged)
            let line = "gap in cover on the \(role.rawValue) rota (\(names)); paged \(paged)"
            try AuditRecorder().recordDaemon(db, at: now, command: "rota.gap",
                                             arguments: ["role": .string(role.rawValue)], detail: line)
            log.append(line)
        }
        return log
    }
}

/// The rota lines of `opsctl status`: who is on call, and gaps in cover as errors.
enum RotaStatus {
    static func section(_ context: CommandContext) throws -> StatusSection {
        let rotas = try RotaStore(context.db).all()
        var fields: [[String]] = []
        for rota in rotas {
            fields.append(["on call (\(rota.name))", "\(rota.onCall(at: context.now)) until "
                           + context.time.format(rota.nextChange(after: context.now))])
        }
        var warnings: [String] = []
        let gaps = try RotaStore(context.db).openGaps()
        for gap in gaps {
            warnings.append("ERROR: no one who can be paged is on call on the \(gap.role.rawValue) rota since "
                            + "\(context.time.format(gap.startedAt)) (paged \(gap.paged)); "
                            + "'opsctl rota who', then 'opsctl rota override NAME --user … --from … --to …'")
        }
        if !rotas.contains(where: { $0.role == .security }) {
            let security = try Targets(db: context.db).users(.security, security: true, now: context.now)
            if try Reach(context.db).sort(security).reached.isEmpty {
                warnings.append("ERROR: no security user can be paged: security incidents page the supervisors "
                                + "instead; add one ('opsctl user add … --role security') with a contact")
            }
        }
        return StatusSection(fields: fields,
                             data: ["cover_gaps": .array(gaps.map { .string($0.role.rawValue) }),
                                    "on_call": .object(Dictionary(uniqueKeysWithValues: rotas.map {
                                        ($0.name, JSON.string($0.onCall(at: context.now)))
                                    }))],
                             warnings: warnings)
    }
}
