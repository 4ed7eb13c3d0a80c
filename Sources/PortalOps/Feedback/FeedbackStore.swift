import OpsProtocol
import SQLite

/// The `feedback`, `recommendations`, `recommendation_notes` and
/// `fix_requests` tables.
public struct FeedbackStore {
    let db: Connection

    public init(_ db: Connection) { self.db = db }

    static let migration = Migration(version: 13, name: "feedback, recommendations, requests", sql: """
        CREATE TABLE feedback(
            id INTEGER PRIMARY KEY,
            ref TEXT NOT NULL UNIQUE,
            from_text TEXT NOT NULL,
            recipient TEXT REFERENCES recipients(key),
            channel TEXT NOT NULL,
            category TEXT NOT NULL,
            summary TEXT NOT NULL,
            detail TEXT,
            received_at INTEGER NOT NULL,
            their_ref TEXT,
            incident TEXT,
            window TEXT,
            due_at INTEGER NOT NULL,
            responded_at INTEGER,
            response TEXT,
            responded_by TEXT,
            closed_at INTEGER,
            created_at INTEGER NOT NULL,
            created_by TEXT NOT NULL
        );
        CREATE INDEX feedback_incident ON feedback(incident);
        CREATE TABLE recommendations(
            id INTEGER PRIMARY KEY,
            ref TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            source TEXT NOT NULL,
            owner TEXT NOT NULL REFERENCES users(name),
            due_at INTEGER NOT NULL,
            priority TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('open', 'done', 'rejected')),
            evidence TEXT,
            reason TEXT,
            closed_at INTEGER,
            closed_by TEXT,
            created_at INTEGER NOT NULL,
            created_by TEXT NOT NULL
        );
        CREATE INDEX recommendations_source ON recommendations(source);
        CREATE TABLE recommendation_notes(
            id INTEGER PRIMARY KEY,
            recommendation INTEGER NOT NULL REFERENCES recommendations(id),
            at INTEGER NOT NULL,
            actor TEXT NOT NULL,
            text TEXT NOT NULL
        );
        CREATE TABLE fix_requests(
            id INTEGER PRIMARY KEY,
            ref TEXT NOT NULL UNIQUE,
            from_body TEXT NOT NULL,
            their_ref TEXT NOT NULL,
            received_at INTEGER NOT NULL,
            title TEXT NOT NULL,
            due_at INTEGER NOT NULL,
            component TEXT REFERENCES components(key),
            incident TEXT,
            state TEXT NOT NULL CHECK (state IN ('open', 'done')),
            resolution TEXT,
            window TEXT,
            done_at INTEGER,
            done_by TEXT,
            created_at INTEGER NOT NULL,
            created_by TEXT NOT NULL
        );
        """)

    /// The sender's own address, for answering feedback from someone who is not a recipient (issue 19).
    static let replyEmailMigration = Migration(version: 29, name: "feedback: the sender's address",
                                               sql: "ALTER TABLE feedback ADD COLUMN reply_email TEXT;")

    // MARK: Feedback

