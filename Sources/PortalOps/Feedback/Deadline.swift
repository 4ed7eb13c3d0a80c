import OpsProtocol

/// How a deadline is shown (issue 19). Deadlines are stored as the instant they pass, usually the
/// midnight after the last day: "respond by 2026-12-17 00:00" reads as the 17th to people, who then
/// answer a day late. So a midnight deadline is shown as its last day, the same in every command;
/// one at another time (a policy in hours) keeps its time.
struct Deadline {
    let due: Int64
    let time: LocalTime

    init(_ due: Int64, _ time: LocalTime) {
        self.due = due
        self.time = time
    }

    private var isMidnight: Bool { time.startOfDay(due) == due }

    /// The last day on which it is still in time: `2026-12-16` for 2026-12-17 00:00.
    var lastDay: String { time.dateText(isMidnight ? due - 1 : due) }

    /// For fields and messages: "end of 2026-12-16", or the full time if not at midnight.
    var text: String { isMidnight ? "end of \(lastDay)" : time.format(due) }

    /// For Vietnamese documents: "hạn: 16/12/2026".
    var vietnamese: String {
        let parts = lastDay.split(separator: "-")
        let date = parts.count == 3 ? "\(parts[2])/\(parts[1])/\(parts[0])" : lastDay
        return isMidnight ? "hạn: \(date)" : "hạn: \(date) \(time.format(due).split(separator: " ")[1].prefix(5))"
    }

    /// A due date given on the command line (`--due`) whose day is over is most often a typing
    /// mistake; recording an old request late is allowed with `--allow-past`, and said in a warning.
    static func checkGiven(_ due: Int64, _ context: CommandContext, allowPast: Bool, option: String = "--due")
        throws -> [String] {
        guard due <= context.now else { return [] }
        let day = Deadline(due, context.time).lastDay
        guard allowPast else {
            throw OpsError.refused("\(option) \(day) is already past (today is \(context.time.dateText(context.now))); "
                                   + "give a later date, or add --allow-past to record it as already overdue")
        }
        return ["the due date \(day) is already past: recorded as overdue"]
    }
}
