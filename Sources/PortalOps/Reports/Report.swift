import OpsProtocol

/// A report on the portal's operation over a window (Art. 11.5, 13.4 of the regulation): sections
/// in Vietnamese, each with paragraphs, tables and charts, rendered to Markdown, HTML, CSV or JSON
/// by the files in `Formats/`. Figures are computed once, here, so every format says the same.
public struct Report: Sendable {
    public var title: String
    public var window: ReportWindow
    /// "từ ngày 15/10/2026 đến ngày 14/11/2026"
    public var windowText: String
    public var generatedAt: String
    public var sections: [ReportSection]

    public func json(_ time: LocalTime) -> JSON {
        ["title": .string(title), "window": window.json(time), "generated_at": .string(generatedAt),
         "sections": .array(sections.map(\.json))]
    }
}

public struct ReportSection: Sendable {
    /// Stable key for scripts: `incidents`, `maintenance`, …
    public var key: String
    public var title: String
    public var paragraphs: [String] = []
    public var tables: [ReportTable] = []
    public var charts: [ReportChart] = []
    /// The section's figures for `--json`, in snake_case.
    public var figures: [String: JSON] = [:]

    var json: JSON {
        ["key": .string(key), "title": .string(title), "paragraphs": .array(paragraphs.map(JSON.string)),
         "tables": .array(tables.map(\.json)), "figures": .object(figures)]
    }
}

public struct ReportTable: Sendable {
    public var caption: String
    public var columns: [String]
    public var rows: [[String]]

    var json: JSON {
        ["caption": .string(caption), "columns": .array(columns.map(JSON.string)),
         "rows": .array(rows.map { .array($0.map(JSON.string)) })]
    }
}

/// Stacked bars: one bar per category (a day, a week), one colour per series (a severity, a kind
/// of time). Values are in `unit`; `maximum` fixes the scale (100 for percentages).
public struct ReportChart: Sendable {
    public var caption: String
    public var categories: [String]
    public var series: [(name: String, colour: String, values: [Double])]
    public var unit: String
    public var maximum: Double?
}

/// Vietnamese renderings shared by every section.
enum ReportText {
    /// "2 giờ 15 phút", "45 phút", "3 ngày 4 giờ".
    static func duration(_ milliseconds: Int64) -> String {
        let minutes = max(0, milliseconds / 60_000)
        let days = minutes / 1440, hours = minutes % 1440 / 60, rest = minutes % 60
        if days > 0 { return hours > 0 ? "\(days) ngày \(hours) giờ" : "\(days) ngày" }
        if hours > 0 { return rest > 0 ? "\(hours) giờ \(rest) phút" : "\(hours) giờ" }
        return "\(rest) phút"
    }

    static func minutes(_ value: Double?) -> String {
        value.map { $0 >= 120 ? String(format: "%.1f giờ", $0 / 60) : String(format: "%.0f phút", $0) } ?? "—"
    }

    static func mean(_ values: [Int64]) -> Double? {
        values.isEmpty ? nil : Double(values.reduce(0, +)) / Double(values.count) / 60_000
    }

    static func median(_ values: [Int64]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted().map { Double($0) / 60_000 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
