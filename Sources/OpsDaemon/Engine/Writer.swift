import Foundation
import OpsProtocol
import PortalOps
import SQLite

/// The one writer. Owns the write connection; every admitted request runs
/// here, one at a time, each in its own savepoint with its audit entry.
///
/// Group commit: requests that arrive while a commit is being written wait
/// together and are then run in one transaction, one fsync for all of them.
/// Each still succeeds or fails on its own (a savepoint each), and none is
/// answered before the transaction holding it has committed, so an
/// acknowledged change is durable and a refused one leaves only its refusal.
///
/// `@unchecked Sendable`: `db` is touched only on `queue`, which is the
/// invariant SQLite's no-mutex mode needs.
final class Writer: @unchecked Sendable {
    /// What became of one request: answered, or a job prepared to run
    /// beside the writer (its answer comes from the job runner).
    enum Outcome: @unchecked Sendable {
        case answered(Response)
        case job(PendingJob)
    }

    /// A job prepared on the writer, waiting to run off it.
    struct PendingJob: @unchecked Sendable {
        /// Its row in `jobs`, written with its "started" audit entry at admission.
        let id: Int64
        let job: PreparedJob
        let spec: CommandSpec
        let caller: Caller
        let arguments: Arguments
    }

    private let queue = DispatchQueue(label: "opsd.writer")
    private let db: Connection
    private let clock: any Clock
    private let time: LocalTime
    private let log: Log
    private let registry: Registry
    private let environment: any JobEnvironment
    private let audit = AuditRecorder()
    private var shuttingDown = false
    private let pending = Locked<[Ticket]>([])
    /// Called after every batch commits (the delivery worker's poke), so
    /// what a command queued goes out without waiting for the next poll.
    var afterCommit: (@Sendable () -> Void)?
    /// Called on the writer, with its connection, after a batch that ran a
    /// `policy` command (settings may have changed).
    var afterPolicyChange: (@Sendable (Connection) -> Void)?
    /// Requests, refusals and batches, for `opsctl metrics` and `--metrics-file`.
    let metrics: DaemonMetrics

    /// The most requests one transaction holds; a long queue is cut into
    /// batches so the first callers are not kept waiting for the last.
    static let maximumBatch = 256

    init(db: Connection, clock: any Clock, time: LocalTime, log: Log, registry: Registry,
         environment: any JobEnvironment, metrics: DaemonMetrics = DaemonMetrics()) {
        self.metrics = metrics
        metrics.know(registry.commands.map(\.name))
        self.db = db
        self.clock = clock
        self.time = time
        self.log = log
        self.registry = registry
        self.environment = environment
    }

    /// Runs admitted requests (and records rejected ones) from one peer, in
    /// order, in the next batch; returns once that batch has committed.
    func submit(_ verdicts: [Admission.Verdict]) -> [Outcome] {
        let ticket = Ticket(verdicts: verdicts)
        pending.withLock { $0.append(ticket) }
        // Run on this thread when the writer is free (no thread hop); when
        // it is busy, wait for it and then run whatever has piled up,
        // this ticket included unless another caller's drain took it.
        queue.sync { drain() }
        ticket.done.wait()
        return ticket.outcomes
    }

    /// Prepares a job command on the writer for a caller that admission has
    /// not seen (opsd itself, for the scheduler).
    func prepare(_ command: Command, arguments raw: [String: JSON], caller: Caller) -> Result<PendingJob, OpsError> {
        queue.sync {
            do {
                let arguments = try command.arguments(raw, time: time)
                guard case .job(let prepare) = command.run else {
                    throw OpsError.internalError("\(command.name) is not a job")
                }
                let context = context(caller, arguments)
                let (id, job) = try db.transaction { try admitJob(prepare, command.spec, context) }
                return .success(PendingJob(id: id, job: job, spec: command.spec, caller: caller, arguments: arguments))
            } catch {
                let failure = (error as? OpsError) ?? .internalError("\(error)")
                log.event(audit.refusal(db, at: clock.now(), error: failure, command: command.name, arguments: raw,
                                        caller: caller))
                return .failure(failure)
            }
        }
    }

