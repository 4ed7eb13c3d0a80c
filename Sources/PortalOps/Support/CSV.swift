import OpsProtocol
import Foundation

/// RFC 4180 CSV: comma-separated, fields optionally in double quotes (which
/// may hold commas, newlines and doubled quotes). A UTF-8 byte-order mark,
/// as spreadsheet programs write it, is dropped.
public enum CSV {
    public struct Record: Sendable, Equatable {
        /// The line the record starts on, 1-based, for error messages.
        public let line: Int
        public let fields: [String]
    }

    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public let line: Int
        public let reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    public static func parse(_ text: String) throws -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var quotedField = false
        var characters = Array(text.unicodeScalars)
        if characters.first == "\u{FEFF}" { characters.removeFirst() }
        var index = 0
        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty && !quotedField) {
                records.append(Record(line: recordLine, fields: fields))
            }
            fields = []
            field = ""
            quotedField = false
        }
        while index < characters.count {
            let c = characters[index]
            if inQuotes {
                if c == "\"" {
                    if index + 1 < characters.count, characters[index + 1] == "\"" {
                        field.unicodeScalars.append("\"")
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
            } else {
                switch c {
                case ",":
                    fields.append(field)
                    field = ""
                    quotedField = false
                case "\"":
                    guard field.isEmpty else { throw ParseError(line: line, reason: "a quote inside an unquoted field") }
                    inQuotes = true
                    quotedField = true
                case "\r":
                    break
                case "\n":
                    endRecord()
                    line += 1
                    recordLine = line
                default:
                    if quotedField { throw ParseError(line: line, reason: "text after a closing quote") }
                    field.unicodeScalars.append(c)
                }
            }
            index += 1
        }
        if inQuotes { throw ParseError(line: recordLine, reason: "a quoted field is not closed") }
        if !field.isEmpty || !fields.isEmpty || quotedField { endRecord() }
        return records
    }

    /// One data row of a file with a header, by column name: values trimmed,
    /// empty ones left out.
    public struct NamedRow: Sendable {
        public let line: Int
        public let values: [String: String]
    }

    /// Reads a CSV file whose first row names its columns, for the imports:
    /// a header problem throws `.usage`; each row whose field count differs
    /// from the header's is returned in `problems` with its line number.
    public static func namedRows(_ text: String, columns: [String], required: [String]) throws -> (rows: [NamedRow], problems: [String]) {
        let records: [Record]
        do { records = try parse(Text.normalized(text)) } catch { throw OpsError.usage("the CSV is malformed: \(error)") }
        guard let header = records.first else {
            throw OpsError.usage("the CSV is empty; the first row must name the columns: \(columns.joined(separator: ","))")
        }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        if let unknown = names.first(where: { !columns.contains($0) }) {
            throw OpsError.usage("line \(header.line): unknown column '\(unknown)'; the columns are \(columns.joined(separator: ","))")
        }
        if let missing = required.first(where: { !names.contains($0) }) {
            throw OpsError.usage("line \(header.line): the header needs the column \(missing) (required: \(required.joined(separator: ", ")))")
        }
        var rows: [NamedRow] = []
        var problems: [String] = []
        for record in records.dropFirst() {
            guard record.fields.count == names.count else {
                problems.append("line \(record.line): \(record.fields.count) fields, the header has \(names.count)")
                continue
            }
            var values: [String: String] = [:]
            for (name, value) in zip(names, record.fields) {
                // A quoted field may span lines; no other control gets in.
                let text = value.replacingOccurrences(of: "\r\n", with: "\n")
                if let bad = Text.forbiddenScalar(in: text, newlines: true) {
                    throw OpsError.usage("line \(record.line), column \(name) holds \(Text.refusal(bad)); "
                                         + "remove it and import the file again")
                }
                let trimmed = text.trimmingCharacters(in: .whitespaces)
                if !trimmed.isEmpty { values[name] = trimmed }
            }
            rows.append(NamedRow(line: record.line, values: values))
        }
        return (rows, problems)
    }
}

extension CSV {
    /// RFC 4180 text for `rows`, lines ending in CRLF: a field holding a
    /// comma, a quote, CR or LF (alone or together) is quoted with its quotes
    /// doubled, so no character in a value can start a new field or record.
    /// A value starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`
    /// so a spreadsheet shows it as text instead of running it as a formula.
    public static func format(_ rows: [[String]]) -> String {
        rows.map { $0.map(field).joined(separator: ",") + "\r\n" }.joined()
    }

    static func field(_ value: String) -> String {
        var text = value
        // U+FEFF too: first in a file, readers drop it as a byte-order mark and then see what follows it
        // (found by scripts/fuzz.sh: "\u{FEFF}=1+2" in the first cell bypassed the formula guard).
        if let first = text.unicodeScalars.first, "=+-@\t\r\u{FEFF}".unicodeScalars.contains(first) {
            text = "'" + text
        }
        let special = text.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
        // Quotes doubled scalar by scalar: replacingOccurrences missed a quote followed by a combining mark
        // (one Character), which then closed the field early (found by scripts/fuzz.sh).
        return special ? "\"" + text.escapingScalars(["\"": "\"\""]) + "\"" : text
    }
}
