import OpsProtocol
import Foundation

/// Handlers that read incidents: list, show, stats, report, and the record
/// of reports sent.
enum IncidentViews {
    static func list(_ context: CommandContext) throws -> Response {
        let window = try ListIncidents.period.window(context)
        let state = try context[ListIncidents.state]
        var incidents = try IncidentDesk(context: context).visibleIncidents(since: window?.from, in: state?.states)
            .filter { window?.contains($0.openedAt) ?? true }
        if let severity = try context[ListIncidents.severity] {
            incidents = incidents.filter { $0.severity == severity }
        }
        if let component = try context[ListIncidents.component] {
            incidents = incidents.filter { $0.components.contains(component) }
        }
        return Response(message: PeriodFilter.statement(window, context),
                        data: ["incidents": .array(incidents.map { $0.json(time: context.time) }),
                               "window": PeriodFilter.json(window, context)],
                        table: .init(columns: ["INCIDENT", "SEV", "STATE", "OPENED", "COMPONENTS", "ASSIGNEE", "TITLE"], rows: incidents.map {
                            [$0.ref + ($0.security ? " (security)" : ""), $0.severity.rawValue, $0.state.rawValue, context.time.format($0.openedAt),
                             $0.components.joined(separator: ","), $0.assignee ?? "-", $0.title]
                        }))
    }

    static func show(_ context: CommandContext) throws -> Response {
        let desk = IncidentDesk(context: context)
        let incident = try desk.incident()
        let time = context.time
        let timeline = try desk.store.timeline(incident.id)
        let notifications = try desk.store.notifications(incident.id)
        var fields = [["incident", incident.ref + (incident.security ? " (security)" : "")], ["title", incident.title],
                      ["severity", "\(incident.severity.rawValue): \(incident.severity.meaning)"
                          + (incident.countedSeverity != incident.severity
                             ? " (peak \(incident.countedSeverity.rawValue))" : "")],
                      ["state", incident.state.rawValue],
                      ["components", incident.components.joined(separator: ", ")], ["source", incident.source.rawValue],
                      ["detected", time.format(incident.detectedAt)], ["opened", "\(time.format(incident.openedAt)) by \(incident.openedBy)"],
                      ["assignee", incident.assignee ?? "-"]]
        fields.append(["public", incident.publishedAt.map { "since \(time.format($0))" } ?? "no"])
        if let detail = incident.detail { fields.append(["detail", detail]) }
        if let cause = incident.cause { fields.append(["cause", cause]) }
        if let resolution = incident.resolution { fields.append(["resolution", resolution]) }
        if let review = incident.review { fields.append(["review", review]) }
        if let due = incident.notifyDue {
            let initial = notifications.first { $0.form == .initial }
            fields.append(["notify by", initial.map { "sent \(time.format($0.at)) to \($0.to) (\($0.reference))" } ?? time.format(due) + (context.now > due ? " — OVERDUE" : "")])
        }
        if let due = incident.closingReportDue {
            let closing = notifications.first { $0.form == .closing }
            fields.append(["closing report by", closing.map { "sent \(time.format($0.at)) to \($0.to) (\($0.reference))" } ?? time.format(due) + (context.now > due ? " — OVERDUE" : "")])
        }
        for section in IncidentLinks.sections {
            let part = try section(context, incident)
            fields += part.fields
        }
        var data = incident.json(time: time).merging([
            "timeline": .array(timeline.map { ["at": .string(time.iso8601($0.at)), "actor": .string($0.actor),
                                               "kind": .string($0.kind.rawValue),
                                               "text": .string($0.text), "public": .bool($0.isPublic)] }),
            "notifications": .array(notifications.map { ["form": .string($0.form.rawValue), "to": .string($0.to),
                                                         "ref": .string($0.reference),
                                                         "at": .string(time.iso8601($0.at))] })])
        for section in IncidentLinks.sections { data = data.merging(try section(context, incident).data) }
        return Response(data: data, fields: fields,
                        table: .init(columns: ["TIME", "WHO", "WHAT", ""], rows: timeline.map {
                            [time.format($0.at), $0.actor, $0.kind.rawValue, $0.text + ($0.isPublic ? " [public]" : "")]
                        }))
    }

