import OpsProtocol
import SQLite

/// The console's capabilities, in the order `opsctl --help`, `status` and
/// `policy list` show them. Adding a capability is its folder and one line here.
public enum Capabilities {
    public static let all: [Capability] = [
        .access, .audit, .numbering, .components, .policies, .delivery, .workingDays, .maintenance, .notices,
        .incidents, .checks, .shifts, .rota, .feedback, .backups, .integrity, .jobs, .reports, .publication,
    ]
}

extension Capabilities {
    /// Every migration of the domain's capabilities, in version order (for
    /// tools and tests that open a database without the daemon).
    public static var schema: [Migration] {
        all.flatMap(\.migrations).sorted { $0.version < $1.version }
    }
}
