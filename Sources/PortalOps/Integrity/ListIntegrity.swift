import OpsProtocol

/// `integrity list [TARGET]`: the checks and fingerprints recorded, newest
/// first, with the ids (IC-n, FP-n) that `integrity compare` and people use.
enum ListIntegrity {
    static let target = Option.positional("target", .key, "only this target's", valueName: "KEY")
    static let period = PeriodFilter(from: "only those taken from", to: "only those taken before")

    static let command = Command("integrity.list", "List integrity checks and fingerprints with their ids",
                                 roles: .everyone, audit: .none, arguments: [target] + period.arguments, handler: list)

    @Sendable static func list(_ context: CommandContext) throws -> Response {
        let key = try context[target]
        if let key { _ = try BackupArguments.existingTarget(key, context.db) }
        let window = try period.window(context)
        let records = try IntegrityStore(context.db).records(target: key).filter { window?.contains($0.at) ?? true }
        let message = records.isEmpty
            ? "no integrity checks or fingerprints\(key.map { " of \($0)" } ?? ""); "
                + "take one with 'opsctl integrity fingerprint TARGET'"
            : PeriodFilter.statement(window, context)
        return Response(
            message: message,
            data: ["records": .array(records.map { $0.json(time: context.time) }),
                   "window": PeriodFilter.json(window, context)],
            table: .init(columns: ["ID", "TARGET", "KIND", "AT", "RESULT", "TABLES"], rows: records.map { r in
                [r.ref, r.target, r.kind, context.time.format(r.at),
                 r.ok ? "ok" : "\(r.findings.count) problem(s)", r.fingerprint.map { String($0.tables.count) } ?? "-"]
            }))
    }
}
