import OpsProtocol
import SQLite

/// `integrity fingerprint`: a fingerprint taken beside the writer from one
/// snapshot, recorded on it as FP-n for `integrity compare`.
enum TakeFingerprint {
    static let command = Command(
        "integrity.fingerprint", "Record a fingerprint of a SQLite target: schema hash, per table rows and SHA-256",
        roles: BackupArguments.checkers, audit: .changes, arguments: [BackupArguments.target],
        job: { context in try prepare(context) })

    static func prepare(_ context: CommandContext) throws -> PreparedJob {
        let target = try SQLiteTarget.existing(context)
        return PreparedJob(
            work: { progress in
                progress("\(target.key): fingerprinting")
                return try Fingerprint.of(try Connection.scanning(target.path)).json
            },
            finish: { context, result in
                guard case .success(let json) = result, let fingerprint = Fingerprint(json: json) else {
                    if case .failure(let error) = result {
                        return Response(error: .refused("fingerprint of \(target.key) failed: \(error.message)"))
                    }
                    return Response(error: .internalError("fingerprint of \(target.key) came back unreadable"))
                }
                let record = try IntegrityStore(context.db).record(
                    target: target.key, kind: "fingerprint", ok: true, findings: [], fingerprint: fingerprint,
                    by: context.caller.actorName, now: context.now)
                let tables = fingerprint.tables.sorted { $0.key < $1.key }
                let schema = fingerprint.schemaSHA256.prefix(16)
                return Response(message: "Fingerprint \(record.ref) of \(target.key): "
                                    + "schema \(schema)…, \(fingerprint.tables.count) tables",
                                data: record.json(time: context.time),
                                table: .init(columns: ["TABLE", "ROWS", "SHA-256"],
                                             rows: tables.map { [$0.key, String($0.value.rows), $0.value.sha256] }))
            })
    }
}
