import OpsProtocol
import SQLite

/// What every section reads: the database, the window, and who the report is for. A report made for
/// the Office (scheduled, mailed) is made for a reader who does not see security incidents: they
/// appear as a count, never as details (issue 15).
struct ReportContext {
    let db: Connection
    let time: LocalTime
    let now: Int64
    let window: ReportWindow
    let seesSecurity: Bool
    let componentNames: [String: String]

    init(db: Connection, time: LocalTime, now: Int64, window: ReportWindow, seesSecurity: Bool) throws {
        self.db = db
        self.time = time
        self.now = now
        self.window = window
        self.seesSecurity = seesSecurity
        componentNames = Dictionary(uniqueKeysWithValues: try ComponentStore(db).all().map { ($0.key, $0.name) })
    }

    func componentName(_ key: String) -> String { componentNames[key] ?? key }

    /// The window's end, or now when the window is still under way: nothing after now is known.
    var end: Int64 { min(window.to, now) }
}
