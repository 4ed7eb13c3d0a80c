import OpsProtocol
import Foundation
import SQLite

/// The outbox: messages, one delivery per recipient and channel, and every
/// attempt. Other capabilities call `enqueue` inside their own transaction,
/// so a notice and its deliveries exist together or not at all.
public struct Outbox {
    let db: Connection

    public init(_ db: Connection) { self.db = db }

    static let migration = Migration(version: 6, name: "delivery: outbox", sql: """
        CREATE TABLE outbox_messages(
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            subject TEXT NOT NULL,
            body_text TEXT NOT NULL,
            body_html TEXT,
            payload TEXT NOT NULL,
            reference TEXT,
            created_at INTEGER NOT NULL,
            created_by TEXT NOT NULL
        );
        CREATE TABLE outbox_attachments(
            message INTEGER NOT NULL REFERENCES outbox_messages(id),
            position INTEGER NOT NULL,
            filename TEXT NOT NULL,
            content_type TEXT NOT NULL,
            content BLOB NOT NULL,
            PRIMARY KEY (message, position)
        );
        CREATE TABLE deliveries(
            id INTEGER PRIMARY KEY,
            message INTEGER NOT NULL REFERENCES outbox_messages(id),
            recipient TEXT NOT NULL REFERENCES recipients(key),
            channel TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
            address TEXT NOT NULL,
            token TEXT NOT NULL UNIQUE,
            state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'dead')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER,
            window_start INTEGER NOT NULL,
            last_error TEXT,
            sent_at INTEGER,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX deliveries_due ON deliveries(state, next_attempt_at);
        CREATE INDEX deliveries_message ON deliveries(message);
        CREATE TABLE delivery_attempts(
            id INTEGER PRIMARY KEY,
            delivery INTEGER NOT NULL REFERENCES deliveries(id),
            started_at INTEGER NOT NULL,
            finished_at INTEGER,
            outcome TEXT,
            detail TEXT
        );
        CREATE INDEX delivery_attempts_delivery ON delivery_attempts(delivery);
        """)

    /// Marks the messages a security incident caused (issue 16). Pages queued before
    /// this version are marked from the incidents they name: the one place the outbox
    /// reads the incidents table, since a migration cannot call the Incidents API.
    static let securityMigration = Migration(version: 20, name: "delivery: messages of security incidents", sql: """
        ALTER TABLE outbox_messages ADD COLUMN security INTEGER NOT NULL DEFAULT 0;
        UPDATE outbox_messages SET security = 1
            WHERE kind = 'page' AND reference IN (SELECT ref FROM incidents WHERE security = 1);
        """)

    /// Adds the state `cancelled` (issue 19). SQLite cannot change a CHECK constraint, so
    /// `deliveries` is rebuilt, keeping every row and id; `delivery_attempts` (its only
    /// child) is rebuilt with it so that no foreign key points at a dropped table.
    static let cancelMigration = Migration(version: 27, name: "delivery: cancelled deliveries", sql: """
        CREATE TABLE deliveries_new(
            id INTEGER PRIMARY KEY,
            message INTEGER NOT NULL REFERENCES outbox_messages(id),
            recipient TEXT NOT NULL REFERENCES recipients(key),
            channel TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
            address TEXT NOT NULL,
            token TEXT NOT NULL UNIQUE,
            state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'dead', 'cancelled')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER,
            window_start INTEGER NOT NULL,
            last_error TEXT,
            sent_at INTEGER,
            created_at INTEGER NOT NULL
        );
        INSERT INTO deliveries_new(id, message, recipient, channel, address, token, state, attempts, next_attempt_at,
                                   window_start, last_error, sent_at, created_at)
            SELECT id, message, recipient, channel, address, token, state, attempts, next_attempt_at,
                   window_start, last_error, sent_at, created_at FROM deliveries;
        CREATE TABLE delivery_attempts_new(
            id INTEGER PRIMARY KEY,
            delivery INTEGER NOT NULL REFERENCES deliveries_new(id),
            started_at INTEGER NOT NULL,
            finished_at INTEGER,
            outcome TEXT,
            detail TEXT
        );
        INSERT INTO delivery_attempts_new(id, delivery, started_at, finished_at, outcome, detail)
            SELECT id, delivery, started_at, finished_at, outcome, detail FROM delivery_attempts;
        DROP TABLE delivery_attempts;
        DROP TABLE deliveries;
        ALTER TABLE deliveries_new RENAME TO deliveries;
        ALTER TABLE delivery_attempts_new RENAME TO delivery_attempts;
        CREATE INDEX deliveries_due ON deliveries(state, next_attempt_at);
        CREATE INDEX deliveries_message ON deliveries(message);
        CREATE INDEX delivery_attempts_delivery ON delivery_attempts(delivery);
        """)

