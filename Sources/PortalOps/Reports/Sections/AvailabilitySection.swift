import OpsProtocol

/// Each component's availability over the window, from its health checks: share of time up, down
/// time split into unplanned, announced maintenance and unknown (opsd not running, a check paused,
/// no check yet — never counted as up), the longest outage, and a daily chart.
enum AvailabilitySection {
    static func build(_ r: ReportContext) throws -> ReportSection {
        var section = ReportSection(key: "availability", title: "Tình trạng hoạt động của hệ thống")
        var rows: [[String]] = []
        var figures: [String: JSON] = [:]
        let end = r.end
        guard r.window.from < end else {
            section.paragraphs.append("Kỳ báo cáo chưa bắt đầu.")
            return section
        }
        for (key, name) in r.componentNames.sorted(by: { $0.key < $1.key }) {
            let segments = try Availability.segments(component: key, from: r.window.from, to: end, now: r.now,
                                                     db: r.db)
            let a = Availability.summing(segments)
            let longest = a.longest.map {
                "\(ReportText.duration($0.length)) từ \(VietnameseDate.moment($0.start, time: r.time))"
            } ?? "—"
            rows.append([name, String(format: "%.3f%%", a.share * 100), ReportText.duration(a.unplanned),
                         ReportText.duration(a.maintenance), ReportText.duration(a.unknown), longest])
            figures[key] = ["share_up": .double(a.share), "unplanned_seconds": .int(a.unplanned / 1000),
                            "maintenance_seconds": .int(a.maintenance / 1000),
                            "unknown_seconds": .int(a.unknown / 1000),
                            "longest_outage_seconds": a.longest.map { .int($0.length / 1000) } ?? .null]
            section.charts.append(daily(name, segments, from: r.window.from, to: end, r.time))
        }
        section.paragraphs.append(rows.isEmpty ? "Chưa có thành phần nào được theo dõi."
            : "Tỷ lệ thời gian hoạt động của từng thành phần trong kỳ; thời gian không có số liệu (hệ thống giám sát "
                + "không chạy, kiểm tra tạm dừng) không được tính là hoạt động.")
        if !rows.isEmpty {
            section.tables.append(ReportTable(
                caption: "Thời gian hoạt động theo thành phần",
                columns: ["Thành phần", "Hoạt động", "Gián đoạn ngoài kế hoạch", "Bảo trì đã thông báo",
                          "Không có số liệu", "Gián đoạn dài nhất"], rows: rows))
        }
        section.figures = figures
        return section
    }

    /// Per day, the shares of up, maintenance, unplanned and unknown time, stacked to 100%.
    private static func daily(_ name: String, _ segments: [(start: Int64, end: Int64, moment: Availability.Moment)],
                              from: Int64, to: Int64, _ time: LocalTime) -> ReportChart {
        var labels: [String] = []
        var values: [Availability.Moment: [Double]] = [:]
        var day = time.startOfDay(from)
        while day < to {
            let next = time.startOfDay(day + 36 * 3_600_000)
            var sums: [Availability.Moment: Int64] = [:]
            for s in segments {
                let a = max(s.start, day, from), b = min(s.end, next, to)
                if b > a { sums[s.moment, default: 0] += b - a }
            }
            let total = Double(max(1, sums.values.reduce(0, +)))
            for moment in [Availability.Moment.up, .maintenance, .unplanned, .unknown] {
                values[moment, default: []].append(Double(sums[moment] ?? 0) / total * 100)
            }
            labels.append(String(VietnameseDate.shortDate(day, time: time).prefix(5)))
            day = next
        }
        let series: [(name: String, colour: String, values: [Double])] = [
            ("hoạt động", "#2e7d32", values[.up] ?? []), ("bảo trì", "#1a4f9c", values[.maintenance] ?? []),
            ("gián đoạn", "#c62828", values[.unplanned] ?? []), ("không có số liệu", "#bdbdbd", values[.unknown] ?? []),
        ]
        return ReportChart(caption: "Thời gian hoạt động theo ngày: \(name)", categories: labels, series: series,
                           unit: "%", maximum: 100)
    }
}
