import Foundation
/// When a command leaves an entry in the audit trail. Refusals of any
/// command are always recorded.
public enum AuditRule: String, Sendable {
    /// It changes state: every success is recorded in the same transaction.
    case changes
    /// It only reads, but what it reads matters (the audit trail itself):
    /// every use is recorded.
    case reads
    /// It only reads ordinary data: only refusals are recorded.
    case none
}

/// One command of the console, declared once: `opsctl` builds its parser and
/// help from it, `opsd` refuses anything not declared and checks roles here.
public struct CommandSpec: Sendable {
    /// `noun.verb`, e.g. `user.add`; a single word for top-level commands
    /// (`status`, `whoami`).
    public let name: String
    public let summary: String
    public let details: String?
    public let arguments: [ArgumentSpec]
    public let roles: Set<Role>
    public let audit: AuditRule

    public init(_ name: String, _ summary: String, roles: Set<Role>, audit: AuditRule,
                arguments: [ArgumentSpec] = [], details: String? = nil) {
        self.name = name
        self.summary = summary
        self.details = details
        self.arguments = arguments
        self.roles = roles
        self.audit = audit
    }

    /// The words typed on the command line: `["user", "add"]`.
    public var words: [String] { name.split(separator: ".").map(String.init) }

    public var noun: String { words[0] }

    public func argument(_ name: String) -> ArgumentSpec? {
        arguments.first { $0.name == name }
    }

    public var usage: String {
        (["opsctl"] + words + arguments.sorted { $0.isPositional && !$1.isPositional }.map(\.usage)
            + ["[--json]"]).joined(separator: " ")
    }
}