    /// Records a job's outcome and its audit entry, in a transaction of its own.
    func finish(_ pending: PendingJob, _ result: Result<JSON, OpsError>) -> Response {
        queue.sync {
            let now = clock.now()
            let caller = pending.caller
            do {
                let response = try db.transaction {
                    let response = try pending.job.finish(context(caller, pending.arguments), result)
                    let detail = response.error?.message ?? response.message ?? ""
                    try JobStore(db).finish(pending.id, state: response.error == nil ? .done : .failed, detail: detail,
                                            now: now)
                    try audit.record(db, at: now, caller: caller, command: pending.spec.name,
                                     arguments: pending.arguments.values, outcome: response.error?.kind ?? "ok",
                                     detail: detail)
                    return response
                }
                if let error = response.error { metrics.refusal(pending.spec.name, error: error) }
                let outcome = response.error?.message ?? response.message ?? "ok"
                log.event("\(caller.actorName) \(pending.spec.name): \(outcome)")
                afterCommit?()
                return response
            } catch {
                let failure = OpsError.internalError("\(pending.spec.name) could not record its outcome: \(error)")
                log.event(audit.refusal(db, at: now, error: failure, command: pending.spec.name,
                                        arguments: pending.arguments.values, caller: caller))
                return Response(error: failure)
            }
        }
    }

    /// Runs internal work (the delivery worker's claims and outcomes, the
    /// scheduler's ticks) on the writer, in a transaction of its own, with
    /// the clock's "now". Audited by the work itself where it changes records.
    func write<T>(_ body: (Connection, Int64) throws -> T) throws -> T {
        try queue.sync { try db.transaction { try body(db, clock.now()) } }
    }

    /// Reads on the writer's connection (consistent with what it wrote).
    func read<T>(_ body: (Connection, Int64) throws -> T) throws -> T {
        try queue.sync { try body(db, clock.now()) }
    }

    /// Records a request refused before admission (too long, or from a uid
    /// without an account) and answers it.
    func refuse(_ error: OpsError, caller: Caller, command: String = "-", arguments: [String: JSON] = [:]) -> Response {
        queue.sync {
            metrics.request(command, error: error)
            log.event(audit.refusal(db, at: clock.now(), error: error, command: command, arguments: arguments,
                                    caller: caller))
            return Response(error: error)
        }
    }