    static func stats(_ context: CommandContext) throws -> Response {
        let window = try IncidentStatistics.period.window(context)
        var incidents = try IncidentDesk(context: context).visibleIncidents(since: window?.from)
            .filter { window?.contains($0.openedAt) ?? true }
        if let component = try context[IncidentStatistics.component] {
            incidents = incidents.filter { $0.components.contains(component) }
        }
        func minutes(_ values: [Int64]) -> (mean: Double?, median: Double?) {
            guard !values.isEmpty else { return (nil, nil) }
            let sorted = values.sorted().map { Double($0) / 60_000 }
            let mean = sorted.reduce(0, +) / Double(sorted.count)
            let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
            return (mean, median)
        }
        func text(_ value: Double?) -> String { value.map { String(format: "%.1f min", $0) } ?? "-" }
        var rows: [[String]] = []
        var bySeverity: [String: JSON] = [:]
        for severity in Incident.Severity.allCases {
            // Counted under the highest severity each ever had (issue 13); `now` says how many are there today.
            let group = incidents.filter { $0.countedSeverity == severity }
            let now = incidents.filter { $0.severity == severity }.count
            let ack = minutes(group.compactMap { i in i.acknowledgedAt.map { $0 - i.openedAt } })
            let resolve = minutes(group.compactMap { i in i.resolvedAt.map { $0 - i.openedAt } })
            rows.append([severity.rawValue, String(group.count), String(now), text(ack.mean), text(ack.median),
                         text(resolve.mean), text(resolve.median)])
            bySeverity[severity.rawValue] = ["count": .int(Int64(group.count)), "now": .int(Int64(now)),
                                             "mean_minutes_to_ack": ack.mean.map(JSON.double) ?? .null,
                                             "median_minutes_to_ack": ack.median.map(JSON.double) ?? .null,
                                             "mean_minutes_to_resolve": resolve.mean.map(JSON.double) ?? .null,
                                             "median_minutes_to_resolve": resolve.median.map(JSON.double) ?? .null]
        }
        let ack = minutes(incidents.compactMap { i in i.acknowledgedAt.map { $0 - i.openedAt } })
        let resolve = minutes(incidents.compactMap { i in i.resolvedAt.map { $0 - i.openedAt } })
        rows.append(["all", String(incidents.count), String(incidents.count), text(ack.mean), text(ack.median),
                     text(resolve.mean), text(resolve.median)])
        // Those who see security incidents get their count split out; others' figures never include them.
        var split: [String: JSON] = [:]
        if IncidentDesk(context: context).seesSecurity {
            let secure = incidents.filter(\.security).count
            rows.append(["of which security", String(secure), "", "", "", "", ""])
            split["security"] = .int(Int64(secure))
        }
        return Response(message: PeriodFilter.statement(window, context),
                        data: JSON.object(split).merging([
                               "window": PeriodFilter.json(window, context), "total": .int(Int64(incidents.count)),
                               "by_severity": .object(bySeverity),
                               "mean_minutes_to_ack": ack.mean.map(JSON.double) ?? .null,
                               "median_minutes_to_ack": ack.median.map(JSON.double) ?? .null,
                               "mean_minutes_to_resolve": resolve.mean.map(JSON.double) ?? .null,
                               "median_minutes_to_resolve": resolve.median.map(JSON.double) ?? .null]),
                        table: .init(columns: ["PEAK SEVERITY", "COUNT", "NOW", "MEAN TO ACK", "MEDIAN TO ACK",
                                               "MEAN TO RESOLVE", "MEDIAN TO RESOLVE"], rows: rows))
    }

