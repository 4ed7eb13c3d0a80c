import SQLite

/// The console's schema: every capability's migrations, in version order.
/// A new capability appends its migration with the next version number.
public enum Schema {
    public static let migrations = [
        UserStore.migration,
        AuditLog.migration,
        ComponentStore.migration,
        PolicyStore.migration,
        RecipientStore.migration,
        Outbox.migration,
        Sequences.migration,
        HolidayStore.migration,
        NoticeStore.migration,
        MaintenanceStore.migration,
        IncidentStore.migration,
        ShiftStore.migration,
        FeedbackStore.migration,
        BackupStore.migration,
        IntegrityStore.migration,
        UpgradeGates.migration,
        BackupRegime.migration,
    ]

    public static var latestVersion: Int { migrations.map(\.version).max() ?? 0 }
}
