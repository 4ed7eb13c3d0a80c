/// The report as Markdown, for pasting into a document or a chat.
enum MarkdownReport {
    static func render(_ report: Report) -> String {
        var out = "# \(report.title.uppercased())\n\nKỳ báo cáo: \(report.windowText).\n"
        for (index, section) in report.sections.enumerated() {
            out += "\n## \(index + 1). \(section.title)\n\n"
            out += section.paragraphs.map { $0 + "\n" }.joined(separator: "\n")
            for table in section.tables {
                out += "\n**\(table.caption)**\n\n| " + table.columns.map(cell).joined(separator: " | ") + " |\n"
                out += "|" + table.columns.map { _ in " --- |" }.joined() + "\n"
                out += table.rows.map { "| " + $0.map(cell).joined(separator: " | ") + " |\n" }.joined()
            }
        }
        return out
    }

    /// A table cell: no line breaks, pipes escaped.
    static func cell(_ text: String) -> String {
        text.escapingScalars(["|": "\\|", "\n": " ", "\r": " "])
    }
}
