import Foundation

/// Every command of the console with what each noun is about: what `opsctl`
/// parses and prints help from. The daemon builds it from its capabilities;
/// `opsctl` gets the same list compiled in at build time (see CatalogPlugin),
/// carried as the JSON this type reads and writes.
public struct CommandCatalog: Sendable {
    public let commands: [CommandSpec]
    /// What each noun is about, for `opsctl --help`.
    public let nounSummaries: [String: String]
    private let index: [String: CommandSpec]

    public init(commands: [CommandSpec], nounSummaries: [String: String]) {
        self.commands = commands
        self.nounSummaries = nounSummaries
        self.index = Dictionary(commands.map { ($0.name, $0) }) { first, _ in first }
    }

    public func command(_ name: String) -> CommandSpec? { index[name] }

    /// The nouns in first-seen order (`status`, `whoami`, `user`, `audit`…).
    public var nouns: [String] {
        var seen: [String] = []
        for command in commands where !seen.contains(command.noun) { seen.append(command.noun) }
        return seen
    }

    public func commands(noun: String) -> [CommandSpec] {
        commands.filter { $0.noun == noun }
    }
}

// MARK: - As JSON (the build-time hand-over to opsctl)

extension CommandCatalog {
    public var json: JSON {
        ["commands": .array(commands.map(\.json)),
         "nouns": .object(nounSummaries.mapValues(JSON.string))]
    }

    public init(json: JSON) throws {
        guard let commands = json["commands"]?.arrayValue, let nouns = json["nouns"]?.objectValue else {
            throw OpsError.internalError("the command catalog has no commands or nouns")
        }
        self.init(commands: try commands.map(CommandSpec.init(json:)),
                  nounSummaries: nouns.compactMapValues(\.stringValue))
    }
}

extension CommandSpec {
    public var json: JSON {
        var object: [String: JSON] = [
            "name": .string(name), "summary": .string(summary),
            "roles": .array(roles.sorted().map { .string($0.rawValue) }),
            "audit": .string(audit.rawValue),
            "arguments": .array(arguments.map(\.json)),
        ]
        if let details { object["details"] = .string(details) }
        return .object(object)
    }

    public init(json: JSON) throws {
        guard let name = json["name"]?.stringValue, let summary = json["summary"]?.stringValue,
              let audit = json["audit"]?.stringValue.flatMap(AuditRule.init(rawValue:)) else {
            throw OpsError.internalError("a command in the catalog lacks its name, summary or audit rule")
        }
        let roles = Set((json["roles"]?.arrayValue ?? []).compactMap { $0.stringValue.flatMap(Role.init(rawValue:)) })
        self.init(name, summary, roles: roles, audit: audit,
                  arguments: try (json["arguments"]?.arrayValue ?? []).map(ArgumentSpec.init(json:)),
                  details: json["details"]?.stringValue)
    }
}

extension ArgumentSpec {
    public var json: JSON {
        var object: [String: JSON] = [
            "name": .string(name), "kind": kind.json, "help": .string(help),
            "required": .bool(isRequired), "positional": .bool(isPositional), "repeated": .bool(isRepeated),
        ]
        if let valueName { object["value_name"] = .string(valueName) }
        if isSensitive { object["sensitive"] = .bool(true) }
        if isCommand { object["command"] = .bool(true) }
        return .object(object)
    }

    public init(json: JSON) throws {
        guard let name = json["name"]?.stringValue, let kind = json["kind"], let help = json["help"]?.stringValue else {
            throw OpsError.internalError("an argument in the catalog lacks its name, kind or help")
        }
        var spec = ArgumentSpec(name, try ArgumentKind(json: kind), help,
                                required: json["required"]?.boolValue ?? false,
                                positional: json["positional"]?.boolValue ?? false,
                                repeated: json["repeated"]?.boolValue ?? false,
                                valueName: json["value_name"]?.stringValue)
        if json["sensitive"]?.boolValue == true { spec = spec.sensitive() }
        if json["command"]?.boolValue == true { spec = spec.command() }
        self = spec
    }
}

extension ArgumentKind {
    var json: JSON {
        switch self {
        case .text: "text"
        case .multilineText: "multiline-text"
        case .key: "key"
        case .integer(let range): ["integer": [.int(range.lowerBound), .int(range.upperBound)]]
        case .choice(let values): ["choice": .array(values.map(JSON.string))]
        case .time: "time"
        case .date: "date"
        case .duration: "duration"
        case .email: "email"
        case .file: "file"
        case .binaryFile: "binary-file"
        case .outputFile: "output-file"
        case .flag: "flag"
        }
    }

    init(json: JSON) throws {
        if let bounds = json["integer"]?.arrayValue, bounds.count == 2,
           let low = bounds[0].intValue, let high = bounds[1].intValue, low <= high {
            self = .integer(low...high)
            return
        }
        if let values = json["choice"]?.arrayValue {
            self = .choice(values.compactMap(\.stringValue))
            return
        }
        switch json.stringValue {
        case "text": self = .text
        case "multiline-text": self = .multilineText
        case "key": self = .key
        case "time": self = .time
        case "date": self = .date
        case "duration": self = .duration
        case "email": self = .email
        case "file": self = .file
        case "binary-file": self = .binaryFile
        case "output-file": self = .outputFile
        case "flag": self = .flag
        default: throw OpsError.internalError("unknown argument kind in the catalog: \(json.serialized())")
        }
    }
}
