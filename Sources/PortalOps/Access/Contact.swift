import OpsProtocol

/// One way to reach a person at any hour (issue 13): an e-mail address, or a
/// webhook (the province's SMS gateway, a chat bot) whose body is rendered
/// from a template with the page's fields. A page goes to every contact.
public struct Contact: Sendable, Equatable {
    public enum Kind: String, CaseIterable, Sendable {
        case email
        case webhook = "sms-webhook"
    }

    public let id: Int64
    public let user: String
    public let kind: Kind
    public let address: String
    /// The webhook body; nil for e-mail.
    public let template: String?
    public let createdAt: Int64
    /// The outbox message of the last `user contact test`, and when.
    public let testMessage: Int64?
    public let testedAt: Int64?

    public func json(time: LocalTime, shownTo caller: Caller, lastTest: String?) -> JSON {
        ["id": .int(id), "user": .string(user), "kind": .string(kind.rawValue),
         "address": .string(kind == .webhook ? Redaction.shown(address, to: caller) : address),
         "template": JSON(template), "tested_at": testedAt.map { .string(time.iso8601($0)) } ?? .null,
         "last_test": JSON(lastTest)]
    }
}

/// A webhook body template: `{{field}}` placeholders filled with a page's
/// fields. When the template is JSON (it starts with `{` or `[`), each value
/// is JSON-escaped, so a title with quotes or newlines keeps the body valid.
public struct ContactTemplate: Sendable {
    /// The fields a page offers; any other placeholder is refused when the contact is added.
    public static let fields = ["ref", "severity", "title", "state", "stage", "subject", "user", "ack"]
    public static let defaultText = #"{"text": "{{subject}}. {{ack}}"}"#

    public let text: String

    public var isJSON: Bool {
        guard let first = text.first(where: { !$0.isWhitespace }) else { return false }
        return first == "{" || first == "["
    }

    public var contentType: String { isJSON ? "application/json; charset=utf-8" : "text/plain; charset=utf-8" }

    /// Checks the placeholders, and that a JSON template stays JSON once filled.
    public init(checking text: String) throws {
        self.text = text
        for name in Self.placeholders(in: text) where !Self.fields.contains(name) {
            let allowed = "{{" + Self.fields.joined(separator: "}}, {{") + "}}"
            throw OpsError.usage("the template uses {{\(name)}}; it may use \(allowed)")
        }
        if isJSON {
            let sample = render(Dictionary(uniqueKeysWithValues: Self.fields.map { ($0, "x \"y\"\n") }))
            guard (try? JSON.parse(sample)) != nil else {
                throw OpsError.usage("the template starts like JSON but is not JSON once filled; "
                                     + "write placeholders inside strings, e.g. {\"text\": \"{{subject}}\"}")
            }
        }
    }

    init(trusted text: String) { self.text = text }

    public func render(_ values: [String: String]) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            out += rest[..<open.lowerBound]
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            let value = values[name] ?? ""
            out += isJSON ? String(JSON.string(value).serialized().dropFirst().dropLast()) : value
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    static func placeholders(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            names.append(rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces))
            rest = rest[close.upperBound...]
        }
        return names
    }
}
