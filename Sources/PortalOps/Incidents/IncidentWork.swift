import OpsProtocol
/// Handlers that change incidents: open, ack, assign, note, severity,
/// resolve, close, reopen.
enum IncidentWork {
    static func open(_ context: CommandContext) throws -> Response {
        let severity = try context[OpenIncident.severity]
        let keys = try context[OpenIncident.component].flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let components = try ComponentStore(context.db).requireAll(keys).map(\.key)
        let detected = try context[OpenIncident.detected]?.milliseconds ?? context.now
        guard detected <= context.now else { throw OpsError.usage("--detected is in the future") }
        let security = context[OpenIncident.security]
        // Security incidents draw from their own sequence (SEC-2026-0001), so the INC numbers
        // others see have no gaps that tell a security incident was opened.
        let prefix = security ? Incident.securityPrefix : Incident.prefix
        var incident = Incident(
            id: 0, ref: try Sequences(context.db).nextIdentifier(prefix: prefix, year: context.time.year(context.now)),
            title: try context[OpenIncident.title], severity: severity, state: .open,
            source: try context[OpenIncident.source] ?? (security ? .security : .operator),
            detail: try context[OpenIncident.detail], security: security, components: components, detectedAt: detected,
            openedAt: context.now, openedBy: context.caller.actorName, acknowledgedAt: nil, acknowledgedBy: nil, assignee: nil,
            resolvedAt: nil, cause: nil, resolution: nil, closedAt: nil, review: nil, escalations: 0)
        incident = try IncidentStore(context.db).insert(incident)
        try IncidentStore(context.db).event(incident.id, at: context.now, actor: context.caller.actorName,
                                            kind: .opened,
                                            text: "opened \(severity.rawValue): \(incident.title)")
        var paged = ""
        if severity.pages {
            let users = try Paging(db: context.db, time: context.time).pageFirstResponders(incident, actor: context.caller.actorName, now: context.now)
            paged = users.isEmpty ? "; no one to page" : "; paged \(users.map(\.name).joined(separator: ", "))"
        }
        var warnings: [String] = []
        if security, let due = incident.notifyDue {
            warnings.append("security incident: notify VNCERT/CC and the provincial response unit by "
                            + "\(context.time.format(due)) ('opsctl incident report \(incident.ref) --form initial')")
        }
        return Response(message: "Opened \(incident.ref) (\(severity.rawValue), \(components.joined(separator: ",")))\(paged)",
                        data: incident.json(time: context.time), warnings: warnings)
    }

    static func ack(_ context: CommandContext) throws -> Response {
        let desk = IncidentDesk(context: context)
        var incident = try desk.incident()
        try desk.require(incident, in: [.open], to: "acknowledged")
        incident.state = .acknowledged
        incident.acknowledgedAt = context.now
        incident.acknowledgedBy = context.caller.actorName
        if incident.assignee == nil { incident.assignee = context.caller.actorName }
        try desk.save(incident, event: .acknowledged,
                      "acknowledged after \(DurationText.elapsed(context.now - incident.openedAt))")
        return Response(message: "Acknowledged \(incident.ref); escalation stopped", data: incident.json(time: context.time))
    }

    static func assign(_ context: CommandContext) throws -> Response {
        let desk = IncidentDesk(context: context)
        var incident = try desk.incident()
        try desk.require(incident, in: [.open, .acknowledged, .resolved], to: "assigned")
        let name = try context[AssignIncident.user]
        guard let user = try UserStore(context.db).byName(name), !user.disabled else {
            throw OpsError.refused("no enabled user '\(name)'; see 'opsctl user list'")
        }
        if incident.security && !user.role.seesSecurityIncidents {
            throw OpsError.refused("\(name) is \(user.role.rawValue) and may not see security incidents")
        }
        incident.assignee = name
        try desk.save(incident, event: .assigned, "assigned to \(name)")
        return Response(message: "Assigned \(incident.ref) to \(name)", data: incident.json(time: context.time))
    }

    static func note(_ context: CommandContext) throws -> Response {
        let desk = IncidentDesk(context: context)
        let incident = try desk.incident()
        let isPublic = context[NoteIncident.isPublic]
        if isPublic && incident.security { throw OpsError.refused("security incidents have no public notes") }
        let text = try context[NoteIncident.text]
        try desk.store.event(incident.id, at: context.now, actor: context.caller.actorName, kind: .note,
                             text: text, isPublic: isPublic)
        // A public note of a published incident is news for its subscribers (issue 15 item 5).
        let deliveries = isPublic ? try IncidentNotice.send(incident, event: .note, note: text, context) : 0
        let sent = deliveries > 0 ? "; notice queued as \(deliveries) deliveries" : ""
        return Response(message: "Added a \(isPublic ? "public " : "")note to \(incident.ref)\(sent)",
                        data: ["incident": .string(incident.ref), "deliveries": .int(Int64(deliveries))])
    }

