import OpsProtocol

extension Capability {
    /// Maintenance windows, their notices and the upgrade gates (Quy chế Art. 14.3).
    public static let maintenance = Capability(
        "maintenance",
        migrations: [MaintenanceStore.migration, UpgradeGates.migration, MaintenanceStore.internalReasonMigration,
                     MaintenanceStore.noticeAcknowledgementMigration, MaintenanceStore.documentMigration,
                     GateRecords.migration],
        commands: [PlanWindow.command, ApproveWindow.command, AnnounceWindow.command, StartWindow.command,
                   PrepareWindow.command, CompleteWindow.command, ExtendWindow.command, CancelWindow.command,
                   CorrectWindow.command, AcknowledgeNotice.command, ListWindows.command, ShowWindow.command,
                   PrintNotice.command, WindowCalendar.command, SignNotice.command, ProveArrival.command],
        nouns: ["maintenance": "maintenance windows and their written notices"],
        policies: PolicyDefinition.maintenance,
        status: MaintenanceStatus.section,
        tick: { context in Tick(log: try MaintenanceSchedule.tick(db: context.db, now: context.now, time: context.time)) })
}
