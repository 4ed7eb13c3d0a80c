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

    /// The PDF frozen with each notice, the signed PDF attached later, and
    /// the collective names of recipient groups (issue 14).
    static let documentMigration = Migration(version: 40, name: "notices: PDF, signature, group lines", sql: """
        CREATE TABLE notice_pdfs(
            notice INTEGER PRIMARY KEY REFERENCES notices(id),
            pdf BLOB NOT NULL,
            sha256 TEXT NOT NULL
        );
        CREATE TABLE notice_signatures(
            notice INTEGER PRIMARY KEY REFERENCES notices(id),
            pdf BLOB NOT NULL,
            sha256 TEXT NOT NULL,
            signer TEXT NOT NULL,
            signed_at TEXT NOT NULL,
            certificate TEXT NOT NULL,
            attached_at INTEGER NOT NULL,
            attached_by TEXT NOT NULL,
            message INTEGER REFERENCES outbox_messages(id)
        );
        CREATE TABLE notice_group_lines(
            group_name TEXT PRIMARY KEY,
            line TEXT NOT NULL,
            updated_at INTEGER NOT NULL,
            updated_by TEXT NOT NULL
        );
        CREATE TRIGGER notice_pdfs_frozen BEFORE UPDATE ON notice_pdfs
            BEGIN SELECT RAISE(ABORT, 'an issued notice never changes'); END;
        CREATE TRIGGER notice_pdfs_kept BEFORE DELETE ON notice_pdfs
            BEGIN SELECT RAISE(ABORT, 'issued notices are kept'); END;
        CREATE TRIGGER notice_signatures_frozen BEFORE UPDATE ON notice_signatures
            BEGIN SELECT RAISE(ABORT, 'a signed notice never changes'); END;
        CREATE TRIGGER notice_signatures_kept BEFORE DELETE ON notice_signatures
            BEGIN SELECT RAISE(ABORT, 'issued notices are kept'); END;
        """)

    /// Issues `document`: takes its number (`number` from the body's register,
    /// or the console's next), renders the text and HTML, gets their PDF from
    /// `pdf` and freezes all three with their SHA-256, records the recipients,
    /// and queues one delivery per recipient and channel (mail with the PDF
    /// attached; webhooks get the JSON) unless policy
    /// `notice.signature_required` holds it for the signed PDF. All in the
    /// caller's transaction.
    public func issue(_ document: NoticeDocument, to recipients: [Recipient], settings: NoticeSettings,
                      by actor: String, now: Int64, time: LocalTime, replaces: Int64? = nil,
                      number given: String? = nil, pdf printed: (String) throws -> [UInt8]) throws -> Notice {
        let year = time.year(now)
        let number = try NoticeNumber.take(given, settings: settings, year: year, db: db)
        let numberText = NoticeNumber.format(number) + "/TB-\(settings.issuerCode)"
        let renderer = NoticeRenderer(document: document, settings: settings, number: numberText, issuedAt: now, time: time)
        let text = renderer.text(), html = renderer.html()
        let textHash = SHA256.hex(text), htmlHash = SHA256.hex(html)
        let pdf = try printed(html)
        let pdfHash = SHA256.hex(pdf)
        let held = try PolicyStore(db).bool(.noticeSignatureRequired)
        let message = Self.message(number: numberText, purpose: document.purpose, subject: document.subject,
                                   reference: document.reference, urgency: document.urgency, issuedAt: now,
                                   replaces: document.replaces?.number, text: text, html: html,
                                   hashes: (textHash, htmlHash, pdfHash), pdf: pdf, signed: false, time: time)
        let messageID = held ? nil : try Outbox(db).enqueue(message, to: recipients, by: actor, now: now).messageID
        try db.run("""
            INSERT INTO notices(issuer_code, year, number, number_text, purpose, subject, reference, replaces, urgent,
                                issued_at, issued_by, body_text, body_html, sha256_text, sha256_html, message)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, settings.issuerCode, year, number, numberText, document.purpose.rawValue, document.subject, document.reference,
                   replaces, document.urgent, now, actor, text, html, textHash, htmlHash, messageID)
        let id = db.lastInsertRowID
        try db.run("INSERT INTO notice_pdfs(notice, pdf, sha256) VALUES (?, ?, ?)", id, pdf, pdfHash)
        for recipient in recipients {
            try db.run("INSERT INTO notice_recipients(notice, recipient, name) VALUES (?, ?, ?)", id, recipient.key, recipient.name)
        }
        guard let notice = try notice(id) else { throw OpsError.internalError("notice \(numberText) vanished") }
        return notice
    }

    /// The mail and webhook message of a notice: the text, the HTML as
    /// alternative, the PDF (or the signed PDF) attached; webhooks get the
    /// JSON with the hashes that identify it.
    static func message(number: String, purpose: NoticeDocument.Purpose, subject: String, reference: String,
                        urgency: NoticeUrgency?, issuedAt: Int64, replaces: String?, text: String, html: String,
                        hashes: (text: String, html: String, pdf: String), pdf: [UInt8], signed: Bool,
                        time: LocalTime) -> OutgoingMessage {
        let fileName = "thong-bao-\(number.replacingOccurrences(of: "/", with: "-"))\(signed ? "-da-ky" : "").pdf"
        return OutgoingMessage(
            kind: "notice",
            subject: "\(urgency.map { "[\($0.mark)] " } ?? "")Thông báo số \(number) về việc \(subject)",
            text: text, html: html,
            attachments: [.init(filename: fileName, contentType: "application/pdf", content: pdf)],
            payload: ["notice": ["number": .string(number), "purpose": .string(purpose.rawValue),
                                 "subject": .string(subject), "reference": .string(reference),
                                 "urgent": .bool(urgency != nil), "urgency": JSON(urgency?.rawValue),
                                 "issued_at": .string(time.iso8601(issuedAt)),
                                 "replaces": replaces.map { .string($0) } ?? .null,
                                 "text_sha256": .string(hashes.text), "html_sha256": .string(hashes.html),
                                 (signed ? "signed_pdf_sha256" : "pdf_sha256"): .string(hashes.pdf)]],
            reference: number)
    }

    /// The PDF frozen with `notice` at issue.
    public func pdf(of notice: Int64) throws -> [UInt8]? {
        try db.queryRow("SELECT pdf FROM notice_pdfs WHERE notice = ?", notice)?.blob("pdf")
    }

    /// The signed PDF attached to `notice`, if any.
    public func signedPDF(of notice: Int64) throws -> [UInt8]? {
        try db.queryRow("SELECT pdf FROM notice_signatures WHERE notice = ?", notice)?.blob("pdf")
    }

    public func notice(_ id: Int64) throws -> Notice? {
        try db.queryRow(Self.select + " WHERE n.id = ?", id).map(Self.notice)
    }

    /// The notices about `reference`, oldest first.
    public func notices(reference: String) throws -> [Notice] {
        try db.query(Self.select + " WHERE n.reference = ? ORDER BY n.id", reference).map(Self.notice)
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

    static let select = """
        SELECT n.*, p.sha256 AS pdf_sha256, s.sha256 AS signed_sha256, s.message AS signed_message
        FROM notices n LEFT JOIN notice_pdfs p ON p.notice = n.id LEFT JOIN notice_signatures s ON s.notice = n.id
        """

    static func notice(_ row: Row) -> Notice {
        Notice(id: row.int("id") ?? 0, number: row.string("number_text") ?? "", year: Int(row.int("year") ?? 0),
               purpose: NoticeDocument.Purpose(rawValue: row.string("purpose") ?? "") ?? .announcement,
               subject: row.string("subject") ?? "", reference: row.string("reference") ?? "", replaces: row.int("replaces"),
               urgent: row.bool("urgent") ?? false, issuedAt: row.int("issued_at") ?? 0, issuedBy: row.string("issued_by") ?? "",
               text: row.string("body_text") ?? "", html: row.string("body_html") ?? "",
               textSHA256: row.string("sha256_text") ?? "", htmlSHA256: row.string("sha256_html") ?? "",
               messageID: row.int("message") ?? row.int("signed_message"), pdfSHA256: row.string("pdf_sha256"),
               signedSHA256: row.string("signed_sha256"))
    }
}
