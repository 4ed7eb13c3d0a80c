import OpsProtocol
import SQLite

/// `integrity check`: integrity_check (or quick_check) and the foreign-key
/// check beside the writer; the findings are recorded on it.
enum CheckIntegrity {
    static let quick = Flag.named("quick", "quick_check: skips index-to-row matching, about 10x faster")

    static let command = Command(
        "integrity.check", "Run integrity_check (or --quick) and the foreign-key check on a SQLite target",
        roles: BackupArguments.checkers, audit: .changes, arguments: [BackupArguments.target, quick],
        job: { context in try prepare(context) })

    static func prepare(_ context: CommandContext) throws -> PreparedJob {
        let target = try SQLiteTarget.existing(context)
        let quick = context[Self.quick]
        let pragma = quick ? "quick_check" : "integrity_check"
        return PreparedJob(
            work: { progress in
                progress("\(target.key): \(pragma) and foreign_key_check")
                let db = try Connection.scanning(target.path)
                let report = quick ? try db.quickCheck() : try db.integrityCheck()
                let violations = try db.foreignKeyCheck()
                let findings = report.problems + violations.map(\.description)
                return ["findings": .array(findings.map(JSON.string))]
            },
            finish: { context, result in
                let findings: [String]
                switch result {
                case .success(let json): findings = (json["findings"]?.arrayValue ?? []).compactMap(\.stringValue)
                case .failure(let error): findings = ["the check could not run: \(error.message)"]
                }
                let record = try IntegrityStore(context.db).record(
                    target: target.key, kind: quick ? "quick" : "integrity", ok: findings.isEmpty, findings: findings,
                    fingerprint: nil, by: context.caller.actorName, now: context.now)
                var response = Response(
                    message: findings.isEmpty
                        ? "\(target.key): ok (\(pragma) and foreign keys), recorded as \(record.ref)" : nil,
                    data: record.json(time: context.time))
                if !findings.isEmpty {
                    response.error = .refused("\(target.key) has \(findings.count) integrity problem(s), recorded as "
                                              + "\(record.ref): \(findings.prefix(3).joined(separator: "; "))")
                }
                return response
            })
    }
}
