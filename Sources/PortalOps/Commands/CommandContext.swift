import OpsProtocol
import SQLite

/// What a handler gets: the write connection (already inside the request's
/// transaction), the caller, the time and the validated arguments.
public struct CommandContext {
    public let db: Connection
    public let caller: Caller
    /// "Now" for this request, from the injected clock, UTC milliseconds.
    public let now: Int64
    public let time: LocalTime
    public let arguments: Arguments
    /// The console's capabilities (for commands about all of them: `status`,
    /// `policy list`).
    public let registry: Registry
    /// Other programs and the data directory, for jobs.
    public let environment: any JobEnvironment

    public init(db: Connection, caller: Caller, now: Int64, time: LocalTime, arguments: Arguments,
                registry: Registry, environment: any JobEnvironment) {
        self.db = db
        self.caller = caller
        self.now = now
        self.time = time
        self.arguments = arguments
        self.registry = registry
        self.environment = environment
    }

    /// The caller's user; handlers only run for known, enabled users.
    public var user: User {
        get throws {
            guard let user = caller.user else { throw OpsError.permission("uid \(caller.uid) has no account") }
            return user
        }
    }
}

/// The function bound to one catalog entry. It runs inside the request's
/// transaction on the writer; throwing rolls everything back.
public typealias CommandHandler = @Sendable (CommandContext) throws -> Response

extension CommandContext {
    /// The typed value of a declared argument: `context[Open.severity]`.
    public subscript<V>(_ argument: Required<V>) -> V { get throws { try arguments[argument] } }
    public subscript<V>(_ argument: Option<V>) -> V? { get throws { try arguments[argument] } }
    public subscript<V>(_ argument: Repeated<V>) -> [V] { get throws { try arguments[argument] } }
    public subscript(_ argument: Flag) -> Bool { arguments[argument] }
}