    static func severity(_ context: CommandContext) throws -> Response {
        let desk = IncidentDesk(context: context)
        var incident = try desk.incident()
        try desk.require(incident, in: [.open, .acknowledged], to: "re-graded")
        let severity = try context[ChangeSeverity.severity]
        guard severity != incident.severity else { throw OpsError.refused("\(incident.ref) is already \(severity.rawValue)") }
        let old = incident.severity
        incident.severity = severity
        try desk.save(incident, event: .severity,
                      "\(old.rawValue) → \(severity.rawValue): \(try context[ChangeSeverity.reason])")
        // The escalation starts again under the new severity's policy; a raised one pages at once.
        if severity.pages && incident.state == .open {
            try Escalation(db: context.db, time: context.time)
                .start(incident, actor: context.caller.actorName, now: context.now, page: severity < old)
        }
        return Response(message: "\(incident.ref) is now \(severity.rawValue) (was \(old.rawValue))", data: incident.json(time: context.time))
    }

    static func resolve(_ context: CommandContext) throws -> Response {
        let desk = IncidentDesk(context: context)
        var incident = try desk.incident()
        try desk.require(incident, in: [.open, .acknowledged], to: "resolved")
        incident.state = .resolved
        incident.resolvedAt = context.now
        let cause = try context[ResolveIncident.cause], resolution = try context[ResolveIncident.resolution]
        incident.cause = cause
        incident.resolution = resolution
        if incident.acknowledgedAt == nil {
            incident.acknowledgedAt = context.now
            incident.acknowledgedBy = context.caller.actorName
        }
        try desk.save(incident, event: .resolved, "resolved: \(resolution) (cause: \(cause))")
        // The cause and resolution are internal; the public hear only that it is fixed.
        try IncidentNotice.send(incident, event: .resolved, note: nil, context)
        var warnings: [String] = []
        if let due = incident.closingReportDue {
            warnings.append("send the closing report by \(context.time.format(due)) ('opsctl incident report \(incident.ref) --form closing')")
        }
        return Response(message: "Resolved \(incident.ref) after \(DurationText.elapsed(context.now - incident.openedAt))",
                        data: incident.json(time: context.time), warnings: warnings)
    }

    static func close(_ context: CommandContext) throws -> Response {
        let desk = IncidentDesk(context: context)
        var incident = try desk.incident()
        try desk.require(incident, in: [.resolved], to: "closed")
        let review = try context[CloseIncident.review]
        let noRecommendation = context[CloseIncident.noRecommendation]
        let reason = try context[CloseIncident.reason]
        if incident.severity <= .sev2 && review == nil {
            throw OpsError.refused("\(incident.ref) is \(incident.severity.rawValue): closing needs --review (what to change so it does not recur)")
        }
        let recommended = try FeedbackStats.hasRecommendation(context, incident: incident.ref)
        if incident.severity <= .sev2 && !recommended {
            if !noRecommendation {
                throw OpsError.refused("\(incident.ref) is \(incident.severity.rawValue): closing needs a recommendation ('opsctl recommendation add --source incident:\(incident.ref) …') or --no-recommendation --reason TEXT")
            }
            guard reason != nil else { throw OpsError.usage("--no-recommendation needs --reason") }
        }
        let closingSent = try desk.store.notifications(incident.id).contains { $0.form == .closing }
        if incident.security && !closingSent {
            throw OpsError.refused("\(incident.ref) is a security incident: it closes only after the closing report is sent and recorded with 'opsctl incident notified \(incident.ref) --form closing --to … --ref …'")
        }
        incident.state = .closed
        incident.closedAt = context.now
        incident.review = review
        var text = review.map { "closed with review: \($0)" } ?? "closed"
        if noRecommendation, let reason { text += "; no recommendation: \(reason)" }
        try desk.save(incident, event: .closed, text)
        return Response(message: "Closed \(incident.ref)", data: incident.json(time: context.time))
    }

    static func reopen(_ context: CommandContext) throws -> Response {
        let desk = IncidentDesk(context: context)
        var incident = try desk.incident()
        try desk.require(incident, in: [.resolved, .closed], to: "reopened")
        incident.state = .open
        incident.acknowledgedAt = nil
        incident.acknowledgedBy = nil
        incident.resolvedAt = nil
        incident.closedAt = nil
        incident.escalations = 0
        try desk.save(incident, event: .reopened, "reopened: \(try context[ReopenIncident.reason])")
        if incident.severity.pages {
            try Paging(db: context.db, time: context.time).pageFirstResponders(incident, actor: context.caller.actorName, now: context.now)
        }
        return Response(message: "Reopened \(incident.ref)", data: incident.json(time: context.time))
    }
}
