import OpsProtocol
extension Catalog {
    static let workingDays: [CommandSpec] = [
        CommandSpec("holiday.add", "Mark a day or a run of days as holidays (not working days)", roles: [.supervisor, .admin], audit: .changes, arguments: [
            .positional("date", .date, "the first day", valueName: "DATE"),
            .option("to", .date, "the last day, for a run such as Tết", valueName: "DATE"),
            .option("name", .text, "e.g. 'Tết Nguyên đán'", required: true),
        ], details: "Weekends are never working days; holidays are added here. Lead times and deadlines count working days."),
        CommandSpec("holiday.list", "List holidays", roles: .everyone, audit: .none, arguments: [
            .option("year", .integer(1970...9999), "only this year"),
        ]),
        CommandSpec("holiday.remove", "Remove a holiday", roles: [.supervisor, .admin], audit: .changes, arguments: [
            .positional("date", .date, "the day", valueName: "DATE"),
        ]),
    ]
}
