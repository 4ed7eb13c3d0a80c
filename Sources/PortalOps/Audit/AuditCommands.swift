import OpsProtocol

/// `audit list`: the trail read back, filtered, newest last.
enum ListAudit {
    static let period = PeriodFilter(from: "only entries at or after this time", to: "only entries before this time")
    static let actor = Option.named("actor", .text, "only entries by this user (or 'uid:N' for unknown callers)",
                                    valueName: "NAME")
    static let commandName = Option.named("command", .text, "only entries of this command, e.g. user.add",
                                       valueName: "NAME")
    static let limit = Option.named("limit", .integer(1...100_000), "at most this many entries (default 50)")
    static let command = Command("audit.list", "List audit entries, newest last", roles: .auditors, audit: .reads,
                                 arguments: period.arguments + [actor, commandName, limit], handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let window = try period.window(context)
        let entries = try AuditLog(context.db).entries(.init(
            since: window?.from, until: window?.to,
            actor: try context[Self.actor], command: try context[Self.commandName],
            limit: Int(try context[Self.limit] ?? 50)))
        let columns = ["SEQ", "TIME", "ACTOR", "COMMAND", "OUTCOME", "DETAIL"]
        return Response(message: PeriodFilter.statement(window, context),
                        data: ["entries": .array(entries.map { $0.json(time: context.time) }),
                               "window": PeriodFilter.json(window, context)],
                        table: .init(columns: columns, rows: entries.map {
                            [String($0.seq), context.time.format($0.at), $0.actor, $0.command, $0.outcome,
                             $0.detail.count > 60 ? String($0.detail.prefix(59)) + "…" : $0.detail]
                        }))
    }
}

/// `audit verify`: recomputes the hash chain, so an edit made directly in
/// ops.db shows up as the first entry that no longer fits.
enum VerifyAudit {
    static let command = Command("audit.verify", "Recompute the hash chain of the whole audit trail",
                                 roles: .auditors, audit: .reads, details: """
                                     Exits 0 with "intact, N entries", or 1 naming the first entry that fails: an entry
                                     edited, deleted, inserted or reordered directly in ops.db breaks the chain.
                                     """, handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let result = try AuditLog(context.db).verify()
        var response = Response(data: ["intact": .bool(result.isIntact), "entries": .int(result.entries),
                                       "failed_seq": JSON(result.failedSeq), "failure": JSON(result.failure)])
        if let failure = result.failure {
            response.error = .refused("audit trail broken: \(failure)")
        } else {
            response.message = "intact, \(result.entries) entries"
        }
        return response
    }
}

/// `audit export`: JSON lines for a collector off this machine, the copy
/// that proves the trail later.
enum ExportAudit {
    static let period = PeriodFilter(from: "only entries at or after this time", to: "only entries before this time")
    static let command = Command("audit.export", "Write audit entries as JSON lines for a log collector",
                                 roles: .auditors, audit: .reads, arguments: period.arguments, details: """
                                     One JSON object per line, oldest first, with seq, time, actor, command, \
                                     arguments, outcome and both hashes.
                                     Keep the export outside this machine: it is the copy that proves the trail later.
                                     """, handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let window = try period.window(context)
        let entries = try AuditLog(context.db).entries(.init(since: window?.from, until: window?.to))
        let lines = entries.map { $0.json(time: context.time) }
        var response = Response(data: ["entries": .array(lines), "window": PeriodFilter.json(window, context)])
        response.output = lines.map { $0.serialized() + "\n" }.joined()
        return response
    }
}
