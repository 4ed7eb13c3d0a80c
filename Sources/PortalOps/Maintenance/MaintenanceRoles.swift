import OpsProtocol

/// Who may do what to a maintenance window.
enum MaintenanceRoles {
    /// Staff who plan and carry out the work.
    static let maintainers: Set<Role> = [.operator, .supervisor, .admin]
    /// Those who may sign what goes out in the issuer's name: notices, approvals, cancellations.
    static let signers: Set<Role> = [.supervisor, .admin]
}
