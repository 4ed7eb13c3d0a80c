import OpsProtocol
import SQLite

/// What the incident handlers share: loading an incident the caller may
/// see, recording changes on the timeline.
struct IncidentDesk {
    let context: CommandContext
    var store: IncidentStore { IncidentStore(context.db) }

    /// Whether the caller may see security incidents.
    var seesSecurity: Bool { (context.caller.user?.role ?? .viewer).seesSecurityIncidents }

    /// The incident named by the `incident` argument (`IncidentCommand.incident`). A security
    /// incident is "not found" for those who may not see it: its existence is not told.
    func incident() throws -> Incident {
        let prefixes = seesSecurity ? [Incident.prefix, Incident.securityPrefix] : [Incident.prefix]
        let ref = try References(context).resolve(try context[IncidentCommand.incident], prefixes: prefixes)
        guard let incident = try store.byRef(ref), !incident.security || seesSecurity else {
            throw OpsError.refused("no incident \(ref); see 'opsctl incident list'")
        }
        return incident
    }

    func require(_ i: Incident, in states: [Incident.State], to action: String) throws {
        guard states.contains(i.state) else {
            throw OpsError.refused("\(i.ref) is \(i.state.rawValue); only a \(states.map(\.rawValue).joined(separator: " or ")) incident can be \(action)")
        }
    }

    func save(_ i: Incident, event kind: Incident.EventKind, _ text: String, isPublic: Bool = false) throws {
        try store.update(i)
        try store.event(i.id, at: context.now, actor: context.caller.actorName, kind: kind, text: text, isPublic: isPublic)
    }

    /// `states`: only these (read through the state index), else all.
    func visibleIncidents(since: Int64? = nil, in states: [Incident.State]? = nil) throws -> [Incident] {
        guard let states else { return try store.all(includeSecurity: seesSecurity, since: since) }
        return try store.all(in: states, includeSecurity: seesSecurity, since: since)
    }
}
