import OpsProtocol
import SQLite

/// Walks the whole audit trail and recomputes the chain.
public struct AuditVerification: Sendable, Equatable {
    public let entries: Int64
    /// The first problem found, or nil when the trail is intact.
    public let failure: String?
    /// The seq of the first entry that fails, when one does.
    public let failedSeq: Int64?

    public var isIntact: Bool { failure == nil }
}

extension AuditLog {
    /// Checks every entry in seq order: seqs run 1, 2, 3… with no gap, each
    /// entry names the hash of the one before, each hash matches the entry's
    /// content, and the head row names the last entry. Streams rows, so a
    /// long trail is checked in constant memory.
    public func verify() throws -> AuditVerification {
        var expectedSeq: Int64 = 1
        var previous = AuditEntry.genesisHash
        var failure: (Int64, String)?
        let statement = try db.prepare("SELECT * FROM audit_log ORDER BY seq")
        while failure == nil, let row = try statement.nextRow() {
            let entry = Self.entry(row)
            if entry.seq != expectedSeq {
                failure = entry.seq > expectedSeq
                    ? (expectedSeq, "entry \(expectedSeq) is missing (deleted); the next entry is \(entry.seq)")
                    : (entry.seq, "entry \(entry.seq) is out of sequence")
                break
            }
            if entry.previousHash != previous {
                failure = (entry.seq, "entry \(entry.seq) does not follow entry \(entry.seq - 1): its previous hash differs (an entry was inserted, deleted or reordered)")
                break
            }
            let canonical = AuditEntry.canonicalForm(seq: entry.seq, at: entry.at, actor: entry.actor, uid: entry.uid,
                                                     pid: entry.pid, command: entry.command, arguments: entry.arguments,
                                                     outcome: entry.outcome, detail: entry.detail)
            if AuditEntry.chainHash(previous: previous, canonical: canonical) != entry.hash {
                failure = (entry.seq, "entry \(entry.seq) does not match its hash: its content was edited")
                break
            }
            previous = entry.hash
            expectedSeq += 1
        }
        let count = expectedSeq - 1
        if failure == nil {
            let head = try db.queryRow("SELECT seq, hash FROM audit_head WHERE id = 1")
            if head?.int("seq") != count || head?.string("hash") != previous {
                let headSeq = head?.int("seq") ?? 0
                failure = (min(headSeq, count) + 1, headSeq > count
                    ? "the trail ends at entry \(count) but the head records \(headSeq) entries: entries were deleted from the end"
                    : "the head does not match entry \(count): entries were appended outside the console or the head was edited")
            }
        }
        return AuditVerification(entries: count, failure: failure?.1, failedSeq: failure?.0)
    }
}
