import OpsProtocol
import SQLite

/// The rules a window must pass: notice lead time in working days, no
/// overlap on a shared component, and service hours.
struct MaintenanceRules {
    let db: Connection
    let time: LocalTime

    func leadDays(_ kind: MaintenanceWindow.Kind) throws -> Int {
        let value = try PolicyStore(db).value(kind.leadPolicy)
        if case .workingDays(let days)? = try? DurationText.parse(value) { return days }
        return 1
    }

    func calendar() throws -> WorkingCalendar { try HolidayStore(db).calendar(time: time) }

    /// The earliest start a notice issued at `issued` allows for `kind`.
    func earliestStart(_ kind: MaintenanceWindow.Kind, issuedAt issued: Int64) throws -> Int64 {
        try calendar().earliestStart(issuedAt: issued, workingDays: try leadDays(kind))
    }

    /// Refuses a window that starts before a notice issued at `issued`
    /// allows, saying the earliest start; emergencies are exempt.
    func checkLeadTime(_ w: MaintenanceWindow, issuedAt issued: Int64) throws {
        guard !w.emergency else { return }
        let earliest = try earliestStart(w.kind, issuedAt: issued)
        if w.start < earliest {
            let days = try leadDays(w.kind)
            throw OpsError.refused("\(w.ref) starts \(time.format(w.start)), too soon: \(w.kind.rawValue) needs \(days) working day(s) of notice, so a notice issued \(time.format(issued)) allows a start from \(time.format(earliest)) on; move it with 'opsctl maintenance correct \(w.ref) --start TIME --end TIME' or plan it as --emergency")
        }
    }

    /// Refuses overlap with another live window on a shared component.
    func checkOverlap(_ w: MaintenanceWindow, allowed: Bool) throws {
        guard !allowed else { return }
        let live: [MaintenanceWindow.State] = [.planned, .announced, .inProgress]
        for other in try MaintenanceStore(db).windows(from: w.start, to: w.end, states: live) where other.id != w.id {
            let shared = Set(other.components).intersection(w.components)
            if !shared.isEmpty {
                throw OpsError.refused("overlaps \(other.ref) (\(time.format(other.start)) – \(time.format(other.end))) on \(shared.sorted().joined(separator: ", ")); choose another time or add --allow-overlap")
            }
        }
    }

    /// Whether [start, end) touches service hours on a working day.
    func touchesServiceHours(start: Int64, end: Int64) throws -> Bool {
        let policies = PolicyStore(db)
        func minutes(_ definition: PolicyDefinition) throws -> Int {
            let parts = try policies.value(definition).split(separator: ":").compactMap { Int($0) }
            return parts.count == 2 ? parts[0] * 60 + parts[1] : 0
        }
        let open = try minutes(.maintenanceServiceStart), close = try minutes(.maintenanceServiceEnd)
        let calendar = try calendar()
        var day = time.startOfDay(start)
        while day < end {
            if calendar.isWorkingDay(day) {
                let from = day + Int64(open) * 60_000, to = day + Int64(close) * 60_000
                if start < to && end > from { return true }
            }
            day = time.addingDays(1, to: day)
        }
        return false
    }

    func checkServiceHours(_ w: MaintenanceWindow, allowed: Bool) throws -> Bool {
        let touches = try touchesServiceHours(start: w.start, end: w.end)
        if touches && !allowed {
            let policies = PolicyStore(db)
            let hours = "\(try policies.value(.maintenanceServiceStart))–\(try policies.value(.maintenanceServiceEnd))"
            throw OpsError.refused("\(w.ref.isEmpty ? "the window" : w.ref) falls inside service hours (working days "
                                   + "\(hours)); choose an off-hours time or add --in-service-hours (the notice will say so)")
        }
        return touches
    }
}
