import Foundation

/// An argument declared by a command, type-erased so a command can list
/// arguments of different value types. Made only by `Required`, `Option`,
/// `Repeated` and `Flag`.
public protocol DeclaredArgument: Sendable {
    var spec: ArgumentSpec { get }
    /// The typed value of validated `text` (an array of them when repeated).
    func decode(_ text: [String], time: LocalTime) throws -> any Sendable
}

/// Required, Option and Repeated: a spec and the type its text is read as.
public protocol ValueArgument: DeclaredArgument {
    associatedtype Value: Sendable
    var type: ArgumentType<Value> { get }
    init(spec: ArgumentSpec, type: ArgumentType<Value>)
}

extension ValueArgument {
    /// Marks it as holding secrets: redacted in the audit trail.
    public func sensitive() -> Self { Self(spec: spec.sensitive(), type: type) }

    /// Marks it as a command opsd runs: only an admin may give it.
    public func command() -> Self { Self(spec: spec.command(), type: type) }
}

/// An argument the command cannot run without: read back as `Value`.
public struct Required<Value: Sendable>: ValueArgument {
    public let spec: ArgumentSpec
    public let type: ArgumentType<Value>

    public init(spec: ArgumentSpec, type: ArgumentType<Value>) {
        self.spec = spec
        self.type = type
    }

    /// `--name VALUE`, required.
    public static func named(_ name: String, _ type: ArgumentType<Value>, _ help: String,
                             valueName: String? = nil) -> Self {
        Self(spec: .option(name, type.kind, help, required: true, valueName: valueName), type: type)
    }

    /// A positional `VALUE`, required.
    public static func positional(_ name: String, _ type: ArgumentType<Value>, _ help: String,
                                  valueName: String? = nil) -> Self {
        Self(spec: .positional(name, type.kind, help, required: true, valueName: valueName), type: type)
    }

    public func decode(_ text: [String], time: LocalTime) throws -> any Sendable {
        try single(text, spec, type, time)
    }
}

/// An argument that may be left out: read back as `Value?`.
public struct Option<Value: Sendable>: ValueArgument {
    public let spec: ArgumentSpec
    public let type: ArgumentType<Value>

    public init(spec: ArgumentSpec, type: ArgumentType<Value>) {
        self.spec = spec
        self.type = type
    }

    public static func named(_ name: String, _ type: ArgumentType<Value>, _ help: String,
                             valueName: String? = nil) -> Self {
        Self(spec: .option(name, type.kind, help, valueName: valueName), type: type)
    }

    public static func positional(_ name: String, _ type: ArgumentType<Value>, _ help: String,
                                  valueName: String? = nil) -> Self {
        Self(spec: .positional(name, type.kind, help, required: false, valueName: valueName), type: type)
    }

    public func decode(_ text: [String], time: LocalTime) throws -> any Sendable {
        try single(text, spec, type, time)
    }
}

/// An option that may be given several times: read back as `[Value]`
/// (empty when absent).
public struct Repeated<Value: Sendable>: ValueArgument {
    public let spec: ArgumentSpec
    public let type: ArgumentType<Value>

    public init(spec: ArgumentSpec, type: ArgumentType<Value>) {
        self.spec = spec
        self.type = type
    }

    public static func named(_ name: String, _ type: ArgumentType<Value>, _ help: String, required: Bool = false,
                             valueName: String? = nil) -> Self {
        Self(spec: .option(name, type.kind, help, required: required, repeated: true, valueName: valueName), type: type)
    }

    public func decode(_ text: [String], time: LocalTime) throws -> any Sendable {
        try text.map { try type.decode($0, time) }
    }
}

/// A switch: present or absent, read back as `Bool`.
public struct Flag: DeclaredArgument {
    public let spec: ArgumentSpec

    public static func named(_ name: String, _ help: String) -> Self {
        Self(spec: .flag(name, help))
    }

    public func decode(_ text: [String], time: LocalTime) throws -> any Sendable { true }
}

/// The value of a single-valued argument (required or optional alike).
private func single<Value>(_ text: [String], _ spec: ArgumentSpec, _ type: ArgumentType<Value>,
                           _ time: LocalTime) throws -> Value {
    guard let first = text.first else { throw OpsError.usage("missing \(spec.usage)") }
    return try type.decode(first, time)
}
