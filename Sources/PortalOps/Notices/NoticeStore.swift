import OpsProtocol
import Foundation
import SQLite

/// The `notices` and `notice_recipients` tables: issue, read. Nothing
/// updates or deletes a notice; triggers refuse it from any SQL client.
public struct NoticeStore {
    let db: Connection

    public init(_ db: Connection) { self.db = db }

    static let migration = Migration(version: 9, name: "notices: issued written notices", sql: """
        CREATE TABLE notices(
            id INTEGER PRIMARY KEY,
            issuer_code TEXT NOT NULL,
            year INTEGER NOT NULL,
            number INTEGER NOT NULL,
            number_text TEXT NOT NULL,
            purpose TEXT NOT NULL,
            subject TEXT NOT NULL,
            reference TEXT NOT NULL,
            replaces INTEGER REFERENCES notices(id),
            urgent INTEGER NOT NULL,
            issued_at INTEGER NOT NULL,
            issued_by TEXT NOT NULL,
            body_text TEXT NOT NULL,
            body_html TEXT NOT NULL,
            sha256_text TEXT NOT NULL,
            sha256_html TEXT NOT NULL,
            message INTEGER REFERENCES outbox_messages(id),
            UNIQUE (issuer_code, year, number)
        );
        CREATE INDEX notices_reference ON notices(reference);
        CREATE TABLE notice_recipients(
            notice INTEGER NOT NULL REFERENCES notices(id),
            recipient TEXT NOT NULL REFERENCES recipients(key),
            name TEXT NOT NULL,
            PRIMARY KEY (notice, recipient)
        );
        CREATE TRIGGER notices_frozen BEFORE UPDATE ON notices
            BEGIN SELECT RAISE(ABORT, 'an issued notice never changes; issue a replacement'); END;
        CREATE TRIGGER notices_kept BEFORE DELETE ON notices
            BEGIN SELECT RAISE(ABORT, 'issued notices are kept'); END;
        CREATE TRIGGER notice_recipients_frozen BEFORE UPDATE ON notice_recipients
            BEGIN SELECT RAISE(ABORT, 'an issued notice never changes'); END;
        CREATE TRIGGER notice_recipients_kept BEFORE DELETE ON notice_recipients
            BEGIN SELECT RAISE(ABORT, 'issued notices are kept'); END;
        """)

    /// Issues `document`: takes the next number of the issuer's year (local
    /// time), renders and hashes the text and HTML, records the recipients,
    /// and queues one delivery per recipient and channel (mail with the HTML
    /// as alternative and attachment; webhooks get the JSON). All in the
    /// caller's transaction.
    public func issue(_ document: NoticeDocument, to recipients: [Recipient], settings: NoticeSettings,
                      by actor: String, now: Int64, time: LocalTime, replaces: Int64? = nil) throws -> Notice {
        let year = time.year(now)
        let number = try Sequences(db).next("TB-\(settings.issuerCode)", year: year)
        let numberText = (number < 10 ? "0\(number)" : "\(number)") + "/TB-\(settings.issuerCode)"
        let renderer = NoticeRenderer(document: document, settings: settings, number: numberText, issuedAt: now, time: time)
        let text = renderer.text(), html = renderer.html()
        let textHash = SHA256.hex(text), htmlHash = SHA256.hex(html)
        let fileName = "thong-bao-\(numberText.replacingOccurrences(of: "/", with: "-")).html"
        let message = OutgoingMessage(
            kind: "notice", subject: "\(document.urgent ? "[KHẨN] " : "")Thông báo số \(numberText) về việc \(document.subject)",
            text: text, html: html,
            attachments: [.init(filename: fileName, contentType: "text/html; charset=utf-8", content: Array(html.utf8))],
            payload: ["notice": ["number": .string(numberText), "purpose": .string(document.purpose.rawValue),
                                 "subject": .string(document.subject), "reference": .string(document.reference),
                                 "urgent": .bool(document.urgent), "issued_at": .string(time.iso8601(now)),
                                 "replaces": document.replaces.map { .string($0.number) } ?? .null,
                                 "text_sha256": .string(textHash), "html_sha256": .string(htmlHash)]],
            reference: numberText)
        let messageID = try Outbox(db).enqueue(message, to: recipients, by: actor, now: now).messageID
        try db.run("""
            INSERT INTO notices(issuer_code, year, number, number_text, purpose, subject, reference, replaces, urgent,
                                issued_at, issued_by, body_text, body_html, sha256_text, sha256_html, message)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, settings.issuerCode, year, number, numberText, document.purpose.rawValue, document.subject, document.reference,
                   replaces, document.urgent, now, actor, text, html, textHash, htmlHash, messageID)
        let id = db.lastInsertRowID
        for recipient in recipients {
            try db.run("INSERT INTO notice_recipients(notice, recipient, name) VALUES (?, ?, ?)", id, recipient.key, recipient.name)
        }
        return try notice(id)!
    }

    public func notice(_ id: Int64) throws -> Notice? {
        try db.queryRow("SELECT * FROM notices WHERE id = ?", id).map(Self.notice)
    }

    /// The notices about `reference`, oldest first.
    public func notices(reference: String) throws -> [Notice] {
        try db.query("SELECT * FROM notices WHERE reference = ? ORDER BY id", reference).map(Self.notice)
    }

    /// Every notice issued in [from, to), oldest first.
    public func issued(from: Int64 = .min, to: Int64 = .max) throws -> [Notice] {
        try db.query("SELECT * FROM notices WHERE issued_at >= ? AND issued_at < ? ORDER BY issued_at, id", from, to)
            .map(Self.notice)
    }

    public func recipients(of notice: Int64) throws -> [(key: String, name: String)] {
        try db.query("SELECT recipient, name FROM notice_recipients WHERE notice = ? ORDER BY rowid", notice)
            .map { ($0.string("recipient") ?? "", $0.string("name") ?? "") }
    }

    /// The recipients of `notice` that are still active, for follow-ups.
    public func activeRecipients(of notice: Int64) throws -> [Recipient] {
        let keys = Set(try recipients(of: notice).map(\.key))
        return try RecipientStore(db).all().filter { keys.contains($0.key) }
    }

    static func notice(_ row: Row) -> Notice {
        Notice(id: row.int("id") ?? 0, number: row.string("number_text") ?? "", year: Int(row.int("year") ?? 0),
               purpose: NoticeDocument.Purpose(rawValue: row.string("purpose") ?? "") ?? .announcement,
               subject: row.string("subject") ?? "", reference: row.string("reference") ?? "", replaces: row.int("replaces"),
               urgent: row.bool("urgent") ?? false, issuedAt: row.int("issued_at") ?? 0, issuedBy: row.string("issued_by") ?? "",
               text: row.string("body_text") ?? "", html: row.string("body_html") ?? "",
               textSHA256: row.string("sha256_text") ?? "", htmlSHA256: row.string("sha256_html") ?? "",
               messageID: row.int("message"))
    }
}
