import OpsProtocol

/// The formats a report is printed in. PDF is the HTML printed by the notice renderer's command.
enum ReportFormat: String, CaseIterable, Sendable {
    case md, html, pdf, csv, json
}

/// What `report periodic` and `report range` share: the format, the output file, and the reading.
enum ReportCommand {
    static let format = Option.named("format", .choice(ReportFormat.self),
                                     "md (default), html, pdf (A4, printed like notices; needs --output), csv or json")
    static let output = Option.named("output", .outputFile, "write to FILE instead of standard output")
    static let readers: Set<Role> = .everyone

    /// Builds the report for `window` as the caller may read it and prints it in the asked format.
    static func respond(_ window: ReportWindow, _ context: CommandContext) throws -> Response {
        let seesSecurity = (context.caller.user?.role ?? .viewer).seesSecurityIncidents
        let reportContext = try ReportContext(db: context.db, time: context.time, now: context.now, window: window,
                                              seesSecurity: seesSecurity)
        let portal = try PolicyStore(context.db).value(PolicyDefinition.portalName)
        let report = try ReportBuilder.build(reportContext, portal: portal)
        let document = report.json(context.time)
        var response = Response(data: document)
        switch try context[format] ?? .md {
        case .md: response.output = MarkdownReport.render(report)
        case .html: response.output = HTMLReport.render(report)
        case .pdf:
            // Printed by the notices' command (policy notice.pdf_command, headless Chromium by default): seconds,
            // on a reader thread, never on the writer. opsctl refuses binary output without --output.
            let printer = try NoticePrinter.load(context.db, environment: context.environment)
            response.binaryOutput = try printer.print(HTMLReport.render(report))
        case .csv: response.output = CSVReport.render(report)
        case .json: response.output = document.serialized() + "\n"
        }
        return response
    }
}

/// `report periodic`: a Decree 09 period's report.
enum PeriodicReport {
    static let period = Required.named("period", .choice(ReportPeriod.self), "month, quarter, half, nine-months, year")
    static let of = Option.named("of", .text, "which one: 2026-11, 2026, 2026-Q4, 2026-H2 (default: the one under way)",
                                 valueName: "WHEN")
    static let command = Command(
        "report.periodic", "The report of a Decree 09 period (15th to 14th), in Vietnamese",
        roles: ReportCommand.readers, audit: .none,
        arguments: [period, of, ReportCommand.format, ReportCommand.output], details: """
            Sections: incidents (by severity and component, times to acknowledge and resolve, sev1–sev2 with cause \
            and recommendations), maintenance (windows, notice numbers, lead time, deliveries, acknowledgements), \
            backups and integrity (drills, checks, upgrade gates), feedback and requests, difficulties and \
            recommendations. Security incidents are a count only, unless you see them.
            """) { context in
        try ReportCommand.respond(try context[period].window(of: try context[of], now: context.now,
                                                             time: context.time), context)
    }
}

/// `report range`: the same report over any stretch of time (an ad-hoc report).
enum RangeReport {
    static let from = Required.named("from", .time, "from this time")
    static let to = Required.named("to", .time, "to this time (not included)")
    static let command = Command(
        "report.range", "The report over any stretch of time (an ad-hoc report)", roles: ReportCommand.readers,
        audit: .none, arguments: [from, to, ReportCommand.format, ReportCommand.output]) { context in
        let window = ReportWindow(from: try context[from].milliseconds, to: try context[to].milliseconds)
        guard window.from < window.to else { throw OpsError.usage("--from must be before --to") }
        try ReportWindow.checkSpan(from: window.from, to: window.to)
        return try ReportCommand.respond(window, context)
    }
}

/// `report issue`: freezes a period's report and mails it to the `report.group` recipients, as opsd
/// does by itself the day after each cut-off.
enum IssueReport {
    static let command = Command(
        "report.issue", "Issue a period's report to the Office: frozen, then mailed to the report group",
        roles: [.supervisor, .admin], audit: .changes, arguments: [PeriodicReport.period, PeriodicReport.of],
        details: """
            The issued report is made for readers who do not see security incidents (a count only). It is kept with \
            its SHA-256 ('report list', 'report show') and mailed to the members of the group in policy report.group.
            """) { context in
        let window = try context[PeriodicReport.period].window(of: try context[PeriodicReport.of], now: context.now,
                                                               time: context.time)
        guard window.from < context.now else {
            throw OpsError.refused("the period \(window.text(context.time)) has not begun; nothing to report yet")
        }
        let outcome = try ReportIssuer.issue(window, scheduled: false, db: context.db, time: context.time,
                                             now: context.now, by: context.caller.actorName)
        let mailed = outcome.deliveries == 0
            ? "mailed to no one: group \(outcome.group) has no members (see 'opsctl recipient add --group')"
            : "mailed to group \(outcome.group) (\(outcome.deliveries) deliveries)"
        return Response(message: "Issued \(outcome.ref) for \(window.text(context.time)); \(mailed)",
                        data: ["ref": .string(outcome.ref), "sha256": .string(outcome.sha256),
                               "deliveries": .int(Int64(outcome.deliveries)), "window": window.json(context.time)],
                        warnings: window.underWay ? ["the period is still under way: its figures are not final"] : [])
    }
}

/// `report list`: the reports issued, with their fingerprints.
enum ListReports {
    static let command = Command("report.list", "List issued reports with their SHA-256", roles: ReportCommand.readers,
                                 audit: .none) { context in
        let reports = try ReportStore(context.db).all()
        let outbox = Outbox(context.db)
        let rows = try reports.map { r -> [String] in
            let deliveries = try r.message.map { try outbox.deliveries(message: $0, limit: 10_000) } ?? []
            let sent = deliveries.filter { $0.state == .sent }.count
            return [r.ref, r.name, context.time.dateText(r.from) + " to " + context.time.dateText(r.to - 1),
                    context.time.format(r.createdAt) + (r.scheduled ? " (scheduled)" : " by \(r.createdBy)"),
                    "\(sent)/\(deliveries.count)", String(r.sha256.prefix(16))]
        }
        return Response(message: reports.isEmpty ? "no reports issued yet" : nil,
                        data: ["reports": .array(reports.map { r in
                            ["ref": .string(r.ref), "name": .string(r.name),
                             "from": .string(context.time.iso8601(r.from)),
                             "to": .string(context.time.iso8601(r.to)), "sha256": .string(r.sha256),
                             "scheduled": .bool(r.scheduled), "issued_at": .string(context.time.iso8601(r.createdAt)),
                             "issued_by": .string(r.createdBy)]
                        })],
                        table: .init(columns: ["REPORT", "PERIOD", "WINDOW", "ISSUED", "SENT", "SHA-256"], rows: rows))
    }
}

/// `report show`: an issued report exactly as frozen.
enum ShowReport {
    static let ref = Required.positional("ref", .text, "e.g. BC-2026-0001", valueName: "REF")
    static let format = Option.named("format", .choice(FrozenFormat.self), "html (default) or json")
    static let command = Command("report.show", "Print an issued report as it was frozen",
                                 roles: ReportCommand.readers, audit: .none,
                                 arguments: [ref, format, ReportCommand.output]) { context in
        guard let report = try ReportStore(context.db).byRef(try context[ref]) else {
            throw OpsError.refused("no report \(try context[ref]); see 'opsctl report list'")
        }
        var response = Response(data: ["ref": .string(report.ref), "sha256": .string(report.sha256)])
        response.output = try context[format] == .json ? report.json + "\n" : report.html
        return response
    }

    enum FrozenFormat: String, CaseIterable, Sendable { case html, json }
}
