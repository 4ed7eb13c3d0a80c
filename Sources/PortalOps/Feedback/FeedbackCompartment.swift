import OpsProtocol
import SQLite

/// Which feedback, recommendations and requests the caller may see.
///
/// Decision (issue 16): a record linked to a security incident belongs to the
/// security compartment as a whole. For those who may not see security
/// incidents it does not exist: not listed, not counted (stats, overdue
/// figures in `status`), "no feedback FB-…" when named, not listed on other
/// records. Hiding only the incident reference would still tell that a
/// security matter is being answered. A recommendation is linked when its
/// source is the incident, or feedback linked to it.
struct FeedbackCompartment {
    let seesSecurity: Bool
    /// References of every security incident; empty for those who see them all.
    private let securityIncidents: Set<String>
    /// Feedback linked to a security incident.
    private let securityFeedback: Set<String>

    init(_ context: CommandContext) throws {
        try self.init(db: context.db, seesSecurity: (context.caller.user?.role ?? .viewer).seesSecurityIncidents)
    }

    /// The compartment for a reader who does or does not see security incidents (reports for the
    /// Office are made for one who does not).
    init(db: Connection, seesSecurity: Bool) throws {
        self.seesSecurity = seesSecurity
        if seesSecurity {
            securityIncidents = []
            securityFeedback = []
        } else {
            let incidents = try IncidentStore(db).securityRefs()
            securityIncidents = incidents
            securityFeedback = try FeedbackStore(db).refs(citing: incidents)
        }
    }

    func hides(_ f: Feedback) -> Bool { securityFeedback.contains(f.ref) }

    func hides(_ q: FixRequest) -> Bool { q.incident.map(securityIncidents.contains) ?? false }

    func hides(_ r: Recommendation) -> Bool {
        let parts = r.source.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return false }
        switch parts[0] {
        case "incident": return securityIncidents.contains(parts[1])
        case "feedback": return securityFeedback.contains(parts[1])
        default: return false
        }
    }

    /// Whether `source` (as stored: `incident:REF`, `feedback:REF`) is in the compartment,
    /// whoever the caller is: a recommendation on it must have an owner who may see it.
    static func isSecurity(source: String, in context: CommandContext) throws -> Bool {
        let parts = source.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return false }
        let incidents = IncidentStore(context.db)
        switch parts[0] {
        case "incident": return try incidents.byRef(parts[1])?.security ?? false
        case "feedback":
            guard let ref = try FeedbackStore(context.db).feedback(parts[1])?.incident else { return false }
            return try incidents.byRef(ref)?.security ?? false
        default: return false
        }
    }
}
