import Foundation
import PortalOps
import SQLite
import Synchronization

/// The one writer. Owns the write connection; every request runs here, one
/// at a time, each in its own savepoint with its audit entry.
///
/// Group commit: requests that arrive while a commit is being written wait
/// together and are then run in one transaction, one fsync for all of them.
/// Each still succeeds or fails on its own (a savepoint each), and none is
/// answered before the transaction holding it has committed, so an
/// acknowledged change is durable and a refused one leaves only its refusal.
///
/// `@unchecked Sendable`: `db` is touched only on `queue`, which is the
/// invariant SQLite's no-mutex mode needs.
public final class Dispatcher: @unchecked Sendable {
    private let queue = DispatchQueue(label: "opsd.writer")
    private let db: Connection
    private let clock: any Clock
    private let time: LocalTime
    private let log: Log
    private var handlers: [String: CommandHandler] = [:]
    private var jobs: [String: JobHandler] = [:]
    private var shuttingDown = false
    private let pending = Mutex<[Ticket]>([])
    /// Called after every batch commits (the delivery worker's poke), so
    /// what a command queued goes out without waiting for the next poll.
    var afterCommit: (@Sendable () -> Void)?
    /// Cached `server.idle_timeout`, read by connection threads.
    let idleTimeout = Mutex<Int64>(300_000)

    /// The most requests one transaction holds; a long queue is cut into
    /// batches so the first callers are not kept waiting for the last.
    static let maximumBatch = 256

    init(db: Connection, clock: any Clock, time: LocalTime, log: Log) {
        self.db = db
        self.clock = clock
        self.time = time
        self.log = log
    }

    /// Binds the handlers; refuses to start if a catalog entry has none or a
    /// handler has no catalog entry, so the two can never drift apart.
    func bind(_ table: [String: CommandHandler], jobs: [String: JobHandler] = [:]) throws {
        let declared = Set(Catalog.commands.map(\.name))
        let bound = Set(table.keys).union(jobs.keys)
        guard declared == bound else {
            throw OpsError.internalError("catalog and handlers differ: unbound \(declared.subtracting(bound).sorted()), undeclared \(bound.subtracting(declared).sorted())")
        }
        handlers = table
        self.jobs = jobs
        try queue.sync { try reloadSettings() }
    }

    private func reloadSettings() throws {
        let timeout = try PolicyStore(db).milliseconds(PolicyDefinition.named("server.idle_timeout")!)
        idleTimeout.withLock { $0 = timeout }
    }

    /// A job prepared in a batch, waiting to run off the writer.
    struct PendingJob: @unchecked Sendable {
        let job: PreparedJob
        let spec: CommandSpec
        let caller: Caller
        let arguments: Arguments
    }

    /// Handles raw request lines from one peer, in order; returns a response
    /// for each once they are committed, and the jobs prepared for some
    /// lines (their responses come from `run`).
    func handleWithJobs(lines: [[UInt8]], peer: PeerCredentials) -> (responses: [Response], jobs: [Int: PendingJob]) {
        let ticket = Ticket(lines: lines, peer: peer)
        pending.withLock { $0.append(ticket) }
        // Run on this thread when the writer is free (no thread hop); when
        // it is busy, wait for it and then run whatever has piled up,
        // this ticket included unless another caller's drain took it.
        queue.sync { drain() }
        ticket.done.wait()
        return (ticket.responses, ticket.jobs)
    }

    /// Runs a job command on the daemon's own behalf (the scheduler): the
    /// same preparation, work and audit as a request, with "opsd" as actor.
    func runInternal(_ command: String, arguments: [String: JSON], peer: PeerCredentials) -> Response {
        guard let spec = Catalog.command(command), let prepare = jobs[command] else {
            return Response(error: .internalError("\(command) is not a job"))
        }
        let caller = Caller(uid: peer.uid, pid: peer.pid, user: .daemon(uid: peer.uid))
        let prepared: PendingJob
        do {
            prepared = try queue.sync {
                let arguments = try spec.validate(arguments, time: time)
                let context = CommandContext(db: db, caller: caller, now: clock.now(), time: time, arguments: arguments)
                let job = try db.transaction { try prepare(context) }
                return PendingJob(job: job, spec: spec, caller: caller, arguments: arguments)
            }
        } catch {
            let failure = (error as? OpsError) ?? .internalError("\(error)")
            queue.sync {
                var events: [String] = []
                refuse(failure, command: command, arguments: arguments, caller: caller, events: &events)
                events.forEach(log.event)
            }
            return Response(error: failure)
        }
        return run(prepared) { _ in }
    }

