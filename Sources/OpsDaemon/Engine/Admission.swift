import OpsProtocol
import PortalOps
import SQLite

/// The first step of every request, off the writer: decode the line, find
/// the caller's account, check the role, validate and type the arguments.
/// What it admits, the writer runs; what it rejects, the writer only records.
final class Admission: @unchecked Sendable {
    /// A request ready to run.
    struct Admitted: @unchecked Sendable {
        let command: Command
        let caller: Caller
        let arguments: Arguments
    }

    /// A request refused before it ran, with what the audit entry records.
    struct Rejected: Sendable {
        let error: OpsError
        let command: String
        let arguments: [String: JSON]
        let caller: Caller
    }

    enum Verdict: @unchecked Sendable {
        case admitted(Admitted)
        case rejected(Rejected)
    }

    private let registry: Registry
    private let time: LocalTime
    private let readers: ReaderPool

    init(registry: Registry, time: LocalTime, readers: ReaderPool) {
        self.registry = registry
        self.time = time
        self.readers = readers
    }

    /// The enabled account of `peer`'s uid, or none.
    func caller(_ peer: PeerCredentials) throws -> Caller {
        let user = try readers.with { try UserStore($0).byUID(peer.uid) }
        return Caller(uid: peer.uid, pid: peer.pid, user: user?.disabled == false ? user : nil)
    }

    func admit(_ line: [UInt8], peer: PeerCredentials) -> Verdict {
        var caller = Caller(uid: peer.uid, pid: peer.pid, user: nil)
        var name = "-"
        var raw: [String: JSON] = [:]
        do {
            caller = try self.caller(peer)
            let request: Request
            do {
                request = try Request(json: try JSON.parse(line))
            } catch let error as JSONParseError {
                throw OpsError.usage(error.description)
            }
            name = request.command
            raw = request.arguments
            guard let command = registry.command(request.command) else {
                let hint = Suggestion.nearest(to: request.command, among: registry.commands.map(\.name))
                let suggestion = hint.map { "; did you mean '\($0)'?" } ?? ""
                throw OpsError.usage("unknown command '\(request.command)'" + suggestion)
            }
            try Self.check(command.spec, caller: caller)
            let arguments = try command.arguments(request.arguments, time: time)
            return .admitted(Admitted(command: command, caller: caller, arguments: arguments))
        } catch let error as OpsError {
            return .rejected(Rejected(error: error, command: name, arguments: raw, caller: caller))
        } catch {
            let failure = OpsError.internalError("\(name) could not be admitted: \(error)")
            return .rejected(Rejected(error: failure, command: name, arguments: raw, caller: caller))
        }
    }

    /// Refuses a caller without an enabled account or without a role the
    /// command allows. The writer checks again inside the transaction, so a
    /// role changed meanwhile is honoured.
    static func check(_ spec: CommandSpec, caller: Caller) throws {
        guard let user = caller.user else {
            throw OpsError.permission("uid \(caller.uid) has no enabled account; an admin can add one with "
                                      + "'opsctl user add NAME --uid \(caller.uid) --role ROLE'")
        }
        guard spec.roles.contains(user.role) else {
            let allowed = spec.roles.sorted().map(\.rawValue).joined(separator: ", ")
            throw OpsError.permission("\(spec.words.joined(separator: " ")) needs role \(allowed); "
                                      + "\(user.name) is \(user.role.rawValue)")
        }
    }
}
