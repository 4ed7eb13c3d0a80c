import OpsProtocol

/// Incidents opened in the window: by severity and component, time to acknowledge and resolve,
/// and each sev1–sev2 with its cause and recommendations. Security incidents are counted; their
/// details are only for readers who see them.
enum IncidentSection {
    static func build(_ r: ReportContext) throws -> ReportSection {
        let all = try IncidentStore(r.db).all(includeSecurity: true, since: r.window.from)
            .filter { r.window.contains($0.openedAt) }
        let security = all.filter(\.security)
        let shown = r.seesSecurity ? all : all.filter { !$0.security }
        var section = ReportSection(key: "incidents", title: "Sự cố")
        let countOnly = r.seesSecurity ? "." : " (chỉ nêu số lượng)."
        section.paragraphs.append("Trong kỳ có \(all.count) sự cố, trong đó \(security.count) sự cố an toàn thông tin"
                                  + countOnly)
        var bySeverity: [String: JSON] = [:]
        var rows: [[String]] = []
        for severity in Incident.Severity.allCases {
            let group = shown.filter { $0.countedSeverity == severity }
            let ack = group.compactMap { i in i.acknowledgedAt.map { $0 - i.openedAt } }
            let resolve = group.compactMap { i in i.resolvedAt.map { $0 - i.openedAt } }
            rows.append([VietnameseTerms.level(severity).capitalizedFirst, String(group.count),
                         ReportText.minutes(ReportText.mean(ack)), ReportText.minutes(ReportText.median(ack)),
                         ReportText.minutes(ReportText.mean(resolve)), ReportText.minutes(ReportText.median(resolve))])
            let meanAck: JSON = ReportText.mean(ack).map(JSON.double) ?? .null
            let meanResolve: JSON = ReportText.mean(resolve).map(JSON.double) ?? .null
            bySeverity[severity.rawValue] = ["count": .int(Int64(group.count)), "mean_minutes_to_ack": meanAck,
                                             "mean_minutes_to_resolve": meanResolve]
        }
        if !r.seesSecurity && !security.isEmpty {
            rows.append(["Sự cố an toàn thông tin", String(security.count), "", "", "", ""])
        }
        section.tables.append(ReportTable(
            caption: "Sự cố theo mức độ", columns: ["Mức độ", "Số sự cố", "Tiếp nhận (TB)", "Tiếp nhận (trung vị)",
                                                     "Khắc phục (TB)", "Khắc phục (trung vị)"], rows: rows))
        var perComponent: [String: Int] = [:]
        for incident in shown {
            for key in incident.components { perComponent[r.componentName(key), default: 0] += 1 }
        }
        let components: [(String, Int)] = perComponent.map { ($0.key, $0.value) }
            .sorted { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
        if !components.isEmpty {
            section.tables.append(ReportTable(caption: "Sự cố theo thành phần", columns: ["Thành phần", "Số sự cố"],
                                              rows: components.map { [$0.0, String($0.1)] }))
        }
        let major = shown.filter { $0.countedSeverity <= .sev2 }
        if !major.isEmpty {
            let store = FeedbackStore(r.db)
            section.tables.append(ReportTable(
                caption: "Sự cố cấp 1 và cấp 2",
                columns: ["Số hiệu", "Mức độ", "Sự cố", "Thời điểm", "Thời gian khắc phục", "Nguyên nhân", "Kiến nghị"],
                rows: try major.map { i in
                    let recommendations = try store.recommendations(source: "incident:\(i.ref)").map(\.title)
                    return [i.ref, VietnameseTerms.level(i.countedSeverity), i.title,
                            VietnameseDate.moment(i.openedAt, time: r.time),
                            i.resolvedAt.map { ReportText.duration($0 - i.openedAt) } ?? "chưa khắc phục",
                            i.cause ?? "—", recommendations.isEmpty ? "—" : recommendations.joined(separator: "; ")]
                }))
        }
        section.charts.append(weekly(shown, r))
        let byComponent: [String: JSON] = perComponent.mapValues { JSON.int(Int64($0)) }
        section.figures = ["total": .int(Int64(all.count)), "security": .int(Int64(security.count)),
                           "by_severity": .object(bySeverity), "by_component": .object(byComponent),
                           "major": .array(major.map { .string($0.ref) })]
        return section
    }

    /// Incidents per week of the window, stacked by severity.
    private static func weekly(_ incidents: [Incident], _ r: ReportContext) -> ReportChart {
        let week: Int64 = 7 * 86_400_000
        let weeks = max(1, Int((r.window.to - r.window.from + week - 1) / week))
        let colours = ["#b3261e", "#e8710a", "#f9ab00", "#80868b"]
        let series = Incident.Severity.allCases.enumerated().map { index, severity in
            (name: VietnameseTerms.level(severity), colour: colours[index], values: (0..<weeks).map { w in
                Double(incidents.filter {
                    $0.countedSeverity == severity && ($0.openedAt - r.window.from) / week == Int64(w)
                }.count)
            })
        }
        let labels = (0..<weeks).map {
            VietnameseDate.shortDate(r.window.from + Int64($0) * week, time: r.time).dropLast(5)
        }
        return ReportChart(caption: "Số sự cố theo tuần và mức độ", categories: labels.map(String.init),
                           series: series, unit: "sự cố", maximum: nil)
    }
}

extension String {
    /// "cấp 1" → "Cấp 1".
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
