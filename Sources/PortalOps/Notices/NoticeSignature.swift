import Foundation
import OpsProtocol
import SQLite

/// A notice signed outside the console (the signer's token adds a digital
/// signature to the PDF), checked before it replaces the unsigned PDF:
/// poppler's `pdfsig` must find a valid signature covering the whole file,
/// and the file must be this notice — a signature is an incremental update,
/// so the PDF frozen at issue is the signed file's first revision, byte for
/// byte. A PDF signed from another print, or edited, is refused.
public struct NoticeSignature: Sendable, Equatable {
    public let signer: String
    public let signedAt: String
    /// pdfsig's verdict on the certificate ("Certificate issuer isn't Trusted."…), kept and shown.
    public let certificate: String

    /// Refuses `signed` unless its first revision is `frozen`.
    static func checkRevision(_ signed: [UInt8], frozen: [UInt8], number: String) throws {
        guard signed.starts(with: Array("%PDF-".utf8)) else {
            throw OpsError.refused("the file is not a PDF")
        }
        guard signed.count > frozen.count, signed.starts(with: frozen) else {
            throw OpsError.refused("the file is not notice \(number) signed: its first revision is not the PDF frozen "
                                   + "at issue (sha256 \(SHA256.hex(frozen).prefix(16))…); sign the file from "
                                   + "'opsctl maintenance notice MW --format pdf --output FILE' without changing it")
        }
    }

    /// Reads pdfsig's report: every signature valid, the last covering the whole document.
    static func parse(_ report: String, number: String) throws -> NoticeSignature {
        let blocks = report.components(separatedBy: "Signature #").dropFirst()
        guard let last = blocks.last else {
            throw OpsError.refused("the file carries no digital signature; sign notice \(number) with the "
                                   + "signer's token")
        }
        func field(_ block: String, _ name: String) -> String? {
            block.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .first { $0.hasPrefix("- \(name):") }
                .map { String($0.dropFirst(name.count + 3)).trimmingCharacters(in: .whitespaces) }
        }
        for block in blocks {
            let verdict = field(block, "Signature Validation") ?? "no verdict"
            guard verdict == "Signature is Valid." else {
                throw OpsError.refused("a signature on notice \(number) is not valid (pdfsig: \(verdict)): "
                                       + "the file was changed after it was signed")
            }
        }
        guard last.contains("- Total document signed") else {
            throw OpsError.refused("the signature does not cover the whole file: something was added after "
                                   + "notice \(number) was signed")
        }
        return NoticeSignature(signer: field(last, "Signer Certificate Common Name") ?? "unknown",
                               signedAt: field(last, "Signing Time") ?? "unknown",
                               certificate: field(last, "Certificate Validation") ?? "not checked")
    }

    /// Runs `pdfsig` on `signed` (off the writer: a job's work).
    static func verify(_ signed: [UInt8], number: String,
                       environment: any JobEnvironment) throws -> NoticeSignature {
        try PrintingDirectory.with(environment, to: "check the signature") { directory in
            let files = FileManager.default
            let pdf = directory + "/signed.pdf", report = directory + "/pdfsig.txt"
            guard files.createFile(atPath: pdf, contents: Data(signed)) else {
                throw OpsError.internalError("cannot write \(pdf) to check the signature")
            }
            do {
                try environment.run("pdfsig \(Shell.quoted(pdf))", stdinFile: nil, stdoutFile: report,
                                    timeoutMilliseconds: 60_000)
            } catch let error as OpsError {
                // pdfsig exits 2 on a file without signatures; other failures say why.
                let text = files.contents(atPath: report).map { String(decoding: $0, as: UTF8.self) } ?? ""
                if text.contains("does not contain any signatures") || error.message.contains("exited 2")
                    || error.message.contains("exited with 2") {
                    throw OpsError.refused("the file carries no digital signature; sign notice \(number) with the "
                                           + "signer's token")
                }
                throw OpsError.refused("pdfsig could not check the file (poppler-utils installed?): \(error.message)")
            }
            let text = files.contents(atPath: report).map { String(decoding: $0, as: UTF8.self) } ?? ""
            return try parse(text, number: number)
        }
    }
}

extension NoticeStore {
    /// Keeps the signed PDF of `notice` and sends it: as the notice itself
    /// when its delivery was held for the signature, otherwise as the signed
    /// copy of a notice already sent. Returns how many deliveries were queued.
    public func attachSignature(_ notice: Notice, pdf: [UInt8], signature: NoticeSignature, by actor: String,
                                now: Int64, time: LocalTime) throws -> Int {
        guard try signedPDF(of: notice.id) == nil else {
            throw OpsError.refused("notice \(notice.number) is already signed")
        }
        let replaced = try notice.replaces.flatMap { try self.notice($0) }?.number
        // The urgency mark is printed in the frozen text as "[HỎA TỐC]".
        let urgency = NoticeUrgency.allCases.first { notice.text.contains("\n[\($0.mark)]\n") }
        let base = Self.message(number: notice.number, purpose: notice.purpose, subject: notice.subject,
                                reference: notice.reference, urgency: urgency, issuedAt: notice.issuedAt,
                                replaces: replaced, text: notice.text, html: notice.html,
                                hashes: (notice.textSHA256, notice.htmlSHA256, SHA256.hex(pdf)), pdf: pdf, signed: true,
                                time: time)
        // Held for the signature, this is the notice's delivery; otherwise the signed copy of one already sent.
        let message = notice.messageID == nil ? base
            : OutgoingMessage(kind: base.kind, subject: "Bản ký số: " + base.subject, text: base.text, html: base.html,
                              attachments: base.attachments, payload: base.payload, reference: base.reference)
        let recipients = try activeRecipients(of: notice.id)
        let enqueued = try Outbox(db).enqueue(message, to: recipients, by: actor, now: now)
        try db.run("""
            INSERT INTO notice_signatures(notice, pdf, sha256, signer, signed_at, certificate, attached_at, attached_by,
                                          message)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, notice.id, pdf, SHA256.hex(pdf), signature.signer, signature.signedAt, signature.certificate, now,
                   actor, enqueued.messageID)
        return enqueued.deliveryIDs.count
    }
}
