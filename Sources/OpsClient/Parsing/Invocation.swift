import OpsProtocol

/// What the command line asks for, before anything is sent.
enum Invocation: Equatable {
    /// Run `command` with raw argument values.
    case run(command: String, arguments: [String: JSON])
    /// Print help: the overview (nil), a noun's commands, or one command.
    case help(topic: String?)
    case version
}

/// Options that apply to every command.
struct GlobalOptions: Equatable {
    var json = false
    var socket: String?
}
