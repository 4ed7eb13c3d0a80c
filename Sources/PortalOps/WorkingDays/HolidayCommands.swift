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

/// `holiday list`: a year's working calendar: public holidays (fixed by law, or proposed until the year is
/// confirmed), the days on record and the make-up working days.
enum ListHolidays {
    static let year = Option.named("year", .integer(1970...9999), "the year (default: this year)")
    static let command = Command("holiday.list",
                                 "List a year's holidays: fixed, proposed or confirmed, entered, and make-up days",
                                 roles: .everyone, audit: .none, arguments: [year],
                                 details: """
                                     Fixed days (Labour Code Art. 112: 1/1, 30/4, 1/5, 2/9) are known for any year. \
                                     Tết and Giỗ Tổ come from the Vietnamese lunar calendar (UTC+7); with the second \
                                     day of Quốc khánh and days in lieu of weekends they are 'proposed' and count \
                                     as holidays until 'opsctl holiday confirm YEAR' settles the year.
                                     """, handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let year = try context[Self.year].map(Int.init) ?? context.time.year(context.now)
        let store = HolidayStore(context.db)
        let confirmation = try store.confirmation(year: year)
        var days: [(date: String, name: String, status: String)] = []
        var onRecord = Set<String>()
        for entry in try store.entries(year: year) {
            days.append((entry.date, entry.name, entry.origin))
            onRecord.insert(entry.date)
        }
        for holiday in PublicHolidays.of(year: year) where !onRecord.contains(holiday.date) {
            if holiday.fixed {
                days.append((holiday.date, holiday.name, "fixed"))
            } else if confirmation == nil {
                days.append((holiday.date, holiday.name, "proposed"))
            }
        }
        days += try store.workdays(year: year).map { ($0.date, $0.name, "working day") }
        days.sort { $0.date < $1.date }
        let rows: [JSON] = days.map {
            ["date": .string($0.date), "name": .string($0.name), "status": .string($0.status)]
        }
        var warnings: [String] = []
        let state: String
        if let confirmation {
            state = "confirmed by \(confirmation.by) on \(context.time.format(confirmation.at))"
        } else {
            state = "not confirmed"
            warnings.append("\(year) is not confirmed: the 'proposed' days come from the lunar calendar and count "
                            + "as holidays; once the government announces the schedule run "
                            + "'opsctl holiday confirm \(year)' (or enter its days and add --entered)")
        }
        return Response(data: ["year": .int(Int64(year)), "confirmed": .bool(confirmation != nil),
                               "holidays": .array(rows)],
                        fields: [["year", "\(year) (\(state))"]],
                        table: .init(columns: ["DATE", "DAY", "NAME", "STATUS"],
                                     rows: days.map { [$0.date, weekdayName($0.date), $0.name, $0.status] }),
                        warnings: warnings)
    }

    /// "Mon" … "Sun" for a `yyyy-MM-dd` date.
    static func weekdayName(_ date: String) -> String {
        let parts = date.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return "" }
        let jd = LunarCalendar.julianDay(year: parts[0], month: parts[1], day: parts[2])
        return ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][PublicHolidays.weekday(jd)]
    }
}

