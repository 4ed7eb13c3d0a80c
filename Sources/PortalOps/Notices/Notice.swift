import OpsProtocol
/// An issued written notice. Frozen at issue: its text, HTML and their
/// SHA-256 never change; a correction is a new notice that replaces it.
public struct Notice: Sendable, Equatable {
    public let id: Int64
    public let number: String
    public let year: Int
    public let purpose: NoticeDocument.Purpose
    public let subject: String
    public let reference: String
    public let replaces: Int64?
    public let urgent: Bool
    public let issuedAt: Int64
    public let issuedBy: String
    public let text: String
    public let html: String
    public let textSHA256: String
    public let htmlSHA256: String
    /// The delivery of the notice: queued at issue, or with the signed PDF
    /// when policy `notice.signature_required` held it until then.
    public let messageID: Int64?
    /// The PDF frozen at issue (nil for notices issued before PDFs).
    public let pdfSHA256: String?
    /// The signed PDF attached with `maintenance sign`.
    public let signedSHA256: String?

    public func json(time: LocalTime) -> JSON {
        ["number": .string(number), "purpose": .string(purpose.rawValue), "subject": .string(subject),
         "reference": .string(reference), "replaces": JSON(replaces), "urgent": .bool(urgent),
         "issued_at": .string(time.iso8601(issuedAt)), "issued_by": .string(issuedBy),
         "text_sha256": .string(textSHA256), "html_sha256": .string(htmlSHA256), "pdf_sha256": JSON(pdfSHA256),
         "signed_pdf_sha256": JSON(signedSHA256), "held_for_signature": .bool(messageID == nil && pdfSHA256 != nil)]
    }
}