    /// Runs a prepared job's work on the calling thread (off the writer),
    /// then records its outcome and audit entry on the writer.
    func run(_ pending: PendingJob, progress: @escaping @Sendable (String) -> Void) -> Response {
        let result: Result<JSON, OpsError>
        do {
            result = .success(try pending.job.work(progress))
        } catch let error as OpsError {
            result = .failure(error)
        } catch {
            result = .failure(.internalError("\(error)"))
        }
        return queue.sync {
            var events: [String] = []
            let now = clock.now()
            let context = CommandContext(db: db, caller: pending.caller, now: now, time: time, arguments: pending.arguments)
            let caller = pending.caller
            do {
                let response = try db.transaction {
                    let response = try pending.job.finish(context, result)
                    let outcome = response.error?.kind ?? "ok"
                    try AuditLog(db).append(at: now, actor: caller.actorName, uid: Int64(caller.uid), pid: Int64(caller.pid),
                                            command: pending.spec.name, arguments: .object(pending.arguments.values), outcome: outcome,
                                            detail: response.error?.message ?? response.message ?? "")
                    return response
                }
                events.append("\(caller.actorName) \(pending.spec.name): \(response.error?.message ?? response.message ?? "ok")")
                events.forEach(log.event)
                afterCommit?()
                return response
            } catch {
                let failure = OpsError.internalError("\(pending.spec.name) could not record its outcome: \(error)")
                refuse(failure, command: pending.spec.name, arguments: pending.arguments.values, caller: caller, events: &events)
                events.forEach(log.event)
                return Response(error: failure)
            }
        }
    }

    /// Runs internal work (the delivery worker's claims and outcomes) on the
    /// writer, in a transaction of its own, with the clock's "now". Not
    /// audited: it changes no one's configuration, and its results are
    /// recorded in the tables the work owns (the attempts of a delivery).
    func write<T>(_ body: (Connection, Int64) throws -> T) throws -> T {
        try queue.sync { try db.transaction { try body(db, clock.now()) } }
    }

    /// Reads on the writer's connection (consistent with what it wrote).
    func read<T>(_ body: (Connection, Int64) throws -> T) throws -> T {
        try queue.sync { try body(db, clock.now()) }
    }

    /// Answers a request that could not be read (too long), recording the refusal.
    func refuseUnread(_ error: OpsError, peer: PeerCredentials) -> Response {
        queue.sync {
            let caller = (try? lookUp(peer)) ?? Caller(uid: peer.uid, pid: peer.pid, user: nil)
            var events: [String] = []
            do {
                try db.transaction { try recordRefusal(error, command: "-", arguments: [:], caller: caller, events: &events) }
            } catch {
                log.event("could not record a refusal in the audit trail: \(error)")
            }
            events.forEach(log.event)
            return Response(error: error)
        }
    }

    /// Stops taking requests and folds the WAL into the database file.
    func shutDown() {
        queue.sync {
            shuttingDown = true
            drain()
            do { try db.checkpoint() } catch { log.event("checkpoint at shutdown failed: \(error)") }
        }
    }

    // MARK: - On the writer queue

    /// Runs everything waiting, in batches, one transaction per batch.
    private func drain() {
        while true {
            let batch = pending.withLock { waiting -> [Ticket] in
                var taken: [Ticket] = []
                var count = 0
                while let first = waiting.first, taken.isEmpty || count + first.lines.count <= Self.maximumBatch {
                    taken.append(waiting.removeFirst())
                    count += first.lines.count
                }
                return taken
            }
            if batch.isEmpty { return }
            run(batch)
        }
    }

