import OpsProtocol
import PortalOps

/// Runs prepared jobs beside the writer: the work on the calling thread
/// (a connection's, or a scheduler thread), streaming progress, then the
/// outcome and its audit entry through the writer.
struct JobRunner: Sendable {
    let writer: Writer
    let registry: Registry

    func run(_ pending: Writer.PendingJob, progress: @escaping @Sendable (String) -> Void) -> Response {
        let result: Result<JSON, OpsError>
        do {
            result = .success(try pending.job.work(progress))
        } catch let error as OpsError {
            result = .failure(error)
        } catch {
            result = .failure(.internalError("\(error)"))
        }
        return writer.finish(pending, result)
    }

    /// Runs a job command on the daemon's own behalf (the scheduler): the
    /// same preparation, work and audit as a request, with "opsd" as actor.
    func runAsDaemon(_ name: String, arguments: [String: JSON], peer: PeerCredentials) -> Response {
        guard let command = registry.command(name), command.isJob else {
            return Response(error: .internalError("\(name) is not a job"))
        }
        let caller = Caller(uid: peer.uid, pid: peer.pid, user: .daemon(uid: peer.uid))
        switch writer.prepare(command, arguments: arguments, caller: caller) {
        case .failure(let error): return Response(error: error)
        case .success(let pending): return run(pending) { _ in }
        }
    }
}
