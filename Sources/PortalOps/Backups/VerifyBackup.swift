import OpsProtocol

/// `backup verify`: re-hash the file, check it and compare its fingerprint
/// with the manifest, beside the writer; the result is recorded on it.
enum VerifyBackup {
    static let command = Command(
        "backup.verify", "Re-hash a backup, check its integrity and compare its fingerprint with the manifest",
        roles: BackupArguments.checkers, audit: .changes, arguments: [BackupArguments.backup], job: prepare)

    @Sendable static func prepare(_ context: CommandContext) throws -> PreparedJob {
        let backup = try BackupArguments.existingBackup(context)
        let engine = BackupEngine(environment: context.environment, time: context.time)
        return PreparedJob(
            work: { progress in
                progress("\(backup.ref): re-hashing and checking")
                let (ok, detail) = try engine.verify(backup, progress: progress)
                return ["ok": .bool(ok), "detail": .string(detail)]
            },
            finish: { context, result in
                let (ok, detail): (Bool, String)
                switch result {
                case .success(let json):
                    (ok, detail) = (json["ok"]?.boolValue ?? false, json["detail"]?.stringValue ?? "")
                case .failure(let error): (ok, detail) = (false, error.message)
                }
                try BackupStore(context.db).recordVerification(backup.ref, ok: ok, detail: detail, now: context.now)
                var response = Response(message: ok ? "\(backup.ref) verified: \(detail)" : nil,
                                        data: ["backup": .string(backup.ref), "ok": .bool(ok),
                                               "detail": .string(detail)])
                if !ok { response.error = .refused("\(backup.ref) FAILED verification: \(detail)") }
                return response
            })
    }
}
