import OpsProtocol

/// `integrity compare`: two fingerprints (FP-n) or backups (BK-…), table by
/// table, e.g. a database before and after an upgrade.
enum CompareFingerprints {
    static let a = Required.positional("a", .text, "FP-… or BK-…", valueName: "A")
    static let b = Required.positional("b", .text, "FP-… or BK-…", valueName: "B")

    static let command = Command("integrity.compare", "Compare two fingerprints or backups table by table",
                                 roles: .everyone, audit: .none, arguments: [a, b], handler: compare)

    /// The fingerprint recorded as FP-n, or the one in backup BK-…'s manifest.
    static func fingerprint(of ref: String, _ context: CommandContext) throws -> Fingerprint {
        let upper = ref.uppercased()
        if upper.hasPrefix("FP-"), let record = try IntegrityStore(context.db).record(ref: upper),
           let fingerprint = record.fingerprint {
            return fingerprint
        }
        if let backup = try BackupStore(context.db).backup(upper) {
            guard let fingerprint = backup.fingerprint else {
                throw OpsError.refused("\(upper) has no fingerprint (only SQLite backups have one)")
            }
            return fingerprint
        }
        throw OpsError.refused("no fingerprint or backup \(ref); "
                               + "give FP-… from 'integrity list' or BK-… from 'backup list'")
    }

    @Sendable static func compare(_ context: CommandContext) throws -> Response {
        let before = try fingerprint(of: try context[a], context)
        let after = try fingerprint(of: try context[b], context)
        let (schemaChanged, tables) = before.compare(to: after)
        let changed = tables.filter { $0.change != .unchanged }
        let message = schemaChanged || !changed.isEmpty
            ? "\(changed.count) table(s) differ\(schemaChanged ? "; the schema changed" : "")"
            : "identical: schema and every table"
        return Response(
            message: message,
            data: ["schema_changed": .bool(schemaChanged), "identical": .bool(!schemaChanged && changed.isEmpty),
                   "tables": .array(tables.map { ["table": .string($0.table), "change": .string($0.change.rawValue),
                                                   "rows_before": JSON($0.before), "rows_after": JSON($0.after)] })],
            table: .init(columns: ["TABLE", "CHANGE", "ROWS BEFORE", "ROWS AFTER"], rows: tables.map {
                [$0.table, $0.change.rawValue, $0.before.map(String.init) ?? "-", $0.after.map(String.init) ?? "-"]
            }))
    }
}
