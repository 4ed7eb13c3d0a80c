import OpsProtocol
/// One line of the audit trail. `hash` chains it to the entry before:
/// SHA-256 over the previous hash and this entry's canonical form, so an
/// edited, deleted, inserted or reordered row breaks the chain.
public struct AuditEntry: Sendable, Equatable {
    public let seq: Int64
    public let at: Int64
    public let actor: String
    public let uid: Int64?
    public let pid: Int64?
    public let command: String
    /// The arguments as canonical JSON text.
    public let arguments: String
    /// `ok`, or the refusal kind: `refused`, `usage`, `denied`, `internal`.
    public let outcome: String
    public let detail: String
    public let previousHash: String
    public let hash: String

    public static let genesisHash = String(repeating: "0", count: 64)

    /// The exact text that is hashed: stable across releases because JSON
    /// here is written by the console itself with sorted keys.
    public static func canonicalForm(seq: Int64, at: Int64, actor: String, uid: Int64?, pid: Int64?,
                                     command: String, arguments: String, outcome: String, detail: String) -> String {
        let object: JSON = ["seq": .int(seq), "at": .int(at), "actor": .string(actor), "uid": JSON(uid),
                            "pid": JSON(pid), "command": .string(command), "args": .string(arguments),
                            "outcome": .string(outcome), "detail": .string(detail)]
        return object.serialized()
    }

    public static func chainHash(previous: String, canonical: String) -> String {
        var hasher = SHA256()
        hasher.update(previous)
        hasher.update(canonical)
        return hasher.finalize().hexString
    }

    /// What `audit export` writes per line, and `--json` lists.
    public func json(time: LocalTime) -> JSON {
        ["seq": .int(seq), "at": .string(time.iso8601(at)), "at_ms": .int(at), "actor": .string(actor),
         "uid": JSON(uid), "pid": JSON(pid), "command": .string(command),
         "args": (try? JSON.parse(arguments)) ?? .string(arguments), "outcome": .string(outcome),
         "detail": .string(detail), "prev_hash": .string(previousHash), "hash": .string(hash)]
    }
}
