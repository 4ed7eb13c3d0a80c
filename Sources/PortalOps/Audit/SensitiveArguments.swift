import OpsProtocol

/// Which arguments of which command the audit trail keeps redacted: those
/// their spec marks sensitive (commands opsd runs, webhook URLs, files that
/// may hold them). Read from the console's capabilities once, so a new
/// sensitive argument needs only its mark.
///
/// Decision (issue 16): the trail stores such a value as
/// `{"redacted": TEXT, "sha256": HEX}` — `Redaction.redact` of what was typed
/// and the SHA-256 of the whole. Entries never change once written, so they
/// cannot be shown whole to admins and redacted to others; the hash lets an
/// auditor prove what was set (hash the candidate and compare) without
/// `audit list` handing a password to every security or supervisor reader.
enum SensitiveArguments {
    static let byCommand: [String: Set<String>] = {
        var map: [String: Set<String>] = [:]
        for command in Capabilities.all.flatMap(\.commands) {
            let names = Set(command.spec.arguments.filter(\.isSensitive).map(\.name))
            if !names.isEmpty { map[command.name] = names }
        }
        return map
    }()

    /// `arguments` as the audit trail keeps them for `command`.
    static func redacted(_ arguments: [String: JSON], command: String) -> [String: JSON] {
        guard let names = byCommand[command] else { return arguments }
        var result = arguments
        for name in names { result[name] = arguments[name].map(Redaction.audited) }
        return result
    }
}