    /// Writes the counts of refusals a `StrangerGate` did not record one by one.
    func recordSuppressed(_ summaries: [StrangerGate.Summary]) {
        guard !summaries.isEmpty else { return }
        queue.sync {
            for summary in summaries {
                let caller = Caller(uid: summary.uid, pid: 0, user: nil)
                let detail = "\(summary.count) more connection(s) from uid \(summary.uid) refused (no enabled account) "
                    + "from \(time.format(summary.from)) to \(time.format(summary.to)); recorded as this one entry"
                log.event(audit.refusal(db, at: clock.now(), error: .permission(detail), command: "-", arguments: [:],
                                        caller: caller))
            }
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

    private func context(_ caller: Caller, _ arguments: Arguments) -> CommandContext {
        CommandContext(db: db, caller: caller, now: clock.now(), time: time, arguments: arguments, registry: registry,
                       environment: environment)
    }

    /// Prepares a job and records that it started: its `jobs` row and its
    /// "started" audit entry, in the caller's transaction, so a job cut by a
    /// stop (even kill -9) is found and recorded failed at the next start.
    private func admitJob(_ prepare: JobHandler, _ spec: CommandSpec, _ context: CommandContext) throws
        -> (Int64, PreparedJob) {
        let job = try prepare(context)
        let id = try JobStore(db).start(command: spec.name, actor: context.caller.actorName, now: context.now)
        try audit.record(db, at: context.now, caller: context.caller, command: spec.name,
                         arguments: context.arguments.values, outcome: "started", detail: "job \(id) started")
        return (id, job)
    }

    /// Runs everything waiting, in batches, one transaction per batch.
    private func drain() {
        while true {
            let batch = pending.withLock { waiting -> [Ticket] in
                var taken: [Ticket] = []
                var count = 0
                while let first = waiting.first, taken.isEmpty || count + first.verdicts.count <= Self.maximumBatch {
                    taken.append(waiting.removeFirst())
                    count += first.verdicts.count
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
                ticket.outcomes = ticket.verdicts.map { _ in
                    .answered(Response(error: .internalError("opsd is shutting down; retry when it is back")))
                }
                ticket.done.signal()
            }
            return
        }
        var events: [String] = []
        var policyChanged = false
        let started = DispatchTime.now().uptimeNanoseconds
        do {
            try db.transaction {
                for ticket in batch {
                    ticket.outcomes = ticket.verdicts.map {
                        execute($0, events: &events, policyChanged: &policyChanged)
                    }
                }
            }
            metrics.batch(size: batch.reduce(0) { $0 + $1.verdicts.count },
                          seconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
        } catch {
            // The commit itself failed (disk full, I/O error): nothing in the
            // batch happened, and no one is told it did.
            let failure = OpsError.internalError("the change could not be committed: \(error); nothing was done")
            for ticket in batch { ticket.outcomes = ticket.verdicts.map { _ in .answered(Response(error: failure)) } }
            events = ["commit of \(batch.count) request(s) failed: \(error)"]
        }
        for ticket in batch {
            for (verdict, outcome) in zip(ticket.verdicts, ticket.outcomes) { count(verdict, outcome) }
        }
        events.forEach(log.event)
        if policyChanged { afterPolicyChange?(db) }
        for ticket in batch { ticket.done.signal() }
        afterCommit?()
    }

    /// Counts a committed request by its command and, if refused, its kind.
    private func count(_ verdict: Admission.Verdict, _ outcome: Outcome) {
        let name: String
        switch verdict {
        case .rejected(let rejected): name = rejected.command
        case .admitted(let admitted): name = admitted.command.name
        }
        if case .answered(let response) = outcome {
            metrics.request(name, error: response.error)
        } else {
            metrics.request(name, error: nil)
        }
    }

    /// One request, inside the batch's transaction: its changes and its
    /// audit entry in a savepoint of their own; on refusal, only the refusal.
    private func execute(_ verdict: Admission.Verdict, events: inout [String], policyChanged: inout Bool) -> Outcome {
        let admitted: Admission.Admitted
        switch verdict {
        case .rejected(let rejected):
            events.append(audit.refusal(db, at: clock.now(), error: rejected.error, command: rejected.command,
                                        arguments: rejected.arguments, caller: rejected.caller))
            return .answered(Response(error: rejected.error))
        case .admitted(let request):
            admitted = request
        }
        let spec = admitted.command.spec
        let arguments = admitted.arguments
        var caller = admitted.caller
        do {
            // The account may have changed since admission read it.
            let user = try UserStore(db).byUID(caller.uid)
            caller = Caller(uid: caller.uid, pid: caller.pid, user: user?.disabled == false ? user : nil)
            try Admission.check(spec, caller: caller)
            let context = context(caller, arguments)
            switch admitted.command.run {
            case .job(let prepare):
                // Checked and started here; run and recorded after the batch commits.
                let (id, prepared) = try db.transaction { try admitJob(prepare, spec, context) }
                return .job(PendingJob(id: id, job: prepared, spec: spec, caller: caller, arguments: arguments))
            case .quick(let handler):
                let response = try db.transaction {
                    let response = try handler(context)
                    if let error = response.error { throw Refusal(error: error, response: response) }
                    if spec.audit != .none {
                        try audit.record(db, at: context.now, caller: caller, command: spec.name,
                                         arguments: arguments.values, outcome: "ok", detail: response.message ?? "")
                    }
                    return response
                }
                if spec.audit == .changes {
                    events.append("\(caller.actorName) \(spec.name): \(response.message ?? "ok")")
                }
                if spec.noun == "policy" { policyChanged = true }
                return .answered(response)
            }
        } catch let refusal as Refusal {
            events.append(audit.refusal(db, at: clock.now(), error: refusal.error, command: spec.name,
                                        arguments: arguments.values, caller: caller))
            return .answered(refusal.response)
        } catch {
            let failure = (error as? OpsError) ?? .internalError("\(spec.name) failed inside opsd: \(error)")
            events.append(audit.refusal(db, at: clock.now(), error: failure, command: spec.name,
                                        arguments: arguments.values, caller: caller))
            return .answered(Response(error: failure))
        }
    }

    /// A handler's answer that reports failure: rolls its changes back but
    /// keeps the data the handler attached (e.g. where verification failed).
    private struct Refusal: Error {
        let error: OpsError
        let response: Response
    }

    /// Requests from one connection waiting for their batch to commit.
    private final class Ticket: @unchecked Sendable {
        let verdicts: [Admission.Verdict]
        /// Written on the writer queue before `done` is signalled, read after.
        var outcomes: [Outcome] = []
        let done = DispatchSemaphore(value: 0)

        init(verdicts: [Admission.Verdict]) { self.verdicts = verdicts }
    }
}
