import OpsProtocol

/// One command, declared once: its spec (what opsctl parses and prints help
/// from, what opsd validates and checks roles against), its typed arguments
/// and its handler together.
///
/// ```swift
/// enum SetRole {
///     static let name = Required.positional("name", .key, "account name", valueName: "NAME")
///     static let role = Required.positional("role", .choice(Role.self), "the new role", valueName: "ROLE")
///     static let command = Command("user.set-role", "Change an account's role", roles: .admins,
///                                  audit: .changes, arguments: [name, role]) { context in
///         let role = try context[role]   // a Role, not a string
///         …
///     }
/// }
/// ```
public struct Command: Sendable {
    /// How the command runs: on the writer, or as a job beside it.
    public enum Run: Sendable {
        /// Inside the request's transaction on the writer.
        case quick(CommandHandler)
        /// Prepared on the writer, worked off it, recorded on it (backups, drills).
        case job(JobHandler)
    }

    public let spec: CommandSpec
    public let declared: [any DeclaredArgument]
    public let run: Run

    public init(_ name: String, _ summary: String, roles: Set<Role>, audit: AuditRule,
                arguments: [any DeclaredArgument] = [], details: String? = nil,
                handler: @escaping CommandHandler) {
        self.init(name, summary, roles: roles, audit: audit, arguments: arguments, details: details,
                  run: .quick(handler))
    }

    public init(_ name: String, _ summary: String, roles: Set<Role>, audit: AuditRule,
                arguments: [any DeclaredArgument] = [], details: String? = nil,
                job: @escaping JobHandler) {
        self.init(name, summary, roles: roles, audit: audit, arguments: arguments, details: details, run: .job(job))
    }

    init(_ name: String, _ summary: String, roles: Set<Role>, audit: AuditRule,
         arguments: [any DeclaredArgument], details: String?, run: Run) {
        self.spec = CommandSpec(name, summary, roles: roles, audit: audit, arguments: arguments.map(\.spec),
                                details: details)
        self.declared = arguments
        self.run = CommandArguments.guarded(run, commandArguments: arguments.map(\.spec).filter(\.isCommand)
                                                .map(\.name))
    }

    public var name: String { spec.name }

    public var isJob: Bool {
        if case .job = run { return true }
        return false
    }

    /// Validates raw arguments against the spec and decodes the typed ones.
    public func arguments(_ raw: [String: JSON], time: LocalTime) throws -> Arguments {
        try spec.validate(raw, time: time).decoded(with: declared)
    }
}
