import OpsProtocol
import SQLite

/// Which components a maintenance window covers and when, for other
/// capabilities (health checks record failures during a window as maintenance,
/// availability counts that time apart from unplanned downtime).
public enum MaintenanceCoverage {
    /// The window in progress now that covers `component`, if any.
    public static func inProgress(component: String, db: Connection) throws -> MaintenanceWindow? {
        try MaintenanceStore(db).windows(states: [.inProgress]).first { $0.components.contains(component) }
    }

    /// The times windows covering `component` were actually in progress,
    /// overlapping [from, to): from their actual start to their actual end (or `now`).
    public static func periods(component: String, from: Int64, to: Int64, now: Int64,
                               db: Connection) throws -> [(start: Int64, end: Int64, ref: String)] {
        try MaintenanceStore(db).windows(states: [.inProgress, .completed]).compactMap { w in
            guard w.components.contains(component), let start = w.actualStart else { return nil }
            let end = w.actualEnd ?? now
            return start < to && end > from ? (start, end, w.ref) : nil
        }
    }
}
