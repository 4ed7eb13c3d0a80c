import Foundation
import OpsProtocol
import PortalOps
import SQLite

/// Plain reads — quick commands whose catalog entry says `audit: none` —
/// run on a pooled read-only connection, on the caller's own thread, in one
/// read transaction each; everything else goes to the one writer.
///
/// Before this, every `status` and `incident list` waited in the writer's
/// queue behind every write, and each costly read delayed every write (the
/// soak: p50 above a second at 500 clients). A read needs neither: WAL gives
/// it a snapshot that includes every commit already acknowledged, so a
/// client that wrote and then reads sees its write. The connection is
/// opened read-only, so a handler that tried to write would be refused by
/// SQLite, not half-done.
///
/// A read the handler refuses (not found, not allowed to see) is still
/// recorded in the audit trail, through the writer, as every refusal is.
/// The caller's account and role are those admission read a moment before,
/// with no queue in between (the writer checks again because its batch may
/// wait behind others).
final class Reads: @unchecked Sendable {
    private let readers: ReaderPool
    private let writer: Writer
    private let clock: any Clock
    private let time: LocalTime
    private let registry: Registry
    private let environment: any JobEnvironment

    init(readers: ReaderPool, writer: Writer, clock: any Clock, time: LocalTime, registry: Registry,
         environment: any JobEnvironment) {
        self.readers = readers
        self.writer = writer
        self.clock = clock
        self.time = time
        self.registry = registry
        self.environment = environment
    }

    /// Answers one peer's requests in order. When every one is a plain read
    /// they run here; otherwise the whole batch goes to the writer, so a read
    /// after a write in the same batch sees that write.
    func submit(_ verdicts: [Admission.Verdict]) -> [Writer.Outcome] {
        let reads = verdicts.compactMap(Self.plainRead)
        guard !reads.isEmpty, reads.count == verdicts.count else { return writer.submit(verdicts) }
        return reads.map { .answered(run($0.request, $0.handler)) }
    }

    /// The request and its handler, if it is a plain read.
    private static func plainRead(_ verdict: Admission.Verdict)
        -> (request: Admission.Admitted, handler: CommandHandler)? {
        guard case .admitted(let request) = verdict, request.command.spec.audit == .none,
              case .quick(let handler) = request.command.run else { return nil }
        return (request, handler)
    }

    private func run(_ request: Admission.Admitted, _ handler: CommandHandler) -> Response {
        let spec = request.command.spec
        let response: Response
        do {
            response = try readers.with { db in
                try db.readTransaction {
                    try handler(CommandContext(db: db, caller: request.caller, now: clock.now(), time: time,
                                               arguments: request.arguments, registry: registry,
                                               environment: environment))
                }
            }
        } catch {
            let failure = (error as? OpsError) ?? .internalError("\(spec.name) failed inside opsd: \(error)")
            return record(failure, request, answer: Response(error: failure))
        }
        if let error = response.error { return record(error, request, answer: response) }
        writer.metrics.request(spec.name, error: nil)
        return response
    }

    /// Records a refused read on the writer (group-committed with the
    /// writes); answers with what the handler attached, unless the record
    /// itself could not be committed.
    private func record(_ error: OpsError, _ request: Admission.Admitted, answer: Response) -> Response {
        let rejected = Admission.Rejected(error: error, command: request.command.spec.name,
                                          arguments: request.arguments.values, caller: request.caller)
        if case .answered(let recorded) = writer.submit([.rejected(rejected)]).first, recorded.error != error {
            return recorded   // the commit failed; say so rather than the refusal
        }
        return answer
    }
}
