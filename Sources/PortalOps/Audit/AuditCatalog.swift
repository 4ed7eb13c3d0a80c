import OpsProtocol
extension Catalog {
    static let audit: [CommandSpec] = [
        CommandSpec("audit.list", "List audit entries, newest last", roles: .auditors, audit: .reads, arguments: [
            .option("since", .time, "only entries at or after this time"),
            .option("until", .time, "only entries before this time"),
            .option("actor", .text, "only entries by this user (or 'uid:N' for unknown callers)", valueName: "NAME"),
            .option("command", .text, "only entries of this command, e.g. user.add", valueName: "NAME"),
            .option("limit", .integer(1...100_000), "at most this many entries (default 50)"),
        ]),
        CommandSpec("audit.verify", "Recompute the hash chain of the whole audit trail", roles: .auditors, audit: .reads,
                    details: """
                    Exits 0 with "intact, N entries", or 1 naming the first entry that fails: an entry
                    edited, deleted, inserted or reordered directly in ops.db breaks the chain.
                    """),
        CommandSpec("audit.export", "Write audit entries as JSON lines for a log collector", roles: .auditors, audit: .reads, arguments: [
            .option("since", .time, "only entries at or after this time"),
            .option("until", .time, "only entries before this time"),
        ], details: "One JSON object per line, oldest first, with seq, time, actor, command, arguments, outcome and both hashes.\nKeep the export outside this machine: it is the copy that proves the trail later."),
    ]
}
