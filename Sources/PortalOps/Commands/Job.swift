import OpsProtocol
import SQLite

/// A command whose work is too slow for the writer (a backup, a restore, a
/// drill). `prepare` runs on the writer like any handler and checks what it
/// can; `work` then runs on the requesting connection's thread, off the
/// writer, reporting progress; `finish` records the outcome on the writer in
/// a transaction of its own, together with the audit entry.
public struct PreparedJob: @unchecked Sendable {
    public let work: @Sendable (_ progress: @escaping @Sendable (String) -> Void) throws -> JSON
    public let finish: @Sendable (CommandContext, Result<JSON, OpsError>) throws -> Response

    public init(work: @escaping @Sendable (_ progress: @escaping @Sendable (String) -> Void) throws -> JSON,
                finish: @escaping @Sendable (CommandContext, Result<JSON, OpsError>) throws -> Response) {
        self.work = work
        self.finish = finish
    }
}

public typealias JobHandler = @Sendable (CommandContext) throws -> PreparedJob

/// What jobs need from outside the domain: running other programs (dump and
/// restore commands) and where the daemon keeps its files.
public protocol JobEnvironment: Sendable {
    /// Runs `command` through the shell with `stdin` from a file (or nothing)
    /// and its standard output into `stdout` (or discarded). Throws with the
    /// command's stderr when it fails or runs past `timeout`.
    func run(_ command: String, stdinFile: String?, stdoutFile: String?, timeoutMilliseconds: Int64) throws
    /// The daemon's data directory (backups go under it by default).
    var dataDirectory: String { get }
    /// Runs health-check probes (`check run`); nil where nothing can probe.
    var prober: (any CheckProber)? { get }
}

extension JobEnvironment {
    public var prober: (any CheckProber)? { nil }
}
