import OpsProtocol

/// `maintenance list`: the windows, newest plans and finished ones alike.
enum ListWindows {
    static let upcoming = Flag.named("upcoming", "only windows not yet finished")
    static let period = PeriodFilter(from: "only windows ending after this time",
                                     to: "only windows starting before this time")

    static let command = Command("maintenance.list", "List maintenance windows", roles: .everyone, audit: .none,
                                 arguments: [upcoming] + period.arguments, handler: list)

    static func list(_ context: CommandContext) throws -> Response {
        let window = try period.window(context)
        var windows = try MaintenanceStore(context.db).windows(from: window?.from, to: window?.to)
        if context[Self.upcoming] {
            windows = windows.filter { [.planned, .announced, .inProgress].contains($0.state) && $0.end > context.now }
        }
        let columns = ["WINDOW", "STATE", "KIND", "START", "END", "COMPONENTS", "TITLE"]
        return Response(message: PeriodFilter.statement(window, context),
                        data: ["windows": .array(windows.map { $0.json(time: context.time) }),
                               "window": PeriodFilter.json(window, context)],
                        table: .init(columns: columns, rows: windows.map {
                            [$0.ref + ($0.emergency ? " !" : ""), $0.state.rawValue, $0.kind.rawValue,
                             context.time.format($0.start), context.time.format($0.end),
                             $0.components.joined(separator: ","), $0.title]
                        }))
    }
}

/// `maintenance show`: everything about one window, for following it up.
enum ShowWindow {
    static let command = Command(
        "maintenance.show", "Show a window: times, notices, deliveries and acknowledgements", roles: .everyone,
        audit: .none, arguments: [MaintenanceDesk.windowArgument], handler: show)

