import OpsProtocol

extension Capability {
    /// Written notices (Decree 30/2020): numbered, printed to PDF, frozen, signed; issued by maintenance.
    public static let notices = Capability(
        "notices",
        migrations: [NoticeStore.migration, NoticeStore.documentMigration],
        commands: [ListNotices.command, SetIssuer.command, SetSigner.command, ShowNoticeSettings.command,
                   SetGroupLine.command],
        nouns: ["notice": "the notices issued (their register), who issues and signs them, how they list recipients"],
        policies: PolicyDefinition.notices,
        recover: NoticePrintingRecovery.recover)
}
