import OpsProtocol

/// `notice list`: the register of notices the console issued, by number — what a clerk checks
/// against the body's own register and what a periodic report cites.
enum ListNotices {
    static let period = PeriodFilter(from: "only notices issued from", to: "only notices issued before")
    static let command = Command("notice.list", "List issued notices with their numbers", roles: .everyone,
                                 audit: .none, arguments: period.arguments, handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let window = try period.window(context)
        let store = NoticeStore(context.db)
        let notices = try store.issued(from: window?.from ?? .min, to: window?.to ?? .max)
        let numbers = Dictionary(uniqueKeysWithValues: notices.map { ($0.id, $0.number) })
        func replaced(_ notice: Notice) throws -> String {
            guard let id = notice.replaces else { return "-" }
            return try numbers[id] ?? store.notice(id)?.number ?? "-"
        }
        let rows = try notices.map {
            [$0.number, context.time.format($0.issuedAt), $0.purpose.rawValue, $0.reference, try replaced($0),
             $0.subject]
        }
        let message = notices.isEmpty ? "no notices issued" + (window == nil ? "" : " in this window") : nil
        return Response(message: [PeriodFilter.statement(window, context), message].compactMap { $0 }
                            .joined(separator: "\n").nilIfEmpty,
                        data: ["notices": .array(notices.map { $0.json(time: context.time) }),
                               "window": PeriodFilter.json(window, context)],
                        table: .init(columns: ["NUMBER", "ISSUED", "PURPOSE", "FOR", "REPLACES", "SUBJECT"],
                                     rows: rows))
    }
}

private extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
