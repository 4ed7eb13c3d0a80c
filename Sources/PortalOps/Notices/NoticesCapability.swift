import OpsProtocol

extension Capability {
    /// Written notices (Decree 30/2020): numbered, frozen, issued by maintenance.
    public static let notices = Capability(
        "notices",
        migrations: [NoticeStore.migration],
        policies: PolicyDefinition.notices)
}
