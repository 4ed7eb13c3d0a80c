import OpsProtocol

extension PolicyDefinition {
    public static let reportGroup = PolicyDefinition(
        "report.group", .text, default: "report",
        "the recipient group issued reports are mailed to (the Office, the Department)")
    public static let reportSchedule = PolicyDefinition(
        "report.schedule", .list(ReportPeriod.allCases.map(\.rawValue)), default: "month,quarter,half,year",
        "the Decree 09 periods whose report opsd issues the day after each cut-off (empty: none)")

    static let reports: [PolicyDefinition] = [reportGroup, reportSchedule]
}
