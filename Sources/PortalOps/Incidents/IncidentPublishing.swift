import OpsProtocol

/// `incident publish`: the incident goes on the public status page and its notice to the recipients
/// subscribed to its components (issue 15 item 5).
enum PublishIncident {
    /// Operators, supervisors and admins speak for the portal; the security role handles incidents
    /// that are never public.
    static let roles: Set<Role> = IncidentCommand.responders.subtracting([.security])
    static let text = Option.named("text", .multilineText,
                                   "a public note for the page and the notice, in Vietnamese")
    static let command = Command(
        "incident.publish", "Make an incident public: the status page and subscribers' notices",
        roles: roles, audit: .changes, arguments: [IncidentCommand.incident, text],
        details: """
            Public are: the title, when it started, the components by name, public notes and whether it is \
            being fixed or fixed. Never internal notes, names, the severity or a security incident.
            Later public notes ('opsctl incident note INC TEXT --public') and the resolution send a notice too.
            Recipients subscribe with 'opsctl recipient subscribe KEY --component KEY'.
            """,
        handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let desk = IncidentDesk(context: context)
        var incident = try desk.incident()
        if incident.security {
            throw OpsError.refused("\(incident.ref) is a security incident: security incidents are never made public")
        }
        if let published = incident.publishedAt {
            throw OpsError.refused("\(incident.ref) is already public since \(context.time.format(published)); "
                                   + "add a public note with 'opsctl incident note \(incident.ref) TEXT --public'")
        }
        try desk.require(incident, in: [.open, .acknowledged, .resolved], to: "published")
        let note = try context[Self.text]
        incident.publishedAt = context.now
        try desk.save(incident, event: .published, "published on the status page")
        if let note {
            try desk.store.event(incident.id, at: context.now, actor: context.caller.actorName, kind: .note,
                                 text: note, isPublic: true)
        }
        let deliveries = try IncidentNotice.send(incident, event: .published, note: note, context)
        return Response(message: "Published \(incident.ref); notice queued as \(deliveries) "
                            + (deliveries == 1 ? "delivery" : "deliveries"),
                        data: incident.json(time: context.time).merging(["deliveries": .int(Int64(deliveries))]),
                        warnings: deliveries == 0
                            ? ["no recipient is subscribed to \(incident.components.joined(separator: ", ")); "
                               + "see 'opsctl recipient subscribe'"] : [])
    }
}

/// `incident unpublish`: takes an incident off the status page; no more notices go out for it.
enum UnpublishIncident {
    static let reason = Required.named("reason", .text, "why it is no longer public (kept on the timeline)")
    static let command = Command("incident.unpublish", "Take an incident off the status page; its notices stop",
                                 roles: [.supervisor, .admin], audit: .changes,
                                 arguments: [IncidentCommand.incident, reason], handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let desk = IncidentDesk(context: context)
        var incident = try desk.incident()
        guard incident.publishedAt != nil else { throw OpsError.refused("\(incident.ref) is not public") }
        incident.publishedAt = nil
        try desk.save(incident, event: .unpublished, "unpublished: \(try context[Self.reason])")
        return Response(message: "Took \(incident.ref) off the status page; no more notices go out for it",
                        data: incident.json(time: context.time))
    }
}
