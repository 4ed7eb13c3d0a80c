import OpsProtocol
/// The content of a written notice before it has a number: what the
/// capability that asks for it (maintenance) wants to say, and the issuer's
/// settings at the moment of issue.
public struct NoticeDocument: Sendable, Equatable {
    public enum Purpose: String, Sendable {
        case announcement, `extension`, cancellation
        /// A change of content: a new document that replaces the old one
        /// (Decree 30/2020 Art. 18.3), never an "đính chính".
        case replacement
        /// Notices issued before the replacement wording; read back only.
        case correction
    }

    public var purpose: Purpose
    /// "Về việc …", without the "Về việc".
    public var subject: String
    /// Paragraphs of the body, in order.
    public var paragraphs: [String]
    /// The framed urgency mark, if any.
    public var urgency: NoticeUrgency?
    public var urgent: Bool { urgency != nil }
    /// The number and date of the notice this one replaces, e.g.
    /// ("07/TB-STTTT", "12/12/2026").
    public var replaces: (number: String, date: String)?
    /// What the notice is about, e.g. `MW-2026-0007`.
    public var reference: String
    /// The lines under "Nơi nhận:": a recipient's name, or a group's collective
    /// name ("UBND các xã, phường") standing for all its members.
    public var recipientNames: [String]

    public init(purpose: Purpose, subject: String, paragraphs: [String], urgency: NoticeUrgency?,
                replaces: (number: String, date: String)?, reference: String, recipientNames: [String]) {
        self.purpose = purpose
        self.subject = subject
        self.paragraphs = paragraphs
        self.urgency = urgency
        self.replaces = replaces
        self.reference = reference
        self.recipientNames = recipientNames
    }

    public static func == (a: NoticeDocument, b: NoticeDocument) -> Bool {
        a.purpose == b.purpose && a.subject == b.subject && a.paragraphs == b.paragraphs && a.urgency == b.urgency
            && a.replaces?.number == b.replaces?.number && a.replaces?.date == b.replaces?.date
            && a.reference == b.reference && a.recipientNames == b.recipientNames
    }
}

/// The issuer's settings (policies `notice.*`), read once when a notice is
/// rendered: a later change of settings never changes an issued notice.
public struct NoticeSettings: Sendable, Equatable {
    public var parentBody: String
    public var issuer: String
    /// The issuer as the body names it: "Sở Thông tin và Truyền thông".
    public var issuerName: String
    public var issuerCode: String
    public var place: String
    public var signerAuthority: String
    public var signerTitle: String
    public var signerName: String
    public var hotline: String
    public var email: String
    public var archive: String

    public static func load(_ policies: PolicyStore) throws -> NoticeSettings {
        NoticeSettings(parentBody: try policies.value(.noticeParentBody), issuer: try policies.value(.noticeIssuer),
                       issuerName: try policies.value(.noticeIssuerName),
                       issuerCode: try policies.value(.noticeIssuerCode), place: try policies.value(.noticePlace),
                       signerAuthority: try policies.value(.noticeSignerAuthority),
                       signerTitle: try policies.value(.noticeSignerTitle),
                       signerName: try NoticeIssuer.signerName(policies), hotline: try policies.value(.noticeHotline),
                       email: try policies.value(.noticeEmail), archive: try policies.value(.noticeArchive))
    }
}
