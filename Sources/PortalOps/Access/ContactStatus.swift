import OpsProtocol

/// The contacts line of `opsctl status`: people who may be paged but cannot be reached.
enum ContactStatus {
    /// The roles an incident, a rota or an escalation may page.
    static let paged: Set<Role> = [.operator, .security, .supervisor]

    static func section(_ context: CommandContext) throws -> StatusSection {
        let users = try UserStore(context.db).all().filter { !$0.disabled && paged.contains($0.role) }
        let reach = Reach(context.db), tests = ContactTests(db: context.db)
        var none: [String] = [], failing: [String] = []
        for user in users {
            if try !reach.hasContact(user) { none.append(user.name) } else if try tests.allFailed(user) {
                failing.append(user.name)
            }
        }
        var warnings: [String] = []
        if !none.isEmpty {
            warnings.append("no contact for \(none.joined(separator: ", ")): pages skip them; "
                            + "add one with 'opsctl user contact add NAME --email … | --sms-webhook …'")
        }
        if !failing.isEmpty {
            warnings.append("every contact of \(failing.joined(separator: ", ")) failed its last test; "
                            + "see 'opsctl user contact list NAME'")
        }
        return StatusSection(data: ["unreachable_users": .array((none + failing).map(JSON.string))],
                             warnings: warnings)
    }
}
