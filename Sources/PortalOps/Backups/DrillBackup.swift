import OpsProtocol
import Foundation
import SQLite

/// `backup drill`: restore the newest complete backup into a scratch
/// directory beside the writer, check it, and record the result on it.
enum DrillBackup {
    static let command = Command(
        "backup.drill", "Restore the newest backup into a scratch directory, check it, record the result",
        roles: BackupArguments.checkers, audit: .changes, arguments: [BackupArguments.target], job: prepare)

    @Sendable static func prepare(_ context: CommandContext) throws -> PreparedJob {
        let target = try BackupArguments.existingTarget(context)
        let newest = try BackupStore(context.db).backups(target: target.key).last { $0.state == .complete }
        let environment = context.environment
        let engine = BackupEngine(environment: environment, time: context.time)
        let scratch = "\(engine.drillScratch)/\(target.key)-\(context.now)"
        let limits = try BackupLimits.load(context.db), limit = limits.timeoutMilliseconds
        return PreparedJob(
            work: { progress in
                guard let backup = newest else {
                    throw OpsError.refused("\(target.key) has no complete backup to drill")
                }
                progress("\(backup.ref): verifying")
                let (ok, detail) = try engine.verify(backup, progress: progress)
                guard ok else { return ["backup": .string(backup.ref), "ok": false, "detail": .string(detail)] }
                if target.kind == .sqlite {
                    progress("\(backup.ref): restoring into \(scratch)")
                    try Files.makeDirectory(scratch)
                    defer { try? FileManager.default.removeItem(atPath: scratch) }
                    try Files.ensureRoom(for: backup.size ?? 0, in: scratch, keepFree: limits.keepFreeBytes,
                                         what: "the drill of \(backup.ref)")
                    let path = scratch + "/restored.sqlite"
                    try engine.restore(backup, target: target, to: path, timeoutMilliseconds: limit)
                    let restored = try Connection.scanning(path)
                    let report = try restored.integrityCheck()
                    guard report.isOK else {
                        return ["backup": .string(backup.ref), "ok": false,
                                "detail": "restored copy fails integrity_check"]
                    }
                    guard try Fingerprint.of(restored) == backup.fingerprint else {
                        return ["backup": .string(backup.ref), "ok": false,
                                "detail": "restored copy differs from the manifest"]
                    }
                    let tables = backup.fingerprint?.tables.count ?? 0
                    return ["backup": .string(backup.ref), "ok": true,
                            "detail": .string("restored, integrity ok, fingerprint matches (\(tables) tables)")]
                }
                if let check = target.checkCommand {
                    progress("\(backup.ref): running the check command")
                    try environment.run(check, stdinFile: backup.file, stdoutFile: nil, timeoutMilliseconds: limit)
                }
                let checked = target.checkCommand != nil ? ", check command passed" : ""
                return ["backup": .string(backup.ref), "ok": true,
                        "detail": .string("hash matches\(checked); "
                                          + "restore into a scratch database is not configured for command targets")]
            },
            finish: { context, result in
                let (backup, ok, detail): (String?, Bool, String)
                switch result {
                case .success(let json):
                    (backup, ok, detail) = (json["backup"]?.stringValue, json["ok"]?.boolValue ?? false,
                                            json["detail"]?.stringValue ?? "")
                case .failure(let error): (backup, ok, detail) = (newest?.ref, false, error.message)
                }
                try BackupRegime(context.db).recordDrill(target: target.key, backup: backup, ok: ok, detail: detail,
                                                         by: context.caller.actorName, now: context.now)
                var response = Response(message: ok ? "Drill of \(target.key) with \(backup ?? "-"): \(detail)" : nil,
                                        data: ["target": .string(target.key), "backup": JSON(backup), "ok": .bool(ok),
                                               "detail": .string(detail)])
                if !ok { response.error = .refused("drill of \(target.key) FAILED: \(detail)") }
                return response
            })
    }
}
