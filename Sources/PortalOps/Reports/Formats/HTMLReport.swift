import Foundation

/// The report as one self-contained HTML page: Vietnamese, A4 print layout, charts as inline SVG,
/// no scripts and no external assets, so it prints, mails and archives as it is.
enum HTMLReport {
    static func render(_ report: Report) -> String {
        let e = HTML.escape
        let heading = "<h1>\(e(report.title.uppercased()))</h1>\n"
        var body = heading + "<p class=\"period\">Kỳ báo cáo: \(e(report.windowText))</p>\n"
        for (index, section) in report.sections.enumerated() {
            body += "<section id=\"\(e(section.key))\">\n<h2>\(index + 1). \(e(section.title))</h2>\n"
            body += section.paragraphs.map { "<p>\(e($0))</p>\n" }.joined()
            for chart in section.charts where !chart.categories.isEmpty { body += svg(chart) }
            for table in section.tables {
                body += "<table>\n<caption>\(e(table.caption))</caption>\n<thead><tr>"
                body += table.columns.map { "<th>\(e($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
                body += table.rows.map { "<tr>" + $0.map { "<td>\(e($0))</td>" }.joined() + "</tr>\n" }.joined()
                body += "</tbody>\n</table>\n"
            }
            body += "</section>\n"
        }
        return """
            <!DOCTYPE html>
            <html lang="vi">
            <head>
            <meta charset="utf-8">
            <title>\(e(report.title))</title>
            <style>
            @page { size: A4; margin: 20mm 15mm 20mm 30mm; }
            body { font-family: "Times New Roman", "Liberation Serif", serif; font-size: 13pt; line-height: 1.4;
                   max-width: 165mm; margin: 0 auto; color: #000; }
            h1 { font-size: 14pt; text-align: center; }
            h2 { font-size: 13pt; margin-top: 1.2em; }
            p { text-align: justify; text-indent: 1cm; margin: 0.3em 0; }
            p.period { text-align: center; text-indent: 0; font-style: italic; }
            table { border-collapse: collapse; width: 100%; margin: 0.6em 0; font-size: 11pt; page-break-inside: auto; }
            caption { font-weight: bold; text-align: left; margin-bottom: 0.2em; }
            th, td { border: 1px solid #000; padding: 2px 4px; vertical-align: top; }
            th { background: #eee; }
            tr { page-break-inside: avoid; }
            figure { margin: 0.6em 0; page-break-inside: avoid; }
            figcaption { font-weight: bold; font-size: 11pt; }
            svg text { font-family: "Times New Roman", "Liberation Serif", serif; font-size: 9px; }
            </style>
            </head>
            <body>
            \(body)</body>
            </html>

            """
    }

    /// Stacked bars with a legend; heights scale to the chart's maximum (or the tallest bar).
    static func svg(_ chart: ReportChart) -> String {
        let e = HTML.escape
        let width = 600.0, height = 180.0, left = 30.0, bottom = 24.0, top = 8.0
        let count = chart.categories.count
        let totals = (0..<count).map { i in chart.series.reduce(0) { $0 + ($1.values[safe: i] ?? 0) } }
        let maximum = max(chart.maximum ?? (totals.max() ?? 0), 1)
        let slot = (width - left) / Double(count)
        let bar = max(1, slot * 0.7)
        var shapes = ""
        for i in 0..<count {
            var y = height - bottom
            for series in chart.series {
                let value = series.values[safe: i] ?? 0
                guard value > 0 else { continue }
                let h = value / maximum * (height - bottom - top)
                y -= h
                shapes += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%@\">",
                                 left + Double(i) * slot, y, bar, h, series.colour)
                let label = "\(chart.categories[i]): \(series.name) \(format(value)) \(chart.unit)"
                shapes += "<title>\(e(label))</title></rect>"
            }
            let every = max(1, count / 12)
            if i % every == 0 {
                shapes += String(format: "<text x=\"%.1f\" y=\"%.1f\">", left + Double(i) * slot, height - bottom + 12)
                    + e(chart.categories[i]) + "</text>"
            }
        }
        let axis = String(format: "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#000\"/>",
                          left, height - bottom, width, height - bottom)
            + "<text x=\"0\" y=\"\(Int(top) + 8)\">\(format(maximum))</text>"
            + "<text x=\"0\" y=\"\(Int(height - bottom))\">0</text>"
        let legend = chart.series.enumerated().map { index, series in
            let x = left + Double(index) * 110
            return String(format: "<rect x=\"%.0f\" y=\"%.0f\" width=\"8\" height=\"8\" fill=\"%@\"/>", x,
                          height - 9, series.colour)
                + String(format: "<text x=\"%.0f\" y=\"%.0f\">", x + 11, height - 1) + e(series.name) + "</text>"
        }.joined()
        return """
            <figure><figcaption>\(e(chart.caption))</figcaption>
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(width)) \(Int(height))" width="100%" \
            role="img" aria-label="\(e(chart.caption))">\(axis)\(shapes)\(legend)</svg></figure>

            """
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
