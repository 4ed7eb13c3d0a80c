import OpsProtocol

extension PolicyDefinition {
    public static let publishTitle = PolicyDefinition(
        "publish.title", .text, default: "Tình trạng hoạt động Cổng dịch vụ công tỉnh Lào Cai",
        "the public status page's title (opsd --publish DIR)")
    public static let publishBaseURL = PolicyDefinition(
        "publish.base_url", .text, default: "https://dichvucong.laocai.gov.vn/tinh-trang/",
        "where the portal's web server serves the published directory, for the feed's links and ids")

    static let publication: [PolicyDefinition] = [publishTitle, publishBaseURL]
}