    /// A delivery's own body (issue 13): a person's SMS gateway or chat bot gets the page rendered
    /// from their template, not the outbox's JSON document. Null for every other delivery.
    static let bodyMigration = Migration(version: 36, name: "delivery: rendered webhook bodies", sql: """
        ALTER TABLE deliveries ADD COLUMN body TEXT;
        ALTER TABLE deliveries ADD COLUMN content_type TEXT;
        """)

    /// A webhook delivery whose body was rendered for its recipient (a person's SMS contact).
    public struct RenderedWebhook: Sendable {
        public let recipient: String
        public let address: String
        public let body: String
        public let contentType: String

        public init(recipient: String, address: String, body: String, contentType: String) {
            self.recipient = recipient
            self.address = address
            self.body = body
            self.contentType = contentType
        }
    }

    public struct Enqueued: Sendable {
        public let messageID: Int64
        /// Empty if no recipient has an address.
        public let deliveryIDs: [Int64]
    }

    /// Writes `message` and one queued delivery per active recipient and
    /// channel, due now.
    @discardableResult
    public func enqueue(_ message: OutgoingMessage, to recipients: [Recipient], rendered: [RenderedWebhook] = [],
                        by actor: String, now: Int64) throws -> Enqueued {
        try db.run("""
            INSERT INTO outbox_messages(kind, subject, body_text, body_html, payload, reference, security, created_at,
                                        created_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, message.kind, message.subject, message.text, message.html, message.payload.serialized(),
                   message.reference, message.security, now, actor)
        let messageID = db.lastInsertRowID
        for (position, attachment) in message.attachments.enumerated() {
            try db.run("INSERT INTO outbox_attachments(message, position, filename, content_type, content) VALUES (?, ?, ?, ?, ?)",
                       messageID, position, attachment.filename, attachment.contentType, attachment.content)
        }
        var ids: [Int64] = []
        for recipient in recipients where recipient.isActive {
            for (channel, address) in recipient.channels {
                try db.run("""
                    INSERT INTO deliveries(message, recipient, channel, address, token, state, next_attempt_at, window_start, created_at)
                    VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?)
                    """, messageID, recipient.key, channel.rawValue, address, UUID().uuidString.lowercased(), now, now, now)
                ids.append(db.lastInsertRowID)
            }
        }
        for webhook in rendered {
            try db.run("""
                INSERT INTO deliveries(message, recipient, channel, address, token, state, next_attempt_at,
                                       window_start, created_at, body, content_type)
                VALUES (?, ?, 'webhook', ?, ?, 'queued', ?, ?, ?, ?, ?)
                """, messageID, webhook.recipient, webhook.address, UUID().uuidString.lowercased(), now, now, now,
                       webhook.body, webhook.contentType)
            ids.append(db.lastInsertRowID)
        }
        return Enqueued(messageID: messageID, deliveryIDs: ids)
    }

    // MARK: Sending

    /// Marks up to `limit` due deliveries as sending and records an attempt
    /// for each. Committed before anything is sent, so a crash after this
    /// point is found by `recoverInterrupted`.
    public func claimDue(now: Int64, limit: Int) throws -> [DeliveryJob] {
        let due = try db.query("""
            SELECT id FROM deliveries WHERE state IN ('queued', 'failed') AND next_attempt_at <= ?
            ORDER BY next_attempt_at, id LIMIT ?
            """, now, limit).compactMap { $0.int("id") }
        return try due.map { id in
            try db.run("UPDATE deliveries SET state = 'sending', attempts = attempts + 1 WHERE id = ?", id)
            try db.run("INSERT INTO delivery_attempts(delivery, started_at) VALUES (?, ?)", id, now)
            let attemptID = db.lastInsertRowID
            let delivery = try self.delivery(id)!
            return DeliveryJob(delivery: delivery, attemptID: attemptID,
                               recipientName: try RecipientStore(db).byKey(delivery.recipient)?.name ?? delivery.recipient,
                               message: try message(delivery.messageID), createdAt: delivery.createdAt)
        }
    }

    public enum Outcome: Sendable, Equatable {
        case sent(detail: String)
        /// Worth trying again later (timeout, 5xx, 429, sendmail failure).
        case failed(error: String)
        /// Trying again cannot help (4xx other than 408 and 429).
        case rejected(error: String)
    }

    /// Records how an attempt ended and what happens next.
    @discardableResult
    public func finish(_ job: DeliveryJob, outcome: Outcome, now: Int64, giveUpAfter: Int64) throws -> Delivery.State {
        let current = try delivery(job.delivery.id)
        let windowStart = try db.queryRow("SELECT window_start FROM deliveries WHERE id = ?", job.delivery.id)?.int(0) ?? now
        let state: Delivery.State
        // An attempt under way when its recipient was removed was left to finish; if it did not
        // get through, it is cancelled like the rest of that recipient's deliveries, not retried.
        if case .sent = outcome {} else if let recipient = try RecipientStore(db).byKey(job.delivery.recipient),
                                           !recipient.isActive {
            let error: String
            switch outcome {
            case .failed(let text), .rejected(let text): error = text
            case .sent(let text): error = text
            }
            try db.run("UPDATE deliveries SET state = 'cancelled', next_attempt_at = NULL, last_error = ? WHERE id = ?",
                       "cancelled: recipient \(recipient.key) was removed (last attempt: \(error))", job.delivery.id)
            try recordAttempt(job.attemptID, now: now, outcome: "cancelled", detail: error)
            return .cancelled
        }
        switch outcome {
        case .sent(let detail):
            state = .sent
            try db.run("UPDATE deliveries SET state = 'sent', sent_at = ?, next_attempt_at = NULL, last_error = NULL WHERE id = ?", now, job.delivery.id)
            try recordAttempt(job.attemptID, now: now, outcome: "sent", detail: detail)
        case .failed(let error):
            let attempts = current?.attempts ?? job.delivery.attempts
            if let next = RetrySchedule.nextAttempt(afterAttempt: attempts, now: now, windowStart: windowStart, giveUpAfter: giveUpAfter) {
                state = .failed
                try db.run("UPDATE deliveries SET state = 'failed', next_attempt_at = ?, last_error = ? WHERE id = ?", next, error, job.delivery.id)
            } else {
                state = .dead
                try db.run("UPDATE deliveries SET state = 'dead', next_attempt_at = NULL, last_error = ? WHERE id = ?",
                           "gave up after \(attempts) attempts: \(error)", job.delivery.id)
            }
            try recordAttempt(job.attemptID, now: now, outcome: state.rawValue, detail: error)
        case .rejected(let error):
            state = .dead
            try db.run("UPDATE deliveries SET state = 'dead', next_attempt_at = NULL, last_error = ? WHERE id = ?", error, job.delivery.id)
            try recordAttempt(job.attemptID, now: now, outcome: "dead", detail: error)
        }
        return state
    }

    private func recordAttempt(_ id: Int64, now: Int64, outcome: String, detail: String) throws {
        try db.run("UPDATE delivery_attempts SET finished_at = ?, outcome = ?, detail = ? WHERE id = ?", now, outcome, detail, id)
    }

    /// After a crash: deliveries left `sending` are queued again, due now (and counted), except
    /// those of recipients removed meanwhile, which are cancelled.
    /// They may have gone out already; their stable identity lets the
    /// receiver drop the repeat (delivery is at-least-once).
    @discardableResult
    public func recoverInterrupted(now: Int64) throws -> Int {
        try db.run("""
            UPDATE delivery_attempts SET finished_at = ?, outcome = 'interrupted',
                detail = 'opsd stopped during the attempt; it may have been delivered'
            WHERE finished_at IS NULL
            """, now)
        let requeued = try db.run("UPDATE deliveries SET state = 'queued', next_attempt_at = ? WHERE state = 'sending'",
                                  now)
        // Those of recipients removed meanwhile are not sent again (issue 19).
        let cancelled = try db.run("""
            UPDATE deliveries SET state = 'cancelled', next_attempt_at = NULL,
                last_error = 'cancelled: recipient ' || recipient || ' was removed'
            WHERE state = 'queued' AND recipient IN (SELECT key FROM recipients WHERE removed_at IS NOT NULL)
            """)
        return max(0, requeued - cancelled)
    }

    // MARK: Operators

    /// Puts a failed or dead delivery back in the queue, due now, with a new
    /// give-up window.
    public func retry(_ id: Int64, now: Int64) throws -> Delivery {
        guard let delivery = try delivery(id) else {
            throw OpsError.refused("no delivery \(id); see 'opsctl outbox list'")
        }
        switch delivery.state {
        case .sent: throw OpsError.refused("delivery \(id) was sent at its attempt \(delivery.attempts); nothing to retry")
        case .cancelled:
            throw OpsError.refused("delivery \(id) was cancelled (\(delivery.lastError ?? "no reason recorded")); "
                                   + "it is not sent again")
        case .sending: throw OpsError.refused("delivery \(id) is being sent right now")
        case .queued, .failed, .dead:
            try db.run("UPDATE deliveries SET state = 'queued', next_attempt_at = ?, window_start = ? WHERE id = ?", now, now, id)
            return try self.delivery(id)!
        }
    }

    /// Cancels a delivery not yet sent: it is never attempted again and leaves the failure counts.
    /// Who and why go in its last error, where `outbox list` and `outbox show` print them.
    public func cancel(_ id: Int64, reason: String, by actor: String) throws -> Delivery {
        guard let delivery = try delivery(id) else {
            throw OpsError.refused("no delivery \(id); see 'opsctl outbox list'")
        }
        switch delivery.state {
        case .sent: throw OpsError.refused("delivery \(id) was already sent; nothing to cancel")
        case .cancelled: throw OpsError.refused("delivery \(id) is already cancelled: \(delivery.lastError ?? "-")")
        case .sending:
            throw OpsError.refused("delivery \(id) is being sent right now; see 'opsctl outbox show \(id)' in a minute")
        case .queued, .failed, .dead:
            try db.run("UPDATE deliveries SET state = 'cancelled', next_attempt_at = NULL, last_error = ? WHERE id = ?",
                       "cancelled by \(actor): \(reason)", id)
            return try self.delivery(id) ?? delivery
        }
    }

    /// Cancels every delivery to `recipient` still waiting to be sent (queued, failed or dead).
    /// One being sent right now is left to finish: it may already have gone out.
    @discardableResult
    public func cancelPending(recipient: String, reason: String, by actor: String) throws -> Int {
        try db.run("""
            UPDATE deliveries SET state = 'cancelled', next_attempt_at = NULL, last_error = ?
            WHERE recipient = ? AND state IN ('queued', 'failed', 'dead')
            """, "cancelled by \(actor): \(reason)", recipient)
    }

    /// Queues every dead delivery again; those of security messages only when `includeSecurity`.
    public func retryAllDead(now: Int64, includeSecurity: Bool = true) throws -> Int {
        try db.run("""
            UPDATE deliveries SET state = 'queued', next_attempt_at = ?1, window_start = ?1
            WHERE state = 'dead' AND (?2 OR message NOT IN (SELECT id FROM outbox_messages WHERE security = 1))
            """, now, includeSecurity)
    }

    /// The earliest time a delivery is due, for the sender's sleep.
    public func nextDue() throws -> Int64? {
        try db.queryRow("SELECT MIN(next_attempt_at) FROM deliveries WHERE state IN ('queued', 'failed')")?.int(0)
    }

    // MARK: Reading

    public func delivery(_ id: Int64) throws -> Delivery? {
        try db.queryRow("SELECT * FROM deliveries WHERE id = ?", id).map(Self.delivery)
    }

    /// Deliveries, newest `limit` in id order; those of security messages only when
    /// `includeSecurity` (callers pass whether the person asking may see security incidents).
    public func deliveries(state: Delivery.State? = nil, since: Int64? = nil, message: Int64? = nil, limit: Int = 100,
                           includeSecurity: Bool = true) throws -> [Delivery] {
        try db.query("""
            SELECT * FROM (SELECT * FROM deliveries
                WHERE (?1 IS NULL OR state = ?1) AND (?2 IS NULL OR created_at >= ?2) AND (?3 IS NULL OR message = ?3)
                    AND (?5 OR message NOT IN (SELECT id FROM outbox_messages WHERE security = 1))
                ORDER BY id DESC LIMIT ?4) ORDER BY id
            """, state?.rawValue, since, message, limit, includeSecurity).map(Self.delivery)
    }

    /// Deliveries of the messages of `kind` about record `reference` (e.g. the answers to FB-…), oldest first.
    public func deliveries(reference: String, kind: String, includeSecurity: Bool = true) throws -> [Delivery] {
        try db.query("""
            SELECT d.* FROM deliveries d JOIN outbox_messages m ON m.id = d.message
            WHERE m.reference = ?1 AND m.kind = ?2 AND (?3 OR m.security = 0) ORDER BY d.id
            """, reference, kind, includeSecurity).map(Self.delivery)
    }

    /// Whether delivery `id` belongs to a message a security incident caused.
    public func isSecurity(delivery id: Int64) throws -> Bool {
        try db.queryRow("""
            SELECT m.security FROM deliveries d JOIN outbox_messages m ON m.id = d.message WHERE d.id = ?
            """, id)?.int(0).map { $0 != 0 } ?? false
    }

    /// Deliveries by state; those of security messages only when `includeSecurity`.
    public func counts(includeSecurity: Bool = true) throws -> [Delivery.State: Int] {
        var counts: [Delivery.State: Int] = [:]
        for row in try db.query("""
            SELECT state, COUNT(*) AS n FROM deliveries
            WHERE ?1 OR message NOT IN (SELECT id FROM outbox_messages WHERE security = 1) GROUP BY state
            """, includeSecurity) {
            if let state = row.string("state").flatMap(Delivery.State.init(rawValue:)) { counts[state] = Int(row.int("n") ?? 0) }
        }
        return counts
    }

    public struct Attempt: Sendable {
        public let startedAt: Int64
        public let finishedAt: Int64?
        public let outcome: String?
        public let detail: String?
    }

    public func attempts(_ id: Int64) throws -> [Attempt] {
        try db.query("SELECT * FROM delivery_attempts WHERE delivery = ? ORDER BY id", id).map {
            Attempt(startedAt: $0.int("started_at") ?? 0, finishedAt: $0.int("finished_at"), outcome: $0.string("outcome"), detail: $0.string("detail"))
        }
    }

    public func message(_ id: Int64) throws -> OutgoingMessage {
        guard let row = try db.queryRow("SELECT * FROM outbox_messages WHERE id = ?", id) else {
            throw OpsError.internalError("outbox message \(id) is missing")
        }
        let attachments = try db.query("SELECT * FROM outbox_attachments WHERE message = ? ORDER BY position", id).map {
            OutgoingMessage.Attachment(filename: $0.string("filename") ?? "file", contentType: $0.string("content_type") ?? "application/octet-stream",
                                       content: $0.blob("content") ?? [])
        }
        return OutgoingMessage(kind: row.string("kind") ?? "", subject: row.string("subject") ?? "", text: row.string("body_text") ?? "",
                               html: row.string("body_html"), attachments: attachments,
                               payload: (try? JSON.parse(row.string("payload") ?? "{}")) ?? .object([:]),
                               reference: row.string("reference"),
                               security: row.bool("security") ?? false)
    }

    static func delivery(_ row: Row) -> Delivery {
        Delivery(id: row.int("id") ?? 0, messageID: row.int("message") ?? 0, recipient: row.string("recipient") ?? "",
                 channel: Channel(rawValue: row.string("channel") ?? "") ?? .email, address: row.string("address") ?? "",
                 token: row.string("token") ?? "", state: Delivery.State(rawValue: row.string("state") ?? "") ?? .queued,
                 attempts: Int(row.int("attempts") ?? 0), nextAttemptAt: row.int("next_attempt_at"), lastError: row.string("last_error"),
                 sentAt: row.int("sent_at"), createdAt: row.int("created_at") ?? 0,
                 body: row.string("body"), contentType: row.string("content_type"))
    }
}
