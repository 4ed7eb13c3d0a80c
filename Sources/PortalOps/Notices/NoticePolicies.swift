import OpsProtocol

extension PolicyDefinition {
    /// What a written notice says about its issuer: settings, not code.
    static let notices: [PolicyDefinition] = [
        PolicyDefinition("notice.parent_body", .text, default: "UBND TỈNH LÀO CAI", "the parent body, top left, upper case"),
        PolicyDefinition("notice.issuer", .text, default: "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "the issuing body, top left, upper case"),
        PolicyDefinition("notice.issuer_name", .text, default: "Sở Thông tin và Truyền thông", "the issuing body as the text names it"),
        PolicyDefinition("notice.issuer_code", .text, default: "STTTT", "the issuer's abbreviation in the number: 07/TB-STTTT"),
        PolicyDefinition("notice.place", .text, default: "Lào Cai", "the place in the date line"),
        PolicyDefinition("notice.signer_authority", .text, default: "KT. GIÁM ĐỐC", "signing authority (TM. / KT. / TL. / Q. / TUQ. …)"),
        PolicyDefinition("notice.signer_title", .text, default: "PHÓ GIÁM ĐỐC", "the signer's position, upper case"),
        PolicyDefinition("notice.signer_name", .text, default: "Người ký", "the signer's full name"),
        PolicyDefinition("notice.hotline", .text, default: "0214 3 840 000", "the hotline given in notices"),
        PolicyDefinition("notice.email", .text, default: "hotro@laocai.gov.vn", "the e-mail given in notices"),
        PolicyDefinition("notice.archive", .text, default: "VT, CNTT", "what follows 'Lưu:' in the list of recipients"),
    ]
}
