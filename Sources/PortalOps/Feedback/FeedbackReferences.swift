import OpsProtocol
/// Checks the records feedback, recommendations and requests point at,
/// through their capabilities' APIs.
struct FeedbackReferences {
    let context: CommandContext

    /// An incident the caller may see (security incidents are "not found" for others).
    func incident(_ ref: String?) throws -> String? {
        let sees = (context.caller.user?.role ?? .viewer).seesSecurityIncidents
        let prefixes = sees ? [Incident.prefix, Incident.securityPrefix] : [Incident.prefix]
        guard let ref = try ref.map({ try References(context).resolve($0, prefixes: prefixes) }) else { return nil }
        guard let incident = try IncidentStore(context.db).byRef(ref), !incident.security || sees else {
            throw OpsError.refused("no incident \(ref); see 'opsctl incident list'")
        }
        return incident.ref
    }

    func window(_ ref: String?) throws -> String? {
        guard let ref = try ref.map({ try References(context).resolve($0, prefixes: ["MW"]) }) else { return nil }
        guard try MaintenanceStore(context.db).byRef(ref) != nil else {
            throw OpsError.refused("no maintenance window \(ref); see 'opsctl maintenance list'")
        }
        return ref
    }

    func recipient(_ key: String?) throws -> String? {
        guard let key else { return nil }
        guard try RecipientStore(context.db).byKey(key) != nil else {
            throw OpsError.refused("no recipient '\(key)'; see 'opsctl recipient list'")
        }
        return key
    }

    /// `incident:ID`, `feedback:ID`, `backup:ID`, `review`, `security-assessment`.
    func source(_ text: String) throws -> String {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard let kind = parts.first, Recommendation.sourceKinds.contains(kind) else {
            throw OpsError.usage("--source must be incident:ID, feedback:ID, backup:ID, review or security-assessment, not '\(text)'")
        }
        switch kind {
        case "review", "security-assessment":
            guard parts.count == 1 else { throw OpsError.usage("--source \(kind) takes no ID") }
            return kind
        default:
            guard parts.count == 2, !parts[1].isEmpty else { throw OpsError.usage("--source \(kind) needs an ID: \(kind):ID") }
            let id = parts[1].uppercased()
            switch kind {
            case "incident": return "incident:" + (try incident(id) ?? id)
            case "feedback":
                guard let feedback = try FeedbackStore(context.db).feedback(id),
                      try !FeedbackCompartment(context).hides(feedback) else {
                    throw OpsError.refused("no feedback \(id); see 'opsctl feedback list'")
                }
                return "feedback:\(id)"
            default:
                // Backups arrive with their own capability; until then the
                // identifier is checked for its form only.
                guard id.hasPrefix("BK-") else { throw OpsError.usage("a backup ID looks like BK-…, not '\(id)'") }
                return "backup:\(id)"
            }
        }
    }

    /// Midnight after the due date: due "2026-12-20" is overdue from 21 December 00:00.
    func endOfDay(_ day: Instant) -> Int64 {
        context.time.addingDays(1, to: context.time.startOfDay(day.milliseconds))
    }
}
