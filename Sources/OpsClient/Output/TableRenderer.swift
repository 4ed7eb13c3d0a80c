import Foundation
import OpsProtocol

/// Aligned text for people: columns padded by display width, so
/// "Sở Tư pháp" lines up with plain ASCII.
enum TableRenderer {
    static func table(columns: [String], rows: [[String]]) -> String {
        guard !rows.isEmpty else { return "(none)\n" }
        let rows = rows.map { $0.map(singleLine) }
        var widths = columns.map(Text.displayWidth)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], Text.displayWidth(cell))
            }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : Text.padded(cell, to: widths[index])
            }.joined(separator: "  ") + "\n"
        }
        return line(columns) + rows.map(line).joined()
    }

    /// `key: value` lines with the values aligned.
    static func fields(_ pairs: [[String]]) -> String {
        let width = pairs.map { Text.displayWidth($0.first ?? "") }.max() ?? 0
        return pairs.map { pair in
            Text.padded((pair.first ?? "") + ":", to: width + 1) + " " + singleLine(pair.count > 1 ? pair[1] : "") + "\n"
        }.joined()
    }

    /// Table cells stay on one line whatever the text holds, and show any
    /// other control or bidirectional character escaped, never raw.
    private static func singleLine(_ text: String) -> String {
        Terminal.visible(text.escapingScalars(["\n": " ", "\t": " "]))
    }
}
