import OpsProtocol
import SQLite

/// The one place that appends to the audit trail, for every path: requests,
/// refusals, jobs, and what opsd does on its own (scheduled work, start-up).
public struct AuditRecorder: Sendable {
    public init() {}

    /// Records what `caller` did, inside the caller's transaction. Arguments
    /// their spec marks sensitive are kept redacted with their SHA-256
    /// (see `SensitiveArguments`), for successes and refusals alike.
    public func record(_ db: Connection, at now: Int64, caller: Caller, command: String, arguments: [String: JSON],
                outcome: String, detail: String) throws {
        let kept = SensitiveArguments.redacted(arguments, command: command)
        _ = try AuditLog(db).append(at: now, actor: caller.actorName, uid: Int64(caller.uid), pid: Int64(caller.pid),
                                    command: command, arguments: .object(kept), outcome: outcome, detail: detail)
    }

    /// Records a refusal in a savepoint of its own, so it stays when what was
    /// refused is rolled back. Returns the line for the daemon's log.
    public func refusal(_ db: Connection, at now: Int64, error: OpsError, command: String, arguments: [String: JSON],
                 caller: Caller) -> String {
        let line = "refused \(caller.actorName) (pid \(caller.pid)) \(command): \(error.kind): \(error.message)"
        do {
            try db.transaction {
                try record(db, at: now, caller: caller, command: String(command.prefix(Self.refusedCommandLimit)),
                           arguments: Self.bounded(arguments), outcome: error.kind, detail: error.message)
            }
            return line
        } catch {
            return line + " (could not record the refusal in the audit trail: \(error))"
        }
    }

    /// Records what opsd did on its own (a reminder, an escalation, the first
    /// start), with "opsd" as the actor.
    public func recordDaemon(_ db: Connection, at now: Int64, command: String, arguments: [String: JSON],
                             detail: String, outcome: String = "ok", uid: UInt32? = nil, pid: Int32? = nil) throws {
        _ = try AuditLog(db).append(at: now, actor: "opsd", uid: uid.map(Int64.init), pid: pid.map(Int64.init),
                                    command: command, arguments: .object(arguments), outcome: outcome, detail: detail)
    }

    /// Arguments of a refusal larger than this are stored as their size and
    /// SHA-256: a refused request must not make the audit trail grow by what
    /// its sender chose to send (100 refusals of 1 MiB once grew ops.db by 100 MiB).
    public static let refusedArgumentsLimit = 4_096
    /// A refused command name is cut to this length (it is whatever was sent).
    static let refusedCommandLimit = 64

    /// `arguments` as stored for a refusal: as sent, or their size and hash.
    public static func bounded(_ arguments: [String: JSON]) -> [String: JSON] {
        let text = JSON.object(arguments).serialized()
        guard text.utf8.count > refusedArgumentsLimit else { return arguments }
        return ["refused_arguments_bytes": .int(Int64(text.utf8.count)),
                "refused_arguments_sha256": .string(SHA256.hex(Array(text.utf8)))]
    }
}
