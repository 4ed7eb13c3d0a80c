import OpsProtocol
import SQLite

/// One row per job (backup, restore, drill, gate evidence…), written when the
/// job is admitted, in the same transaction as its audit entry, and closed
/// when its outcome is recorded. A row still `running` at start is a job a
/// stop cut short: it is recorded failed, so no job ends silently.
public struct JobStore {
    let db: Connection

    public init(_ db: Connection) { self.db = db }

    public enum State: String, Sendable {
        case running, done, failed
    }

    public struct Job: Sendable {
        public let id: Int64
        public let command: String
        public let actor: String
        public let startedAt: Int64
    }

    static let migration = Migration(version: 23, name: "jobs: every job from admission to outcome", sql: """
        CREATE TABLE jobs(
            id INTEGER PRIMARY KEY,
            command TEXT NOT NULL,
            actor TEXT NOT NULL,
            started_at INTEGER NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed')),
            finished_at INTEGER,
            detail TEXT
        );
        CREATE INDEX jobs_running ON jobs(state) WHERE state = 'running';
        """)

    public func start(command: String, actor: String, now: Int64) throws -> Int64 {
        try db.run("INSERT INTO jobs(command, actor, started_at, state) VALUES (?, ?, ?, 'running')",
                   command, actor, now)
        return db.lastInsertRowID
    }

    public func finish(_ id: Int64, state: State, detail: String, now: Int64) throws {
        try db.run("UPDATE jobs SET state = ?, finished_at = ?, detail = ? WHERE id = ? AND state = 'running'",
                   state.rawValue, now, String(detail.prefix(500)), id)
    }

    public func running() throws -> [Job] {
        try db.query("SELECT id, command, actor, started_at FROM jobs WHERE state = 'running' ORDER BY id").map {
            Job(id: $0.int("id") ?? 0, command: $0.string("command") ?? "", actor: $0.string("actor") ?? "",
                startedAt: $0.int("started_at") ?? 0)
        }
    }
}