    private func run(_ batch: [Ticket]) {
        if shuttingDown {
            for ticket in batch {
                ticket.responses = ticket.lines.map { _ in Response(error: .internalError("opsd is shutting down; retry when it is back")) }
                ticket.done.signal()
            }
            return
        }
        var events: [String] = []
        var reload = false
        do {
            try db.transaction {
                for ticket in batch {
                    ticket.responses = []
                    for (index, line) in ticket.lines.enumerated() {
                        var job: PendingJob?
                        ticket.responses.append(execute(line: line, peer: ticket.peer, events: &events, reload: &reload, job: &job))
                        if let job { ticket.jobs[index] = job }
                    }
                }
            }
        } catch {
            // The commit itself failed (disk full, I/O error): nothing in the
            // batch happened, and no one is told it did.
            let failure = OpsError.internalError("the change could not be committed: \(error); nothing was done")
            for ticket in batch {
                ticket.responses = ticket.lines.map { _ in Response(error: failure) }
                ticket.jobs = [:]
            }
            events = ["commit of \(batch.count) request(s) failed: \(error)"]
        }
        events.forEach(log.event)
        if reload {
            do { try reloadSettings() } catch { log.event("could not reload settings: \(error)") }
        }
        for ticket in batch { ticket.done.signal() }
        afterCommit?()
    }

    private func lookUp(_ peer: PeerCredentials) throws -> Caller {
        let user = try UserStore(db).byUID(peer.uid)
        return Caller(uid: peer.uid, pid: peer.pid, user: user?.disabled == false ? user : nil)
    }

    /// One request, inside the batch's transaction: its changes and its
    /// audit entry in a savepoint of their own; on refusal, only the refusal.
    private func execute(line: [UInt8], peer: PeerCredentials, events: inout [String], reload: inout Bool,
                         job: inout PendingJob?) -> Response {
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
            let now = clock.now()
            let context = CommandContext(db: db, caller: caller, now: now, time: time, arguments: arguments)
            if let prepare = jobs[spec.name] {
                // Checked and started here; run and recorded after the batch commits.
                let prepared = try db.transaction { try prepare(context) }
                job = PendingJob(job: prepared, spec: spec, caller: caller, arguments: arguments)
                return Response(message: "(running)")
            }
            guard let handler = handlers[spec.name] else { throw OpsError.internalError("no handler for \(spec.name)") }
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
            if spec.audit == .changes { events.append("\(caller.actorName) \(spec.name): \(response.message ?? "ok")") }
            if spec.noun == "policy" { reload = true }
            return response
        } catch let refusal as Refusal {
            refuse(refusal.error, command: commandName, arguments: rawArguments, caller: caller, events: &events)
            return refusal.response
        } catch let error as OpsError {
            refuse(error, command: commandName, arguments: rawArguments, caller: caller, events: &events)
            return Response(error: error)
        } catch {
            let failure = OpsError.internalError("\(commandName) failed inside opsd: \(error)")
            refuse(failure, command: commandName, arguments: rawArguments, caller: caller, events: &events)
            return Response(error: failure)
        }
    }

    private func refuse(_ error: OpsError, command: String, arguments: [String: JSON], caller: Caller, events: inout [String]) {
        do {
            try db.transaction { try recordRefusal(error, command: command, arguments: arguments, caller: caller, events: &events) }
        } catch {
            events.append("could not record a refusal in the audit trail: \(error)")
        }
    }

    /// The change was undone; the fact that it was asked for is kept.
    private func recordRefusal(_ error: OpsError, command: String, arguments: [String: JSON], caller: Caller,
                               events: inout [String]) throws {
        events.append("refused \(caller.actorName) (pid \(caller.pid)) \(command): \(error.kind): \(error.message)")
        try AuditLog(db).append(at: clock.now(), actor: caller.actorName, uid: Int64(caller.uid), pid: Int64(caller.pid),
                                command: command, arguments: .object(arguments), outcome: error.kind, detail: error.message)
    }

    /// A handler's answer that reports failure: rolls its changes back but
    /// keeps the data the handler attached (e.g. where verification failed).
    private struct Refusal: Error {
        let error: OpsError
        let response: Response
    }

    /// Requests from one connection waiting for their batch to commit.
    private final class Ticket: @unchecked Sendable {
        let lines: [[UInt8]]
        let peer: PeerCredentials
        /// Written on the writer queue before `done` is signalled, read after.
        var responses: [Response] = []
        /// Jobs prepared for some of the lines, by line index: their work
        /// runs after the batch commits, their response replaces the placeholder.
        var jobs: [Int: PendingJob] = [:]
        let done = DispatchSemaphore(value: 0)

        init(lines: [[UInt8]], peer: PeerCredentials) {
            self.lines = lines
            self.peer = peer
        }
    }
}
