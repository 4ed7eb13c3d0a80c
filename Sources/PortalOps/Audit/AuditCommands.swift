import OpsProtocol
/// Handlers of the `audit.*` commands.
enum AuditCommands {
    static let handlers: [String: CommandHandler] = [
        "audit.list": list,
        "audit.verify": verify,
        "audit.export": export,
    ]

    static func list(_ context: CommandContext) throws -> Response {
        let args = context.arguments
        let entries = try AuditLog(context.db).entries(.init(
            since: args.time("since"), until: args.time("until"), actor: args.text("actor"),
            command: args.text("command"), limit: Int(args.int("limit") ?? 50)))
        return Response(data: ["entries": .array(entries.map { $0.json(time: context.time) })],
                        table: .init(columns: ["SEQ", "TIME", "ACTOR", "COMMAND", "OUTCOME", "DETAIL"], rows: entries.map {
                            [String($0.seq), context.time.format($0.at), $0.actor, $0.command, $0.outcome,
                             $0.detail.count > 60 ? String($0.detail.prefix(59)) + "…" : $0.detail]
                        }))
    }

    static func verify(_ context: CommandContext) throws -> Response {
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

    static func export(_ context: CommandContext) throws -> Response {
        let args = context.arguments
        let entries = try AuditLog(context.db).entries(.init(since: args.time("since"), until: args.time("until")))
        let lines = entries.map { $0.json(time: context.time) }
        var response = Response(data: ["entries": .array(lines)])
        response.output = lines.map { $0.serialized() + "\n" }.joined()
        return response
    }
}
