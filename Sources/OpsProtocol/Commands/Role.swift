import Foundation
/// What a user may do. Not a ladder: security staff see security incidents
/// that operators do not, operators run backups that security staff only
/// read. Each catalog entry names the roles it allows.
public enum Role: String, CaseIterable, Sendable, Comparable {
    case viewer
    case `operator`
    case security
    case supervisor
    case admin
    /// A monitoring system's account (Zabbix, a cron script): it pings heartbeats, submits check results and reads
    /// check state, nothing else. Not a person: never paged, never on a rota, not in `everyone`.
    case monitor

    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    public var summary: String {
        switch self {
        case .viewer: "reads status, incidents and schedules"
        case .operator: "works incidents, shifts, backups and maintenance"
        case .security: "handles security incidents, reads and verifies the audit trail"
        case .supervisor: "approves emergency maintenance, signs notices, accepts differences"
        case .admin: "manages users, policies and everything else"
        case .monitor: "a monitoring system: pings heartbeats, submits check results, reads check state"
        }
    }
}

extension Set where Element == Role {
    /// Every person with an account: all roles but `monitor`, which belongs to a machine.
    public static let everyone: Set<Role> = Set(Role.allCases).subtracting([.monitor])
    /// Everyone but viewers.
    public static let staff: Set<Role> = [.operator, .security, .supervisor, .admin]
    /// Who reads and verifies the audit trail.
    public static let auditors: Set<Role> = [.security, .supervisor, .admin]
    public static let admins: Set<Role> = [.admin]
}
