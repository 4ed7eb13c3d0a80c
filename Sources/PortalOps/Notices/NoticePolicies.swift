import OpsProtocol

/// What a written notice says about its issuer: settings, not code, so another
/// province or department issues notices without a new build.
extension PolicyDefinition {
    public static let noticeParentBody = PolicyDefinition(
        "notice.parent_body", .text, default: "UBND TỈNH LÀO CAI", "the parent body, top left, upper case")
    public static let noticeIssuer = PolicyDefinition(
        "notice.issuer", .text, default: "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "the issuing body, top left, upper case")
    public static let noticeIssuerName = PolicyDefinition(
        "notice.issuer_name", .text, default: "Sở Thông tin và Truyền thông", "the issuing body as the text names it")
    public static let noticeIssuerCode = PolicyDefinition(
        "notice.issuer_code", .text, default: "STTTT", "the issuer's abbreviation in the number: 07/TB-STTTT")
    public static let noticePlace = PolicyDefinition(
        "notice.place", .text, default: "Lào Cai", "the place in the date line")
    public static let noticeSignerAuthority = PolicyDefinition(
        "notice.signer_authority", .text, default: "KT. GIÁM ĐỐC", "signing authority (TM. / KT. / TL. / Q. / TUQ. …)")
    public static let noticeSignerTitle = PolicyDefinition(
        "notice.signer_title", .text, default: "PHÓ GIÁM ĐỐC", "the signer's position, upper case")
    public static let noticeSignerName = PolicyDefinition(
        "notice.signer_name", .text, default: "Người ký", "the signer's full name")
    public static let noticeHotline = PolicyDefinition(
        "notice.hotline", .text, default: "0214 3 840 000", "the hotline given in notices")
    public static let noticeEmail = PolicyDefinition(
        "notice.email", .text, default: "hotro@laocai.gov.vn", "the e-mail given in notices")
    public static let noticeArchive = PolicyDefinition(
        "notice.archive", .text, default: "VT, CNTT", "what follows 'Lưu:' in the list of recipients")

    /// The signer is a person with an account, so the name printed is the one the account carries.
    public static let noticeSigner = PolicyDefinition(
        "notice.signer", .text, default: "-", "the signer's account (set with 'opsctl notice signer'); '-' while unset")
    /// Decree 30/2020 numbers documents in the issuing body's own register: the console keeps it only if told so.
    public static let noticeRegister = PolicyDefinition(
        "notice.register", .choice(["console", "body"]), default: "console",
        "who keeps the register of numbers: console (its own yearly sequence) or body (give --number from the văn thư)")
    /// Chromium is a system tool like sendmail: another browser or a print service can take its place.
    public static let noticePDFCommand = PolicyDefinition(
        "notice.pdf_command", .text, default: NoticePrinter.defaultCommand,
        "prints {html} to the A4 PDF {pdf}; {dir} is a scratch directory for it")
    public static let noticePDFTimeout = PolicyDefinition(
        "notice.pdf_timeout", .duration(1_000...600_000), default: "1m", "how long printing a notice may take")
    /// An electronic document is valid with the signer's digital signature (Decree 30/2020 Art. 8).
    public static let noticeSignatureRequired = PolicyDefinition(
        "notice.signature_required", .bool, default: "false",
        "hold a notice's delivery until 'opsctl maintenance sign' attaches the signed PDF")

    static let notices: [PolicyDefinition] = [
        noticeParentBody, noticeIssuer, noticeIssuerName, noticeIssuerCode, noticePlace, noticeSignerAuthority,
        noticeSignerTitle, noticeSignerName, noticeHotline, noticeEmail, noticeArchive, noticeSigner, noticeRegister,
        noticePDFCommand, noticePDFTimeout, noticeSignatureRequired,
    ]
}
