import Foundation
import PortalOps
import SQLite
import Synchronization

/// The one writer. Owns the write connection; every request runs here, one
/// at a time, in its own transaction with its audit entry.
///
/// `@unchecked Sendable`: `db` is touched only on `queue` (every public
/// method hops onto it), which is the invariant SQLite's no-mutex mode needs.
public final class Dispatcher: @unchecked Sendable {
    let queue = DispatchQueue(label: "opsd.writer")
    let db: Connection
    let clock: any Clock
    let time: LocalTime
    private var handlers: [String: CommandHandler] = [:]
    private var shuttingDown = false
    /// Cached `server.idle_timeout`, read by connection threads.
    let idleTimeout = Mutex<Int64>(300_000)
    let log: Log

    init(db: Connection, clock: any Clock, time: LocalTime, log: Log) {
        self.db = db
        self.clock = clock
        self.time = time
        self.log = log
    }

    /// Binds the handlers; refuses to start if a catalog entry has none or a
    /// handler has no catalog entry, so the two can never drift apart.
    func bind(_ table: [String: CommandHandler]) throws {
        let declared = Set(Catalog.commands.map(\.name))
        let bound = Set(table.keys)
        guard declared == bound else {
            throw OpsError.internalError("catalog and handlers differ: unbound \(declared.subtracting(bound).sorted()), undeclared \(bound.subtracting(declared).sorted())")
        }
        handlers = table
        try queue.sync { try reloadSettings() }
    }

    private func reloadSettings() throws {
        let timeout = try PolicyStore(db).milliseconds(PolicyDefinition.named("server.idle_timeout")!)
        idleTimeout.withLock { $0 = timeout }
    }

    /// Handles one raw request line from `peer`; returns the response.
    func handle(line: [UInt8], peer: PeerCredentials) -> Response {
        queue.sync { process(line: line, peer: peer) }
    }

    /// Answers a request that could not be read (too long), recording the refusal.
    func refuseUnread(_ error: OpsError, peer: PeerCredentials) -> Response {
        queue.sync {
            let caller = (try? lookUp(peer)) ?? Caller(uid: peer.uid, pid: peer.pid, user: nil)
            recordRefusal(error, command: "-", arguments: [:], caller: caller)
            return Response(error: error)
        }
    }

    /// Stops taking requests and folds the WAL into the database file.
    func shutDown() {
        queue.sync {
            shuttingDown = true
            do { try db.checkpoint() } catch { log.event("checkpoint at shutdown failed: \(error)") }
        }
    }

    // MARK: - On the writer queue

    private func lookUp(_ peer: PeerCredentials) throws -> Caller {
        let user = try UserStore(db).byUID(peer.uid)
        return Caller(uid: peer.uid, pid: peer.pid, user: user?.disabled == false ? user : nil)
    }

    private func process(line: [UInt8], peer: PeerCredentials) -> Response {
        if shuttingDown { return Response(error: .internalError("opsd is shutting down; retry when it is back")) }
        var caller = Caller(uid: peer.uid, pid: peer.pid, user: nil)
        var commandName = "-"
        var rawArguments: [String: JSON] = [:]
        do {
            caller = try lookUp(peer)
            let request: Request
            do {
                request = try Request(json: try JSON.parse(line))
            } catch let error as JSONParseError {
                throw OpsError.usage(error.description)
            }
            commandName = request.command
            rawArguments = request.arguments
            guard let spec = Catalog.command(request.command) else {
                let hint = Suggestion.nearest(to: request.command, among: Catalog.commands.map(\.name))
                throw OpsError.usage("unknown command '\(request.command)'" + (hint.map { "; did you mean '\($0)'?" } ?? ""))
            }
            guard let user = caller.user else {
                throw OpsError.permission("uid \(peer.uid) has no enabled account; an admin can add one with 'opsctl user add NAME --uid \(peer.uid) --role ROLE'")
            }
            guard spec.roles.contains(user.role) else {
                let allowed = spec.roles.sorted().map(\.rawValue).joined(separator: ", ")
                throw OpsError.permission("\(spec.words.joined(separator: " ")) needs role \(allowed); \(user.name) is \(user.role.rawValue)")
            }
            let arguments = try spec.validate(request.arguments, time: time)
            rawArguments = arguments.values
            guard let handler = handlers[spec.name] else { throw OpsError.internalError("no handler for \(spec.name)") }
            let now = clock.now()
            let context = CommandContext(db: db, caller: caller, now: now, time: time, arguments: arguments)
            let response = try db.transaction {
                let response = try handler(context)
                if let error = response.error { throw Refusal(error: error, response: response) }
                if spec.audit != .none {
                    try AuditLog(db).append(at: now, actor: caller.actorName, uid: Int64(caller.uid), pid: Int64(caller.pid),
                                            command: spec.name, arguments: .object(arguments.values), outcome: "ok",
                                            detail: response.message ?? "")
                }
                return response
            }
            if spec.audit == .changes {
                log.event("\(caller.actorName) \(spec.name): \(response.message ?? "ok")")
            }
            if spec.noun == "policy" { try reloadSettings() }
            return response
        } catch let refusal as Refusal {
            recordRefusal(refusal.error, command: commandName, arguments: rawArguments, caller: caller)
            return refusal.response
        } catch let error as OpsError {
            recordRefusal(error, command: commandName, arguments: rawArguments, caller: caller)
            return Response(error: error)
        } catch {
            let failure = OpsError.internalError("\(commandName) failed inside opsd: \(error)")
            recordRefusal(failure, command: commandName, arguments: rawArguments, caller: caller)
            return Response(error: failure)
        }
    }

    /// Records a refusal in its own transaction: the change it refused was
    /// rolled back, the fact that it was asked for is kept.
    private func recordRefusal(_ error: OpsError, command: String, arguments: [String: JSON], caller: Caller) {
        log.event("refused \(caller.actorName) (pid \(caller.pid)) \(command): \(error.kind): \(error.message)")
        do {
            try db.transaction {
                try AuditLog(db).append(at: clock.now(), actor: caller.actorName, uid: Int64(caller.uid),
                                        pid: Int64(caller.pid), command: command, arguments: .object(arguments),
                                        outcome: error.kind, detail: error.message)
            }
        } catch {
            log.event("could not record a refusal in the audit trail: \(error)")
        }
    }

    /// A handler's answer that reports failure: rolls the transaction back
    /// but keeps the data the handler attached (e.g. where verification failed).
    private struct Refusal: Error {
        let error: OpsError
        let response: Response
    }
}
