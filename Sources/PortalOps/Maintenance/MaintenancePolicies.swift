import OpsProtocol

extension PolicyDefinition {
    /// Circular 32/2017/TT-BTTTT asks one working day's notice before maintenance.
    public static let maintenanceLeadMaintenance = PolicyDefinition(
        "maintenance.lead.maintenance", .workingDays(0...30), default: "1wd",
        "notice needed before maintenance (Circular 32/2017/TT-BTTTT: 1 working day)")
    /// Upgrades stop more for longer: the National Public Service Portal gives five working days.
    public static let maintenanceLeadUpgrade = PolicyDefinition(
        "maintenance.lead.upgrade", .workingDays(0...30), default: "5wd",
        "notice needed before an upgrade (National Public Service Portal practice: 5 working days)")
    public static let maintenanceLeadVersionUpdate = PolicyDefinition(
        "maintenance.lead.version-update", .workingDays(0...30), default: "5wd",
        "notice needed before a version update")
    /// Recipients forget a notice issued days before; the reminder cites it again.
    public static let maintenanceReminderBefore = PolicyDefinition(
        "maintenance.reminder_before", .duration(0...1_209_600_000), default: "1d",
        "a reminder citing the notice goes this long before the start (0s: none)")
    /// Citizens file during service hours: a stop then must be chosen on purpose and said in the notice.
    public static let maintenanceServiceStart = PolicyDefinition(
        "maintenance.service_start", .timeOfDay, default: "07:30",
        "service hours start on working days; a window inside them needs --in-service-hours")
    public static let maintenanceServiceEnd = PolicyDefinition(
        "maintenance.service_end", .timeOfDay, default: "17:00",
        "service hours end on working days")
    /// Evidence older than this no longer says what the work is about to change.
    public static let maintenanceEvidenceMaxAge = PolicyDefinition(
        "maintenance.evidence_max_age", .duration(60_000...604_800_000), default: "6h",
        "an upgrade starts only with backup and integrity evidence at most this old")

    /// Issue 14: the work starts only once the notice reached those who must have it.
    public static let maintenanceStartRequires = PolicyDefinition(
        "maintenance.start_requires", .choice(["agencies-and-public", "agencies", "all", "none"]),
        default: "agencies-and-public",
        "whom the notice must have reached (accepted by mail server or webhook) before 'maintenance start'")

    static let maintenance: [PolicyDefinition] = [
        maintenanceLeadMaintenance, maintenanceLeadUpgrade, maintenanceLeadVersionUpdate, maintenanceReminderBefore,
        maintenanceServiceStart, maintenanceServiceEnd, maintenanceEvidenceMaxAge, maintenanceStartRequires,
    ]
}
