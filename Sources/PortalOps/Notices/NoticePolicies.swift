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

    static let notices: [PolicyDefinition] = [
        noticeParentBody, noticeIssuer, noticeIssuerName, noticeIssuerCode, noticePlace, noticeSignerAuthority,
        noticeSignerTitle, noticeSignerName, noticeHotline, noticeEmail, noticeArchive,
    ]
}