/// `holiday confirm`: the year's official schedule is settled.
enum ConfirmHolidays {
    static let year = Required.positional("year", .integer(1970...9999), "the year", valueName: "YEAR")
    static let entered = Flag.named("entered",
                                    "the days entered with 'holiday add' are the schedule; drop the proposal")
    static let command = Command("holiday.confirm", "Confirm a year's official holiday schedule",
                                 roles: [.supervisor, .admin], audit: .changes, arguments: [year, entered],
                                 details: """
                                     Without --entered the proposed days ('opsctl holiday list --year YEAR') are \
                                     adopted as they stand; change single days afterwards with 'holiday add' and \
                                     'holiday remove'. If the announced schedule differs, enter its days with \
                                     'holiday add' and confirm with --entered. Fixed days (1/1, 30/4, 1/5, 2/9) \
                                     always count.
                                     """, handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let year = Int(try context[Self.year])
        let store = HolidayStore(context.db)
        if let done = try store.confirmation(year: year) {
            throw OpsError.refused("\(year) was already confirmed by \(done.by) on \(context.time.format(done.at)); "
                                   + "change single days with 'opsctl holiday add' or 'opsctl holiday remove'")
        }
        let adopt = !context[Self.entered]
        var adopted: [String] = []
        if adopt {
            let onRecord = Set(try store.entries(year: year).map(\.date))
            for holiday in PublicHolidays.of(year: year) where !holiday.fixed && !onRecord.contains(holiday.date) {
                try store.add(date: holiday.date, name: holiday.name, origin: "confirmed",
                              by: context.caller.actorName, now: context.now)
                adopted.append(holiday.date)
            }
        } else if try store.entries(year: year).isEmpty {
            throw OpsError.refused("no days of \(year) are entered; enter the announced days with "
                                   + "'opsctl holiday add' first, or confirm the proposal without --entered")
        }
        try store.confirm(year: year, adoptedProposal: adopt, by: context.caller.actorName, now: context.now)
        let how = adopt ? "adopted \(adopted.count) proposed days" : "the entered days are the schedule"
        return Response(message: "Confirmed the holidays of \(year) (\(how)); see 'opsctl holiday list --year \(year)'",
                        data: ["year": .int(Int64(year)), "adopted": .array(adopted.map(JSON.string))])
    }
}

/// `holiday workday`: a weekend day worked in exchange for a day off (ngày làm bù).
enum AddWorkday {
    static let date = Required.positional("date", .date, "the weekend day worked", valueName: "DATE")
    static let name = Option.named("name", .text, "e.g. 'Làm bù cho thứ Sáu 02/05/2025'")
    static let command = Command("holiday.workday", "Record a make-up working day (a weekend day worked in exchange)",
                                 roles: [.supervisor, .admin], audit: .changes, arguments: [date, name],
                                 details: "The day then counts as a working day for lead times and deadlines. "
                                     + "'opsctl holiday remove DATE' takes it back.",
                                 handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let day = try context[Self.date].milliseconds
        let date = context.time.dateText(day)
        let weekday = context.time.weekday(day)
        guard weekday == 1 || weekday == 7 else {
            throw OpsError.refused("\(date) is a weekday, already a working day unless it is a holiday; "
                                   + "remove the holiday with 'opsctl holiday remove \(date)' instead")
        }
        let store = HolidayStore(context.db)
        if let holiday = try store.entries(year: context.time.year(day)).first(where: { $0.date == date }) {
            throw OpsError.refused("\(date) is a holiday (\(holiday.name)); remove it first with "
                                   + "'opsctl holiday remove \(date)'")
        }
        if try store.workdays(year: context.time.year(day)).contains(where: { $0.date == date }) {
            throw OpsError.refused("\(date) is already a make-up working day; see 'opsctl holiday list'")
        }
        let name = try context[Self.name] ?? "Ngày làm bù"
        try store.addWorkday(date: date, name: name, by: context.caller.actorName, now: context.now)
        return Response(message: "Recorded \(date) as a make-up working day: \(name)",
                        data: ["date": .string(date), "name": .string(name)])
    }
}

/// `holiday remove`: the day counts as a working day again (unless a weekend).
enum RemoveHoliday {
    static let date = Required.positional("date", .date, "the day", valueName: "DATE")
    static let command = Command("holiday.remove", "Remove a holiday or a make-up working day",
                                 roles: [.supervisor, .admin], audit: .changes,
                                 arguments: [date], handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let day = try context[Self.date].milliseconds
        let date = context.time.dateText(day)
        let store = HolidayStore(context.db)
        if try store.removeWorkday(date: date) > 0 {
            return Response(message: "Removed make-up working day \(date)", data: ["date": .string(date)])
        }
        guard try store.remove(date: date) > 0 else {
            if let law = PublicHolidays.of(year: context.time.year(day)).first(where: { $0.date == date && $0.fixed }) {
                throw OpsError.refused("\(date) is \(law.name), a public holiday by law (Labour Code Art. 112)")
            }
            throw OpsError.refused("\(date) is not a holiday on record; see 'opsctl holiday list'")
        }
        return Response(message: "Removed holiday \(date)", data: ["date": .string(date)])
    }
}
