import OpsProtocol

extension Capability {
    /// Periodic and ad-hoc reports for the Office and the Department (Art. 11.5, 13.4), issued by
    /// themselves the day after each Decree 09 cut-off.
    public static let reports = Capability(
        "reports",
        migrations: [ReportStore.migration],
        commands: [PeriodicReport.command, RangeReport.command, IssueReport.command, ListReports.command,
                   ShowReport.command],
        nouns: ["report": "periodic and ad-hoc reports on the portal's operation, for the Office"],
        policies: PolicyDefinition.reports,
        tick: ReportSchedule.tick)
}
