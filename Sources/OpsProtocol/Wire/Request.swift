import Foundation
/// One request from `opsctl` to `opsd`: a command name from the catalog and
/// its raw arguments. Sent as one line of JSON over the Unix socket.
public struct Request: Sendable, Equatable {
    public let command: String
    public let arguments: [String: JSON]

    /// The largest request the daemon reads; anything longer is refused
    /// without being parsed.
    public static let maximumBytes = 1 << 20

    public init(command: String, arguments: [String: JSON]) {
        self.command = command
        self.arguments = arguments
    }

    public var json: JSON { ["command": .string(command), "args": .object(arguments)] }

    public init(json: JSON) throws {
        guard let command = json["command"]?.stringValue else {
            throw OpsError.usage("request has no \"command\" string")
        }
        let args = json["args"] ?? .object([:])
        guard let arguments = args.objectValue else {
            throw OpsError.usage("request \"args\" must be an object")
        }
        self.init(command: command, arguments: arguments)
    }
}
