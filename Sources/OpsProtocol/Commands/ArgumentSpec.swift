import Foundation
/// The type of a command argument. Both `opsctl` (to fail fast with exit 2)
/// and `opsd` (which trusts no client) validate with the same code.
public enum ArgumentKind: Sendable, Equatable {
    /// Free text on one line, normalised to NFC.
    case text
    /// Free text that may hold line breaks (details, reviews, notes): CRLF
    /// and CR-free; newline is the only control besides tab it may hold.
    case multilineText
    /// A record key: lower-case letters, digits, '-', '_', '.'.
    case key
    case integer(ClosedRange<Int64>)
    case choice([String])
    /// `2026-12-12 22:00` (configured zone) or ISO 8601 with an offset.
    case time
    /// `2026-12-12`
    case date
    /// `90s`, `15m`, `2h`, `3d`, `5wd`
    case duration
    case email
    /// A path on the caller's side: `opsctl` reads the file and sends its
    /// text, since the daemon's user may not be able to read it.
    case file
    /// A path on the caller's side to a binary file (a signed PDF): `opsctl`
    /// reads it and sends its bytes in base64.
    case binaryFile
    /// A path on the caller's side that `opsctl` writes the command's
    /// output to; never sent to the daemon.
    case outputFile
    /// A boolean switch: present or absent, takes no value.
    case flag

    /// What `--help` shows in place of the value.
    public var placeholder: String {
        switch self {
        case .text, .multilineText: "TEXT"
        case .key: "KEY"
        case .integer: "N"
        case .choice(let values): values.joined(separator: "|")
        case .time: "TIME"
        case .date: "DATE"
        case .duration: "DURATION"
        case .email: "ADDR"
        case .file, .binaryFile, .outputFile: "FILE"
        case .flag: ""
        }
    }
}

/// One argument of a command: `--name VALUE`, a bare `--flag`, or a
/// positional value.
public struct ArgumentSpec: Sendable {
    public let name: String
    public let kind: ArgumentKind
    public let help: String
    public let isRequired: Bool
    public let isPositional: Bool
    public let isRepeated: Bool
    /// Overrides the placeholder shown in help (e.g. `NAME`, `UID`).
    public let valueName: String?
    /// Its value may hold a secret (a password in a command, a token in a
    /// URL): the audit trail keeps it redacted, with the SHA-256 of what was typed.
    public private(set) var isSensitive = false
    /// Its value is a command opsd runs with its own rights: only an admin
    /// may give it (and it is sensitive too).
    public private(set) var isCommand = false

    public init(_ name: String, _ kind: ArgumentKind, _ help: String, required: Bool = false,
                positional: Bool = false, repeated: Bool = false, valueName: String? = nil) {
        self.name = name
        self.kind = kind
        self.help = help
        self.isRequired = required
        self.isPositional = positional
        self.isRepeated = repeated
        self.valueName = valueName
    }

    public static func positional(_ name: String, _ kind: ArgumentKind, _ help: String,
                                  required: Bool = true, valueName: String? = nil) -> ArgumentSpec {
        ArgumentSpec(name, kind, help, required: required, positional: true, valueName: valueName)
    }

    public static func option(_ name: String, _ kind: ArgumentKind, _ help: String, required: Bool = false,
                              repeated: Bool = false, valueName: String? = nil) -> ArgumentSpec {
        ArgumentSpec(name, kind, help, required: required, repeated: repeated, valueName: valueName)
    }

    public static func flag(_ name: String, _ help: String) -> ArgumentSpec {
        ArgumentSpec(name, .flag, help)
    }

    /// The same argument, marked as holding secrets.
    public func sensitive() -> ArgumentSpec {
        var copy = self
        copy.isSensitive = true
        return copy
    }

    /// The same argument, marked as a command opsd runs (admin only, sensitive).
    public func command() -> ArgumentSpec {
        var copy = sensitive()
        copy.isCommand = true
        return copy
    }

    /// How the argument appears in a usage line.
    public var usage: String {
        let value = valueName ?? kind.placeholder
        let body: String
        if isPositional {
            body = value
        } else if kind == .flag {
            body = "--\(name)"
        } else {
            body = "--\(name) \(value)"
        }
        let repeated = isRepeated ? "..." : ""
        return isRequired ? body + repeated : "[\(body)]" + repeated
    }
}