    static func show(_ context: CommandContext) throws -> Response {
        let desk = MaintenanceDesk(context: context)
        let window = try desk.window()
        let time = context.time
        let notices = try desk.notices(window)
        let acks = try desk.store.acknowledgements(window.id)
        let inForce = notices.last
        // Per recipient of each notice: how that notice reached them, and whether they acknowledged that notice.
        var rows: [[String]] = []
        var recipientsJSON: [JSON] = []
        var missing: [String] = []
        var seen = Set<String>()
        for notice in notices {
            let deliveries = try notice.messageID.map { try Outbox(context.db).deliveries(message: $0, limit: 100_000) } ?? []
            let noticeAcks = acks[notice.id] ?? [:]
            let proof = try ArrivalProof.of(window, notice: notice, db: context.db, time: time)
            for (key, name) in try NoticeStore(context.db).recipients(of: notice.id) {
                let mine = deliveries.filter { $0.recipient == key }
                let delivery = mine.isEmpty ? "no address" : mine.map { "\($0.channel.rawValue) \($0.state.rawValue)" }.joined(separator: ", ")
                let ack = noticeAcks[key].map { "\(time.format($0.at))\($0.by.map { " (\($0))" } ?? "")" }
                let line = proof.lines.first { $0.key == key }
                rows.append([notice.number, key, name, delivery, ack ?? "-",
                             line?.acceptedAt.map(time.format) ?? "-", line.map(ArrivalProof.leadText) ?? "-"])
                recipientsJSON.append(["notice": .string(notice.number), "recipient": .string(key), "name": .string(name),
                                       "deliveries": .array(mine.map { $0.json(time: time, shownTo: context.caller) }),
                                       "acknowledged_at": noticeAcks[key].map { .string(time.iso8601($0.at)) } ?? .null,
                                       "acknowledged_by": noticeAcks[key]?.by.map(JSON.string) ?? .null,
                                       "accepted_at": line?.acceptedAt.map { .string(time.iso8601($0)) } ?? .null,
                                       "lead_working_days": line?.leadWorkingDays.map { .int(Int64($0)) } ?? .null])
                // Only the notice in force needs confirming: a replacement starts unacknowledged.
                if notice.id == inForce?.id && seen.insert(key).inserted && noticeAcks[key] == nil {
                    missing.append(key)
                }
            }
        }
        // Who confirmed the notice the one in force replaced, with their own (earlier) times.
        let replaced = inForce?.replaces.flatMap { id in notices.first { $0.id == id } }
        let replacedAcks = replaced.map { acks[$0.id] ?? [:] } ?? [:]
        let replacedSummary = replacedAcks.sorted { $0.key < $1.key }
            .map { "\($0.key) \(time.format($0.value.at))\($0.value.by.map { " (\($0))" } ?? "")" }
        var fields = [["window", window.ref + (window.emergency ? " (emergency)" : "")], ["title", window.title],
                      ["kind", window.kind.rawValue], ["state", window.state.rawValue],
                      ["period", "\(time.format(window.start)) – \(time.format(window.end))"],
                      ["components", window.components.joined(separator: ", ")],
                      ["groups", window.groups.isEmpty ? "-" : window.groups.joined(separator: ", ")]]
        if window.emergency { fields.append(["approved by", window.approvedBy ?? "not yet"]) }
        if let reason = window.reason { fields.append(["reason", reason]) }
        // The internal reason goes to those who may see security incidents, whatever it names.
        let internalReason = (context.caller.user?.role ?? .viewer).seesSecurityIncidents ? window.internalReason : nil
        if let internalReason { fields.append(["internal reason", internalReason]) }
        if window.inServiceHours { fields.append(["service hours", "inside (the notice says so)"]) }
        if let started = window.actualStart { fields.append(["started", time.format(started)]) }
        if let ended = window.actualEnd { fields.append(["completed", time.format(ended)]) }
        fields += notices.map { ["notice", "\($0.number) \($0.purpose.rawValue), issued \(time.format($0.issuedAt)) by \($0.issuedBy), sha256 \($0.textSHA256.prefix(16))…"] }
        for notice in notices {
            guard let pdf = notice.pdfSHA256 else { continue }
            let signature = notice.signedSHA256.map { "signed PDF sha256 \($0.prefix(16))…" }
                ?? (notice.messageID == nil ? "held until 'opsctl maintenance sign \(window.ref)'" : "not signed")
            fields.append(["pdf \(notice.number)", "sha256 \(pdf.prefix(16))…, \(signature)"])
        }
        if let inForce {
            fields.append(["not acknowledged", "\(missing.isEmpty ? "none" : missing.joined(separator: ", ")) "
                           + "(notice \(inForce.number))"])
        }
        if let replaced {
            fields.append(["acknowledged \(replaced.number)",
                           replacedSummary.isEmpty ? "nobody" : replacedSummary.joined(separator: ", ")])
        }
        let records = GateRecords(db: context.db)
        let noDataChange = try records.noDataChange(window.id)
        if let noDataChange {
            fields.append(["no data change", "\(noDataChange.reason) (declared by \(noDataChange.by), "
                           + "\(time.format(noDataChange.at)); internal, not in the notice)"])
        }
        let override = try records.startOverride(window.id)
        if let override {
            fields.append(["started without", "\(override.missing.joined(separator: ", ")): override by "
                           + "\(override.by) \(time.format(override.at)): \(override.reason)"])
        }
        let gates = UpgradeGates(context.db)
        let targets = try gates.targets(window.id)
        let evidence = try gates.evidence(window.id)
        if !targets.isEmpty {
            fields.append(["targets", targets.joined(separator: ", ")])
            let expected = try gates.expected(window.id)
            fields.append(["expected changes", expected.isEmpty ? "none" : expected.joined(separator: ", ")])
        }
        for e in evidence {
            let verdict = e.integrityOK && e.differences.isEmpty ? "ok" : (e.findings + e.differences).joined(separator: "; ")
            fields.append(["evidence \(e.phase)", "\(e.target) \(time.format(e.at)): backup \(e.backup ?? "-"), schema \(e.fingerprint.map { String($0.schemaSHA256.prefix(12)) } ?? "-"), \(verdict)\(e.acceptedBy.map { " (accepted by \($0))" } ?? "")"])
        }
        return Response(data: window.json(time: time).merging([
                            "notices": .array(notices.map { $0.json(time: time) }), "recipients": .array(recipientsJSON),
                            "not_acknowledged": .array(missing.map(JSON.string)),
                            "acknowledged_replaced": replaced.map { notice in
                                ["notice": .string(notice.number),
                                 "recipients": .array(replacedAcks.keys.sorted().map(JSON.string))] } ?? .null,
                            "targets": .array(targets.map(JSON.string)),
                            "evidence": .array(evidence.map { $0.json(time: time) }),
                            "no_data_change": noDataChange.map { ["reason": .string($0.reason), "by": .string($0.by),
                                                                  "at": .string(time.iso8601($0.at))] } ?? .null,
                            "start_override": override.map { ["reason": .string($0.reason), "by": .string($0.by),
                                                              "missing": .array($0.missing.map(JSON.string)),
                                                              "at": .string(time.iso8601($0.at))] } ?? .null]
                            .merging(internalReason.map { ["internal_reason": .string($0)] } ?? [:]) { $1 }),
                        fields: fields,
                        table: rows.isEmpty ? nil : .init(columns: ["NOTICE", "RECIPIENT", "NAME", "DELIVERY",
                                                                    "ACKNOWLEDGED", "ACCEPTED", "LEAD TIME"],
                                                          rows: rows))
    }
}

/// `maintenance notice`: the notice as issued, or a draft of what would be.
enum PrintNotice {
    /// What `--format` offers: the text, the A4 page or the mail as sent.
    enum Format: String, CaseIterable, Sendable {
        case text, html, eml, pdf
        case signedPDF = "signed-pdf"
    }

    static let format = Option.named("format", .choice(Format.self),
                                     "text (default), html (prints on A4), eml (the mail as sent), pdf (as issued, "
                                        + "to sign; needs --output) or signed-pdf")
    static let output = Option.named("output", .outputFile, "write to FILE instead of standard output")
    static let draft = Flag.named("draft", "render the current content as a draft, even after announcing")

