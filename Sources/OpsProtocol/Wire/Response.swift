import Foundation
/// The daemon's answer to one request, sent as one line of JSON.
///
/// `data` is the stable document `--json` prints for scripts; `message`,
/// `fields` and `table` are the human view, rendered by `opsctl` so the
/// daemon never needs to know the terminal.
public struct Response: Sendable, Equatable {
    public var error: OpsError?
    public var message: String?
    public var data: JSON
    public var fields: [[String]]
    public var table: Table?
    /// Things the operator should notice although the command succeeded;
    /// printed to stderr.
    public var warnings: [String]
    /// Text printed verbatim instead of the human view (documents, exports).
    public var output: String?
    /// Bytes written to the command's `--output` file instead (a PDF); sent
    /// in base64, never printed on a terminal.
    public var binaryOutput: [UInt8]?

    public struct Table: Sendable, Equatable {
        public var columns: [String]
        public var rows: [[String]]
        public init(columns: [String], rows: [[String]]) {
            self.columns = columns
            self.rows = rows
        }
    }

    public init(message: String? = nil, data: JSON = .object([:]), fields: [[String]] = [],
                table: Table? = nil, warnings: [String] = []) {
        self.message = message
        self.data = data
        self.fields = fields
        self.table = table
        self.warnings = warnings
    }

    public init(error: OpsError) {
        self.init()
        self.error = error
    }

    public var json: JSON {
        var object: [String: JSON] = ["ok": .bool(error == nil), "data": data]
        if let error { object["error"] = ["kind": .string(error.kind), "message": .string(error.message)] }
        if let message { object["message"] = .string(message) }
        if !fields.isEmpty { object["fields"] = .array(fields.map { .array($0.map(JSON.string)) }) }
        if let table {
            object["table"] = ["columns": .array(table.columns.map(JSON.string)),
                               "rows": .array(table.rows.map { .array($0.map(JSON.string)) })]
        }
        if !warnings.isEmpty { object["warnings"] = .array(warnings.map(JSON.string)) }
        if let output { object["output"] = .string(output) }
        if let binaryOutput { object["output_base64"] = .string(Data(binaryOutput).base64EncodedString()) }
        return .object(object)
    }

    public init(json: JSON) throws {
        self.init(message: json["message"]?.stringValue, data: json["data"] ?? .null)
        if let error = json["error"] {
            self.error = OpsError(kind: error["kind"]?.stringValue ?? "internal",
                                  message: error["message"]?.stringValue ?? "unknown error")
        } else if json["ok"]?.boolValue != true {
            throw OpsError.internalError("malformed response from opsd")
        }
        fields = (json["fields"]?.arrayValue ?? []).map { ($0.arrayValue ?? []).compactMap(\.stringValue) }
        if let table = json["table"] {
            self.table = Table(columns: (table["columns"]?.arrayValue ?? []).compactMap(\.stringValue),
                               rows: (table["rows"]?.arrayValue ?? []).map { ($0.arrayValue ?? []).compactMap(\.stringValue) })
        }
        warnings = (json["warnings"]?.arrayValue ?? []).compactMap(\.stringValue)
        output = json["output"]?.stringValue
        binaryOutput = json["output_base64"]?.stringValue.flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0) }
    }
}
