import OpsProtocol

/// `holiday add`: a day or a run of days (Tết) that working-day lead times
/// and deadlines skip.
enum AddHoliday {
    static let date = Required.positional("date", .date, "the first day", valueName: "DATE")
    static let to = Option.named("to", .date, "the last day, for a run such as Tết", valueName: "DATE")
    static let name = Required.named("name", .text, "e.g. 'Tết Nguyên đán'")
    static let command = Command("holiday.add", "Mark a day or a run of days as holidays (not working days)",
                                 roles: [.supervisor, .admin], audit: .changes, arguments: [date, to, name],
                                 details: """
                                     Weekends are never working days; holidays are added here. \
                                     Lead times and deadlines count working days.
                                     """, handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let first = try context[Self.date].milliseconds
        let last = try context[Self.to]?.milliseconds ?? first
        guard last >= first else { throw OpsError.usage("--to is before DATE") }
        let name = try context[Self.name]
        let store = HolidayStore(context.db)
        let existing = Set(try store.all().map(\.date))
        var day = first
        var added: [String] = []
        while day <= last {
            let text = context.time.dateText(day)
            if existing.contains(text) {
                throw OpsError.refused("\(text) is already a holiday; see 'opsctl holiday list'")
            }
            try store.add(date: text, name: name, by: context.caller.actorName, now: context.now)
            added.append(text)
            guard added.count <= 366 else { throw OpsError.usage("a run of holidays is at most a year long") }
            day = context.time.addingDays(1, to: day)
        }
        let span: String
        if let start = added.first, let end = added.last, added.count > 1 {
            span = "\(start) to \(end) (\(added.count) days)"
        } else {
            span = added.first ?? ""
        }
        return Response(message: "Added holiday \(span): \(name)", data: ["dates": .array(added.map(JSON.string))])
    }
}

/// `holiday list`: the holidays on record, optionally of one year.
enum ListHolidays {
    static let year = Option.named("year", .integer(1970...9999), "only this year")
    static let command = Command("holiday.list", "List holidays", roles: .everyone, audit: .none, arguments: [year],
                                 handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let holidays = try HolidayStore(context.db).all(year: try context[Self.year].map(Int.init))
        let rows: [JSON] = holidays.map { ["date": .string($0.date), "name": .string($0.name)] }
        return Response(data: ["holidays": .array(rows)],
                        table: .init(columns: ["DATE", "NAME"], rows: holidays.map { [$0.date, $0.name] }))
    }
}

/// `holiday remove`: the day counts as a working day again (unless a weekend).
enum RemoveHoliday {
    static let date = Required.positional("date", .date, "the day", valueName: "DATE")
    static let command = Command("holiday.remove", "Remove a holiday", roles: [.supervisor, .admin], audit: .changes,
                                 arguments: [date], handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let date = context.time.dateText(try context[Self.date].milliseconds)
        guard try HolidayStore(context.db).remove(date: date) > 0 else {
            throw OpsError.refused("\(date) is not a holiday; see 'opsctl holiday list'")
        }
        return Response(message: "Removed holiday \(date)", data: ["date": .string(date)])
    }
}
