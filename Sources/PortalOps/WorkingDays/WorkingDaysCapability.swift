import OpsProtocol

extension Capability {
    /// Weekends and holidays, which decide working-day lead times and deadlines.
    public static let workingDays = Capability(
        "working days",
        migrations: [HolidayStore.migration, HolidayStore.calendarMigration],
        commands: [AddHoliday.command, ListHolidays.command, RemoveHoliday.command, ConfirmHolidays.command,
                   AddWorkday.command],
        nouns: ["holiday": "holidays, which with weekends decide working days"])
}
