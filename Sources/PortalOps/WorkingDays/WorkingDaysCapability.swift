import OpsProtocol

extension Capability {
    /// Weekends and holidays, which decide working-day lead times and deadlines.
    public static let workingDays = Capability(
        "working days",
        migrations: [HolidayStore.migration],
        commands: LegacyCommands.commands(Catalog.workingDays, quick: HolidayCommands.handlers),
        nouns: ["holiday": "holidays, which with weekends decide working days"])
}
