import OpsProtocol
/// Handlers of the `holiday.*` commands.
enum HolidayCommands {
    static let handlers: [String: CommandHandler] = [
        "holiday.add": add,
        "holiday.list": list,
        "holiday.remove": remove,
    ]

    static func add(_ context: CommandContext) throws -> Response {
        let args = context.arguments
        guard let first = args.time("date") else { throw OpsError.usage("missing DATE") }
        let last = args.time("to") ?? first
        guard last >= first else { throw OpsError.usage("--to is before DATE") }
        let store = HolidayStore(context.db)
        let existing = Set(try store.all().map(\.date))
        var day = first
        var added: [String] = []
        while day <= last {
            let text = context.time.dateText(day)
            if existing.contains(text) { throw OpsError.refused("\(text) is already a holiday; see 'opsctl holiday list'") }
            try store.add(date: text, name: try args.required("name"), by: context.caller.actorName, now: context.now)
            added.append(text)
            guard added.count <= 366 else { throw OpsError.usage("a run of holidays is at most a year long") }
            day = context.time.addingDays(1, to: day)
        }
        let span = added.count == 1 ? added[0] : "\(added.first!) to \(added.last!) (\(added.count) days)"
        return Response(message: "Added holiday \(span): \(try args.required("name"))", data: ["dates": .array(added.map(JSON.string))])
    }

    static func list(_ context: CommandContext) throws -> Response {
        let holidays = try HolidayStore(context.db).all(year: context.arguments.int("year").map(Int.init))
        return Response(data: ["holidays": .array(holidays.map { ["date": .string($0.date), "name": .string($0.name)] })],
                        table: .init(columns: ["DATE", "NAME"], rows: holidays.map { [$0.date, $0.name] }))
    }

    static func remove(_ context: CommandContext) throws -> Response {
        guard let date = context.arguments.time("date").map(context.time.dateText) else { throw OpsError.usage("missing DATE") }
        guard try HolidayStore(context.db).remove(date: date) > 0 else {
            throw OpsError.refused("\(date) is not a holiday; see 'opsctl holiday list'")
        }
        return Response(message: "Removed holiday \(date)", data: ["date": .string(date)])
    }
}
