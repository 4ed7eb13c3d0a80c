import Foundation
/// What went wrong, in the terms of the exit codes in DESIGN.md. The message
/// is one sentence a person can act on: what was refused and what to do.
public enum OpsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A rule refused the command (exit 1).
    case refused(String)
    /// The command line or request was malformed (exit 2).
    case usage(String)
    /// The caller may not do this (exit 3).
    case permission(String)
    /// The daemon could not be reached (exit 4; raised by the client).
    case unreachable(String)
    /// A fault of the console itself (exit 5).
    case internalError(String)

    public var exitCode: Int32 {
        switch self {
        case .refused: 1
        case .usage: 2
        case .permission: 3
        case .unreachable: 4
        case .internalError: 5
        }
    }

    public var message: String {
        switch self {
        case .refused(let m), .usage(let m), .permission(let m), .unreachable(let m), .internalError(let m): m
        }
    }

    /// The outcome word recorded in the audit trail and sent on the wire.
    public var kind: String {
        switch self {
        case .refused: "refused"
        case .usage: "usage"
        case .permission: "denied"
        case .unreachable: "unreachable"
        case .internalError: "internal"
        }
    }

    public init(kind: String, message: String) {
        switch kind {
        case "refused": self = .refused(message)
        case "usage": self = .usage(message)
        case "denied": self = .permission(message)
        case "unreachable": self = .unreachable(message)
        default: self = .internalError(message)
        }
    }

    public var description: String { message }
}
