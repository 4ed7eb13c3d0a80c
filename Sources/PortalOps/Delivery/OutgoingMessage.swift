import OpsProtocol
/// A message to send: its text for mail, an optional HTML alternative and
/// attachments, and the JSON document webhooks receive. Written to the
/// outbox in the transaction of the event that causes it.
public struct OutgoingMessage: Sendable, Equatable {
    public struct Attachment: Sendable, Equatable {
        public let filename: String
        public let contentType: String
        public let content: [UInt8]
        public init(filename: String, contentType: String, content: [UInt8]) {
            self.filename = filename
            self.contentType = contentType
            self.content = content
        }
    }

    /// What caused it: `test`, `notice`, `page`, `alert`…
    public let kind: String
    public let subject: String
    public let text: String
    public let html: String?
    public let attachments: [Attachment]
    /// The webhook body; the outbox adds the delivery's identity to it.
    public let payload: JSON
    /// The record it is about (`MW-2026-0007`, `07/TB-STTTT`), for listings.
    public let reference: String?
    /// Caused by a security incident (its pages): only those who may see security
    /// incidents see the message, its deliveries and their counts in the outbox.
    public let security: Bool

    public init(kind: String, subject: String, text: String, html: String? = nil, attachments: [Attachment] = [],
                payload: JSON = .object([:]), reference: String? = nil, security: Bool = false) {
        self.security = security
        self.kind = kind
        self.subject = subject
        self.text = text
        self.html = html
        self.attachments = attachments
        self.payload = payload
        self.reference = reference
    }
}