    static let command = Command(
        "maintenance.notice", "Print the window's notice (the one in force, or a draft before announcing)",
        roles: .everyone, audit: .none, arguments: [MaintenanceDesk.windowArgument, format, output, draft],
        handler: notice)

    static func notice(_ context: CommandContext) throws -> Response {
        let desk = MaintenanceDesk(context: context)
        let window = try desk.window()
        let format = try context[Self.format] ?? .text
        let settings = try NoticeSettings.load(PolicyStore(context.db))
        let issued = context[Self.draft] ? nil : try desk.noticeInForce(window)
        if format == .pdf || format == .signedPDF {
            guard let issued else {
                throw OpsError.refused("\(window.ref) has no issued notice: a PDF is printed when the notice is "
                                       + "issued; see a draft with --format html")
            }
            let store = NoticeStore(context.db)
            let bytes = format == .pdf ? try store.pdf(of: issued.id) : try store.signedPDF(of: issued.id)
            guard let bytes else {
                throw OpsError.refused(format == .pdf
                                       ? "notice \(issued.number) was issued before notices had PDFs"
                                       : "notice \(issued.number) is not signed yet; see "
                                           + "'opsctl maintenance sign --help'")
            }
            var response = Response(data: ["window": .string(window.ref), "number": .string(issued.number),
                                           "format": .string(format.rawValue), "sha256": .string(SHA256.hex(bytes))])
            response.binaryOutput = bytes
            return response
        }
        let text: String, html: String, subject: String, number: String?
        if let issued {
            (text, html, subject, number) = (issued.text, issued.html, "Thông báo số \(issued.number) về việc \(issued.subject)", issued.number)
        } else {
            let recipients = try desk.recipients(window)
            let document = try desk.writer(window).document(window, .announcement, replacing: nil, reason: nil,
                                                            recipientNames: try desk.recipientLines(window, recipients))
            let renderer = NoticeRenderer(document: document, settings: settings, number: nil, issuedAt: context.now, time: context.time)
            (text, html, subject, number) = (renderer.text(), renderer.html(), "(Dự thảo) Thông báo về việc \(document.subject)", nil)
        }
        var response = Response(data: ["window": .string(window.ref), "number": JSON(number), "draft": .bool(issued == nil),
                                       "format": .string(format.rawValue),
                                       "sha256": .string(SHA256.hex(format == .html ? html : text))])
        switch format {
        case .html: response.output = html
        case .eml:
            let from = (try? MailAddress.parse(try PolicyStore(context.db).value(.mailFrom)))
                ?? MailAddress(name: nil, address: "portalops@localhost.localdomain")
            let to = try desk.recipients(window).first.flatMap { r in r.emails.first.map { MailAddress(name: r.name, address: $0) } } ?? from
            // As sent: an issued notice carries its frozen PDF; a draft, its HTML to print.
            let pdf = try issued.flatMap { try NoticeStore(context.db).pdf(of: $0.id) }
            let attachment: OutgoingMessage.Attachment = pdf.map {
                .init(filename: "thong-bao.pdf", contentType: "application/pdf", content: $0)
            } ?? .init(filename: "thong-bao.html", contentType: "text/html; charset=utf-8", content: Array(html.utf8))
            let message = OutgoingMessage(kind: "notice", subject: subject, text: text, html: html,
                                          attachments: [attachment])
            response.output = MailMessage(from: from, to: to, date: issued?.issuedAt ?? context.now, time: context.time,
                                          token: "preview-\(window.ref.lowercased())", message: message).rendered()
        case .text: response.output = text
        case .pdf, .signedPDF: break
        }
        return response
    }
}

/// `maintenance calendar`: the windows as a feed calendars subscribe to.
enum WindowCalendar {
    static let from = Option.named("from", .time, "windows ending after this time (default: 30 days ago)")
    static let to = Option.named("to", .time, "windows starting before this time (default: a year ahead)")
    static let output = Option.named("output", .outputFile, "write to FILE instead of standard output")

    static let command = Command("maintenance.calendar", "Print the windows as an iCalendar (RFC 5545) feed",
                                 roles: .everyone, audit: .none, arguments: [from, to, output], handler: calendar)

    static func calendar(_ context: CommandContext) throws -> Response {
        let from = try context[Self.from]?.milliseconds ?? context.now - 30 * 86_400_000
        let to = try context[Self.to]?.milliseconds ?? context.now + 366 * 86_400_000
        let windows = try MaintenanceStore(context.db).windows(from: from, to: to)
        let names = Dictionary(uniqueKeysWithValues: try ComponentStore(context.db).all().map { ($0.key, $0.name) })
        let portal = try PolicyStore(context.db).value(PolicyDefinition.portalName)
        var response = Response(data: ["windows": .int(Int64(windows.count))])
        response.output = ICalendar(time: context.time).render(windows, componentNames: names, stamp: context.now, portal: portal)
        return response
    }
}
