import OpsProtocol

extension PolicyDefinition {
    static let maintenance: [PolicyDefinition] = [
        PolicyDefinition("maintenance.lead.maintenance", .workingDays(0...30), default: "1wd",
                         "notice needed before maintenance (Circular 32/2017/TT-BTTTT: 1 working day)"),
        PolicyDefinition("maintenance.lead.upgrade", .workingDays(0...30), default: "5wd",
                         "notice needed before an upgrade (National Public Service Portal practice: 5 working days)"),
        PolicyDefinition("maintenance.lead.version-update", .workingDays(0...30), default: "5wd",
                         "notice needed before a version update"),
        PolicyDefinition("maintenance.reminder_before", .duration(0...1_209_600_000), default: "1d",
                         "a reminder citing the notice goes this long before the start (0s: none)"),
        PolicyDefinition("maintenance.service_start", .timeOfDay, default: "07:30",
                         "service hours start on working days; a window inside them needs --in-service-hours"),
        PolicyDefinition("maintenance.service_end", .timeOfDay, default: "17:00",
                         "service hours end on working days"),
        PolicyDefinition("maintenance.evidence_max_age", .duration(60_000...604_800_000), default: "6h",
                         "an upgrade starts only with backup and integrity evidence at most this old"),
    ]
}
