import OpsProtocol

extension Capability {
    /// Written notices (Decree 30/2020): numbered, frozen, issued by maintenance.
    public static let notices = Capability(
        "notices",
        migrations: [NoticeStore.migration],
        commands: [ListNotices.command],
        nouns: ["notice": "the written notices issued, with their numbers"],
        policies: PolicyDefinition.notices)
}
