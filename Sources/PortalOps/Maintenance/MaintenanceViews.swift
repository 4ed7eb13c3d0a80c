import OpsProtocol
/// Handlers that read windows: list, show, notice, calendar.
enum MaintenanceViews {
    static func list(_ context: CommandContext) throws -> Response {
        let args = context.arguments
        var windows = try MaintenanceStore(context.db).windows(from: args.time("from"), to: args.time("to"))
        if args.flag("upcoming") {
            windows = windows.filter { [.planned, .announced, .inProgress].contains($0.state) && $0.end > context.now }
        }
        return Response(data: ["windows": .array(windows.map { $0.json(time: context.time) })],
                        table: .init(columns: ["WINDOW", "STATE", "KIND", "START", "END", "COMPONENTS", "TITLE"], rows: windows.map {
                            [$0.ref + ($0.emergency ? " !" : ""), $0.state.rawValue, $0.kind.rawValue, context.time.format($0.start),
                             context.time.format($0.end), $0.components.joined(separator: ","), $0.title]
                        }))
    }

    static func show(_ context: CommandContext) throws -> Response {
        let desk = MaintenanceDesk(context: context)
        let window = try desk.window()
        let time = context.time
        let notices = try desk.notices(window)
        let acks = try desk.store.acknowledgements(window.id)
        // Per recipient of any notice: how each notice reached them, and whether they acknowledged.
        var rows: [[String]] = []
        var recipientsJSON: [JSON] = []
        var missing: [String] = []
        var seen = Set<String>()
        for notice in notices {
            let deliveries = try notice.messageID.map { try Outbox(context.db).deliveries(message: $0, limit: 100_000) } ?? []
            for (key, name) in try NoticeStore(context.db).recipients(of: notice.id) {
                let mine = deliveries.filter { $0.recipient == key }
                let delivery = mine.isEmpty ? "no address" : mine.map { "\($0.channel.rawValue) \($0.state.rawValue)" }.joined(separator: ", ")
                let ack = acks[key].map { "\(time.format($0.at))\($0.by.map { " (\($0))" } ?? "")" }
                rows.append([notice.number, key, name, delivery, ack ?? "-"])
                recipientsJSON.append(["notice": .string(notice.number), "recipient": .string(key), "name": .string(name),
                                       "deliveries": .array(mine.map { $0.json(time: time) }),
                                       "acknowledged_at": acks[key].map { .string(time.iso8601($0.at)) } ?? .null])
                if seen.insert(key).inserted && acks[key] == nil { missing.append(key) }
            }
        }
        var fields = [["window", window.ref + (window.emergency ? " (emergency)" : "")], ["title", window.title],
                      ["kind", window.kind.rawValue], ["state", window.state.rawValue],
                      ["period", "\(time.format(window.start)) – \(time.format(window.end))"],
                      ["components", window.components.joined(separator: ", ")],
                      ["groups", window.groups.isEmpty ? "-" : window.groups.joined(separator: ", ")]]
        if window.emergency { fields.append(["approved by", window.approvedBy ?? "not yet"]) }
        if window.inServiceHours { fields.append(["service hours", "inside (the notice says so)"]) }
        if let started = window.actualStart { fields.append(["started", time.format(started)]) }
        if let ended = window.actualEnd { fields.append(["completed", time.format(ended)]) }
        fields += notices.map { ["notice", "\($0.number) \($0.purpose.rawValue), issued \(time.format($0.issuedAt)) by \($0.issuedBy), sha256 \($0.textSHA256.prefix(16))…"] }
        if !notices.isEmpty { fields.append(["not acknowledged", missing.isEmpty ? "none" : missing.joined(separator: ", ")]) }
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
                            "targets": .array(targets.map(JSON.string)), "evidence": .array(evidence.map { $0.json(time: time) })]),
                        fields: fields,
                        table: rows.isEmpty ? nil : .init(columns: ["NOTICE", "RECIPIENT", "NAME", "DELIVERY", "ACKNOWLEDGED"], rows: rows))
    }

    static func notice(_ context: CommandContext) throws -> Response {
        let desk = MaintenanceDesk(context: context)
        let window = try desk.window()
        let format = context.arguments.text("format") ?? "text"
        let settings = try NoticeSettings.load(PolicyStore(context.db))
        let issued = context.arguments.flag("draft") ? nil : try desk.noticeInForce(window)
        let text: String, html: String, subject: String, number: String?
        if let issued {
            (text, html, subject, number) = (issued.text, issued.html, "Thông báo số \(issued.number) về việc \(issued.subject)", issued.number)
        } else {
            let recipients = try desk.recipients(window)
            let document = try desk.writer(window).document(window, .announcement, replacing: nil, reason: nil,
                                                            recipientNames: recipients.map(\.name))
            let renderer = NoticeRenderer(document: document, settings: settings, number: nil, issuedAt: context.now, time: context.time)
            (text, html, subject, number) = (renderer.text(), renderer.html(), "(Dự thảo) Thông báo về việc \(document.subject)", nil)
        }
        var response = Response(data: ["window": .string(window.ref), "number": JSON(number), "draft": .bool(issued == nil),
                                       "format": .string(format), "sha256": .string(SHA256.hex(format == "html" ? html : text))])
        switch format {
        case "html": response.output = html
        case "eml":
            let from = (try? MailAddress.parse(try PolicyStore(context.db).value(PolicyDefinition.named("mail.from")!)))
                ?? MailAddress(name: nil, address: "portalops@localhost.localdomain")
            let to = try desk.recipients(window).first.flatMap { r in r.emails.first.map { MailAddress(name: r.name, address: $0) } } ?? from
            let message = OutgoingMessage(kind: "notice", subject: subject, text: text, html: html,
                                          attachments: [.init(filename: "thong-bao.html", contentType: "text/html; charset=utf-8", content: Array(html.utf8))])
            response.output = MailMessage(from: from, to: to, date: issued?.issuedAt ?? context.now, time: context.time,
                                          token: "preview-\(window.ref.lowercased())", message: message).rendered()
        default: response.output = text
        }
        return response
    }

    static func calendar(_ context: CommandContext) throws -> Response {
        let from = context.arguments.time("from") ?? context.now - 30 * 86_400_000
        let to = context.arguments.time("to") ?? context.now + 366 * 86_400_000
        let windows = try MaintenanceStore(context.db).windows(from: from, to: to)
        let names = Dictionary(uniqueKeysWithValues: try ComponentStore(context.db).all().map { ($0.key, $0.name) })
        let portal = try PolicyStore(context.db).value(PolicyDefinition.portalName)
        var response = Response(data: ["windows": .int(Int64(windows.count))])
        response.output = ICalendar(time: context.time).render(windows, componentNames: names, stamp: context.now, portal: portal)
        return response
    }
}
