/// The report's tables as CSV: for each table a row naming its section and caption, its header,
/// its rows, and an empty row — one file a spreadsheet opens whole.
enum CSVReport {
    static func render(_ report: Report) -> String {
        var rows: [[String]] = [["Kỳ báo cáo", report.windowText]]
        for section in report.sections {
            for table in section.tables {
                rows += [[], [section.title, table.caption], table.columns] + table.rows
            }
        }
        return CSV.format(rows)
    }
}