    public func insert(_ f: Feedback, by actor: String, now: Int64) throws -> Feedback {
        try db.run("""
            INSERT INTO feedback(ref, from_text, recipient, reply_email, channel, category, summary, detail,
                                 received_at, their_ref, incident, window, due_at, created_at, created_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, f.ref, f.from, f.recipient, f.replyEmail, f.channel, f.category, f.summary, f.detail, f.receivedAt,
                   f.theirRef, f.incident, f.window, f.dueAt, now, actor)
        return try feedback(f.ref)!
    }

    public func respond(_ ref: String, response: String, by actor: String, now: Int64) throws {
        try db.run("UPDATE feedback SET responded_at = ?, response = ?, responded_by = ? WHERE ref = ?", now, response, actor, ref)
    }

    public func close(_ ref: String, now: Int64) throws {
        try db.run("UPDATE feedback SET closed_at = ? WHERE ref = ?", now, ref)
    }

    public func feedback(_ ref: String) throws -> Feedback? {
        try db.queryRow("SELECT * FROM feedback WHERE ref = ?", ref.uppercased()).map(Self.feedback)
    }

    public func allFeedback(incident: String? = nil) throws -> [Feedback] {
        // One query each way: with "?1 IS NULL OR incident = ?1" SQLite plans a scan of every feedback ever
        // recorded, and `incident show` asks for one incident's (issue 18's soak).
        guard let incident else { return try db.query("SELECT * FROM feedback ORDER BY id").map(Self.feedback) }
        return try db.query("SELECT * FROM feedback WHERE incident = ? ORDER BY id", incident).map(Self.feedback)
    }

    /// Feedback neither answered nor closed whose deadline has passed by `now` (`Feedback.isOverdue`), through
    /// `feedback_unanswered`: `status` runs often, and reading every feedback ever recorded (or every unanswered
    /// one) there was a tenth to an eighth of opsd's time in issue 18's soak.
    public func overdueFeedback(now: Int64) throws -> [Feedback] {
        try db.query(Self.overdue, now).map(Self.feedback)
    }

    static let overdue = """
        SELECT * FROM feedback WHERE responded_at IS NULL AND closed_at IS NULL AND due_at < ? ORDER BY due_at, id
        """

    /// The references of feedback citing any of `incidents`, one index lookup each (`FeedbackCompartment`).
    public func refs(citing incidents: Set<String>) throws -> Set<String> {
        guard !incidents.isEmpty else { return [] }
        let list = JSON.array(incidents.sorted().map(JSON.string)).serialized()
        return Set(try db.query(Self.citing, list).compactMap { $0.string("ref") })
    }

    static let citing = "SELECT ref FROM feedback WHERE incident IN (SELECT value FROM json_each(?))"

    /// Unanswered feedback by deadline, for `overdueFeedback`: answered feedback never needs reading there.
    static let unansweredIndexMigration = Migration(version: 51, name: "feedback: unanswered feedback indexed",
                                                    sql: """
        CREATE INDEX feedback_unanswered ON feedback(due_at) WHERE responded_at IS NULL AND closed_at IS NULL;
        """)

    static func feedback(_ r: Row) -> Feedback {
        Feedback(id: r.int("id") ?? 0, ref: r.string("ref") ?? "", from: r.string("from_text") ?? "", recipient: r.string("recipient"),
                 channel: r.string("channel") ?? "", category: r.string("category") ?? "", summary: r.string("summary") ?? "",
                 detail: r.string("detail"), receivedAt: r.int("received_at") ?? 0, theirRef: r.string("their_ref"),
                 incident: r.string("incident"), window: r.string("window"), dueAt: r.int("due_at") ?? 0,
                 respondedAt: r.int("responded_at"), response: r.string("response"), closedAt: r.int("closed_at"),
                 replyEmail: r.string("reply_email"))
    }

    // MARK: Recommendations

    public func insert(_ r: Recommendation, by actor: String, now: Int64) throws -> Recommendation {
        try db.run("""
            INSERT INTO recommendations(ref, title, source, owner, due_at, priority, state, created_at, created_by)
            VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?)
            """, r.ref, r.title, r.source, r.owner, r.dueAt, r.priority.rawValue, now, actor)
        return try recommendation(r.ref)!
    }

    public func finish(_ ref: String, state: Recommendation.State, evidence: String?, reason: String?, by actor: String,
                       now: Int64) throws {
        try db.run("UPDATE recommendations SET state = ?, evidence = ?, reason = ?, closed_at = ?, closed_by = ? WHERE ref = ?",
                   state.rawValue, evidence, reason, now, actor, ref)
    }

    public func note(_ id: Int64, text: String, by actor: String, now: Int64) throws {
        try db.run("INSERT INTO recommendation_notes(recommendation, at, actor, text) VALUES (?, ?, ?, ?)", id, now, actor, text)
    }

    public func notes(_ id: Int64) throws -> [(at: Int64, actor: String, text: String)] {
        try db.query("SELECT * FROM recommendation_notes WHERE recommendation = ? ORDER BY id", id)
            .map { ($0.int("at") ?? 0, $0.string("actor") ?? "", $0.string("text") ?? "") }
    }

    public func recommendation(_ ref: String) throws -> Recommendation? {
        try db.queryRow("SELECT * FROM recommendations WHERE ref = ?", ref.uppercased()).map(Self.recommendation)
    }

    public func recommendations(source: String? = nil) throws -> [Recommendation] {
        guard let source else {
            return try db.query("SELECT * FROM recommendations ORDER BY id").map(Self.recommendation)
        }
        return try db.query("SELECT * FROM recommendations WHERE source = ? ORDER BY id", source)
            .map(Self.recommendation)
    }

    /// Recommendations still open: what can fall overdue, for `status` (closed ones are history).
    public func openRecommendations() throws -> [Recommendation] {
        try db.query("SELECT * FROM recommendations WHERE state = 'open' ORDER BY id").map(Self.recommendation)
    }

    static func recommendation(_ r: Row) -> Recommendation {
        Recommendation(id: r.int("id") ?? 0, ref: r.string("ref") ?? "", title: r.string("title") ?? "", source: r.string("source") ?? "",
                       owner: r.string("owner") ?? "", dueAt: r.int("due_at") ?? 0, 
                       priority: Recommendation.Priority(rawValue: r.string("priority") ?? "") ?? .medium,
                       // The table's CHECK admits only the three states.
                       state: Recommendation.State(rawValue: r.string("state") ?? "") ?? .open,
                       evidence: r.string("evidence"), reason: r.string("reason"),
                       closedAt: r.int("closed_at"), closedBy: r.string("closed_by"))
    }

    // MARK: Requests

    public func insert(_ q: FixRequest, by actor: String, now: Int64) throws -> FixRequest {
        try db.run("""
            INSERT INTO fix_requests(ref, from_body, their_ref, received_at, title, due_at, component, incident, state, created_at, created_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)
            """, q.ref, q.from, q.theirRef, q.receivedAt, q.title, q.dueAt, q.component, q.incident, now, actor)
        return try request(q.ref)!
    }

    public func complete(_ ref: String, resolution: String, window: String?, by actor: String, now: Int64) throws {
        try db.run("UPDATE fix_requests SET state = 'done', resolution = ?, window = ?, done_at = ?, done_by = ? WHERE ref = ?",
                   resolution, window, now, actor, ref)
    }

    public func request(_ ref: String) throws -> FixRequest? {
        try db.queryRow("SELECT * FROM fix_requests WHERE ref = ?", ref.uppercased()).map(Self.request)
    }

    public func requests(incident: String? = nil) throws -> [FixRequest] {
        guard let incident else { return try db.query("SELECT * FROM fix_requests ORDER BY id").map(Self.request) }
        return try db.query("SELECT * FROM fix_requests WHERE incident = ? ORDER BY id", incident).map(Self.request)
    }

    /// Requests not yet done: what can fall overdue, for `status`.
    public func openRequests() throws -> [FixRequest] {
        try db.query("SELECT * FROM fix_requests WHERE state = 'open' ORDER BY id").map(Self.request)
    }

    static func request(_ r: Row) -> FixRequest {
        FixRequest(id: r.int("id") ?? 0, ref: r.string("ref") ?? "", from: r.string("from_body") ?? "", theirRef: r.string("their_ref") ?? "",
                   receivedAt: r.int("received_at") ?? 0, title: r.string("title") ?? "", dueAt: r.int("due_at") ?? 0,
                   component: r.string("component"), incident: r.string("incident"),
                   // The table's CHECK admits only the two states.
                   state: FixRequest.State(rawValue: r.string("state") ?? "") ?? .open,
                   resolution: r.string("resolution"), window: r.string("window"), doneAt: r.int("done_at"))
    }
}