    static func report(_ context: CommandContext) throws -> Response {
        let desk = IncidentDesk(context: context)
        let incident = try desk.incident()
        guard incident.security else { throw OpsError.refused("\(incident.ref) is not a security incident; the reports are for security incidents") }
        let form = try context[IncidentReport.form]
        if form == .closing && incident.resolvedAt == nil {
            throw OpsError.refused("\(incident.ref) is not resolved yet; the closing report follows the response")
        }
        let policies = PolicyStore(context.db)
        let portal = try policies.value(PolicyDefinition.portalName)
        // The issuer's name is a notice setting: read through the Notices capability's API.
        let issuer = try NoticeSettings.load(policies).issuerName
        let user = try context.user
        let time = context.time
        let measures = try desk.store.timeline(incident.id).filter { [.note, .severity, .resolved].contains($0.kind) }
            .map { "- \(time.format($0.at)): \(measure($0))" }.joined(separator: "\n")
        let names = try ComponentStore(context.db).requireAll(incident.components).map(\.name).joined(separator: ", ")
        let title = form == .initial ? "BÁO CÁO BAN ĐẦU SỰ CỐ AN TOÀN THÔNG TIN MẠNG"
                                     : "BÁO CÁO KẾT THÚC ỨNG CỨU SỰ CỐ AN TOÀN THÔNG TIN MẠNG"
        var lines = [title, "(dự thảo — \(incident.ref); Thông tư 20/2017/TT-BTTTT)", "",
                     "1. Tên hệ thống bị sự cố: \(portal) — \(names)",
                     "2. Đơn vị vận hành / chủ quản: \(issuer)",
                     "3. Thời điểm phát hiện: \(time.format(incident.detectedAt))",
                     "4. Người liên hệ: \(user.fullName ?? user.name), \(VietnameseTerms.role(user.role)), "
                         + "điện thoại: ……, thư điện tử: \(user.email ?? "……")",
                     "5. Loại sự cố: \(incident.title)",
                     "6. Dấu hiệu, mô tả: \(incident.detail ?? "……")",
                     "7. Mức độ: \(VietnameseTerms.severity(incident.severity))"
                         + (incident.countedSeverity != incident.severity
                            ? " (cao nhất: \(VietnameseTerms.severity(incident.countedSeverity)))" : ""),
                     "8. Phạm vi, ảnh hưởng: \(names)",
                     "9. Nhà cung cấp hạ tầng: ……",
                     "10. Biện pháp đã thực hiện:", measures.isEmpty ? "- ……" : measures,
                     "11. Tổ chức hỗ trợ: ……"]
        if form == .initial {
            lines.append("12. Kết quả ban đầu và kiến nghị: ……")
        } else {
            lines.append("12. Nguyên nhân: \(incident.cause ?? "……")")
            lines.append("13. Kết quả xử lý: \(incident.resolution ?? "……") (khắc phục lúc \(incident.resolvedAt.map(time.format) ?? "……"))")
            lines.append("14. Kiến nghị: \(incident.review ?? "……")")
        }
        var response = Response(data: ["incident": .string(incident.ref), "form": .string(form.rawValue)])
        response.output = lines.joined(separator: "\n") + "\n"
        return response
    }

    /// A timeline entry as a measure in the report: the timeline keeps the
    /// English codes people type ("sev3 → sev1", "resolved: …"); the report
    /// says them in Vietnamese. Notes are the responders' own words.
    static func measure(_ event: IncidentStore.Event) -> String {
        switch event.kind {
        case .severity:
            var text = event.text
            for severity in Incident.Severity.allCases {
                text = text.replacingOccurrences(of: severity.rawValue, with: VietnameseTerms.level(severity))
            }
            return "thay đổi mức độ \(text)"
        case .resolved:
            let prefix = "resolved: "
            let text = event.text.hasPrefix(prefix) ? String(event.text.dropFirst(prefix.count)) : event.text
            return "khắc phục: " + text.replacingOccurrences(of: "(cause: ", with: "(nguyên nhân: ")
        default:
            return event.text
        }
    }

    static func notified(_ context: CommandContext) throws -> Response {
        let desk = IncidentDesk(context: context)
        let incident = try desk.incident()
        guard incident.security else { throw OpsError.refused("\(incident.ref) is not a security incident") }
        let form = try context[RecordNotified.form] ?? (incident.resolvedAt == nil ? .initial : .closing)
        if form == .closing && incident.resolvedAt == nil {
            throw OpsError.refused("\(incident.ref) is not resolved; a closing report follows the response")
        }
        let to = try context[RecordNotified.to], ref = try context[RecordNotified.ref]
        try desk.store.recordNotification(incident.id, form: form, to: to, reference: ref, at: context.now, by: context.caller.actorName)
        try desk.store.event(incident.id, at: context.now, actor: context.caller.actorName, kind: .notified,
                             text: "\(form.rawValue) report \(ref) sent to \(to)")
        let due = form == .initial ? incident.notifyDue : incident.closingReportDue
        let late = due.map { context.now > $0 } ?? false
        let lateness = late ? " (after its deadline)" : ""
        return Response(message: "Recorded the \(form.rawValue) report \(ref) of \(incident.ref) to \(to)\(lateness)",
                        data: ["incident": .string(incident.ref), "form": .string(form.rawValue), "late": .bool(late)])
    }
}

/// What other capabilities add to `incident show` (feedback and
/// recommendations that cite the incident), so incidents need not know them.
public enum IncidentLinks {
    public typealias Section = @Sendable (CommandContext, Incident) throws -> StatusSection
    public static let sections: [Section] = [FeedbackStats.incidentLinks]
}
