import Foundation

/// Validated arguments of one request. Built only by `CommandSpec.validate`
/// (which checks kinds and presence) and then `decoded(with:)`, which turns
/// each declared argument's text into its typed value; a handler reads them
/// back with the constants it declared: `context[Open.severity]` is a
/// `Severity`, never a string looked up by name.
public struct Arguments: Sendable {
    /// The normalised values, as sent on the wire and recorded in the audit
    /// trail: a string, an array of strings, or `true` for a flag.
    public let values: [String: JSON]
    let time: LocalTime
    /// Typed values by argument name, filled by `decoded(with:)`.
    private var typed: [String: any Sendable] = [:]

    init(values: [String: JSON], time: LocalTime) {
        self.values = values
        self.time = time
    }

    /// These arguments with each declared one decoded to its type.
    public func decoded(with declared: [any DeclaredArgument]) throws -> Arguments {
        var copy = self
        for argument in declared {
            let name = argument.spec.name
            guard let value = values[name] else { continue }
            let texts: [String]
            switch value {
            case .string(let text): texts = [text]
            case .array(let items): texts = items.compactMap(\.stringValue)
            default: texts = []
            }
            copy.typed[name] = try argument.decode(texts, time: time)
        }
        return copy
    }

    private func value<V>(_ spec: ArgumentSpec, as: V.Type) throws -> V? {
        guard let stored = typed[spec.name] else { return nil }
        guard let value = stored as? V else {
            throw OpsError.internalError("argument \(spec.name) was read as \(V.self), declared as \(type(of: stored))")
        }
        return value
    }

    public subscript<V>(_ argument: Required<V>) -> V {
        get throws {
            guard let value = try value(argument.spec, as: V.self) else {
                throw OpsError.usage("missing \(argument.spec.usage)")
            }
            return value
        }
    }

    public subscript<V>(_ argument: Option<V>) -> V? {
        get throws { try value(argument.spec, as: V.self) }
    }

    public subscript<V>(_ argument: Repeated<V>) -> [V] {
        get throws { try value(argument.spec, as: [V].self) ?? [] }
    }

    public subscript(_ argument: Flag) -> Bool { typed[argument.spec.name] != nil }
}

extension CommandSpec {
    /// Checks raw values against this command's arguments: unknown names,
    /// missing required ones, repeats, and each value against its kind.
    /// Text is normalised to NFC. Throws `.usage` with the reason.
    public func validate(_ raw: [String: JSON], time: LocalTime) throws -> Arguments {
        var values: [String: JSON] = [:]
        for name in raw.keys.sorted() where argument(name) == nil {
            throw OpsError.usage("\(words.joined(separator: " ")) takes no argument '\(name)'; see 'opsctl \(words.joined(separator: " ")) --help'")
        }
        for spec in arguments {
            guard let value = raw[spec.name], value != .null else {
                if spec.isRequired {
                    throw OpsError.usage(spec.isPositional ? "missing \(spec.valueName ?? spec.name.uppercased()); usage: \(usage)"
                                                           : "missing --\(spec.name); usage: \(usage)")
                }
                continue
            }
            if spec.kind == .flag {
                guard case .bool(let on) = value else { throw OpsError.usage("--\(spec.name) takes no value") }
                if on { values[spec.name] = .bool(true) }
                continue
            }
            let strings: [String]
            switch value {
            case .string(let s): strings = [s]
            case .array(let items) where spec.isRepeated:
                strings = try items.map {
                    guard let s = $0.stringValue else { throw OpsError.usage("--\(spec.name) takes text values") }
                    return s
                }
            case .array: throw OpsError.usage("--\(spec.name) may be given only once")
            default: throw OpsError.usage("--\(spec.name) takes a value")
            }
            let checked = try strings.map { try Self.check($0, against: spec, time: time) }
            values[spec.name] = spec.isRepeated ? .array(checked.map(JSON.string)) : .string(checked[0])
        }
        return Arguments(values: values, time: time)
    }

    private static func check(_ value: String, against spec: ArgumentSpec, time: LocalTime) throws -> String {
        let label = spec.isPositional ? (spec.valueName ?? spec.name.uppercased()) : "--\(spec.name)"
        var text = Text.normalized(value)
        if spec.kind == .multilineText { text = text.replacingOccurrences(of: "\r\n", with: "\n") }
        // A file's own line ends are its format's business (CSV fields are
        // checked when parsed); everything else takes newline only if multi-line.
        let multiline = spec.kind == .multilineText || spec.kind == .file
        let scanned = spec.kind == .file ? text.replacingOccurrences(of: "\r", with: "") : text
        if let bad = Text.forbiddenScalar(in: scanned, newlines: multiline) {
            throw OpsError.usage("\(label) holds \(Text.refusal(bad)); remove it (of the control characters only "
                                 + (multiline ? "tab and newline" : "tab") + " may be used)")
        }
        let limit = spec.kind == .file || spec.kind == .binaryFile ? 900 * 1024 : 65_536
        if text.utf8.count > limit { throw OpsError.usage("\(label) is longer than \(limit / 1024) KiB") }
        switch spec.kind {
        case .text, .multilineText:
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw OpsError.usage("\(label) must not be empty")
            }
        case .key:
            guard Text.isValidKey(text) else {
                throw OpsError.usage("\(label) '\(text)' is not a valid key: use lower-case letters, digits, '-', '_' or '.' (at most 64)")
            }
        case .integer(let range):
            guard let number = Int64(text), range.contains(number) else {
                throw OpsError.usage("\(label) must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text)'")
            }
        case .choice(let choices):
            guard choices.contains(text) else {
                throw OpsError.usage("\(label) must be one of \(choices.joined(separator: ", ")), not '\(text)'")
            }
        case .time:
            do { _ = try time.parseTime(text) } catch { throw OpsError.usage("\(label): \(error)") }
        case .date:
            do { _ = try time.parseDate(text) } catch { throw OpsError.usage("\(label): \(error)") }
        case .duration:
            do { _ = try DurationText.parse(text) } catch { throw OpsError.usage("\(label): \(error)") }
        case .email:
            guard Text.isValidEmail(text) else { throw OpsError.usage("\(label) '\(text)' is not a valid e-mail address") }
        case .binaryFile:
            guard Data(base64Encoded: text) != nil else { throw OpsError.usage("\(label) did not arrive as base64") }
        case .file, .outputFile, .flag:
            break
        }
        return text
    }
}
