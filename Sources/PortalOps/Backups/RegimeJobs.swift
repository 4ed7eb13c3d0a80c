import OpsProtocol
import Foundation
import SQLite

/// Drills and pruning, as jobs: decided on the writer, file work beside it.
enum RegimeJobs {
    static func handlers(environment: JobEnvironment) -> [String: JobHandler] {
        ["backup.drill": { try drill($0, environment) },
         "backup.prune": { try prune($0) }]
    }

    static func drill(_ context: CommandContext, _ environment: JobEnvironment) throws -> PreparedJob {
        let target = try TargetCommands.existing(context)
        let newest = try BackupStore(context.db).backups(target: target.key).last { $0.state == "complete" }
        let engine = BackupEngine(environment: environment, time: context.time)
        let scratch = "\(engine.drillScratch)/\(target.key)-\(context.now)"
        let limits = try BackupLimits.load(context.db), limit = limits.timeoutMilliseconds
        return PreparedJob(
            work: { progress in
                guard let backup = newest else { throw OpsError.refused("\(target.key) has no complete backup to drill") }
                progress("\(backup.ref): verifying")
                let (ok, detail) = try engine.verify(backup, progress: progress)
                guard ok else { return ["backup": .string(backup.ref), "ok": false, "detail": .string(detail)] }
                if target.kind == .sqlite {
                    progress("\(backup.ref): restoring into \(scratch)")
                    try Files.makeDirectory(scratch)
                    defer { try? FileManager.default.removeItem(atPath: scratch) }
                    try Files.ensureRoom(for: backup.size ?? 0, in: scratch, keepFree: limits.keepFreeBytes, what: "the drill of \(backup.ref)")
                    let path = scratch + "/restored.sqlite"
                    try engine.restore(backup, target: target, to: path, timeoutMilliseconds: limit)
                    let restored = try Connection(path: path, mode: .readOnly)
                    let report = try restored.integrityCheck()
                    guard report.isOK else { return ["backup": .string(backup.ref), "ok": false, "detail": .string("restored copy fails integrity_check")] }
                    guard try Fingerprint.of(restored) == backup.fingerprint else {
                        return ["backup": .string(backup.ref), "ok": false, "detail": .string("restored copy differs from the manifest")]
                    }
                    return ["backup": .string(backup.ref), "ok": true,
                            "detail": .string("restored, integrity ok, fingerprint matches (\(backup.fingerprint?.tables.count ?? 0) tables)")]
                }
                if let check = target.checkCommand {
                    progress("\(backup.ref): running the check command")
                    try environment.run(check, stdinFile: backup.file, stdoutFile: nil, timeoutMilliseconds: limit)
                }
                return ["backup": .string(backup.ref), "ok": true,
                        "detail": .string("hash matches\(target.checkCommand != nil ? ", check command passed" : ""); restore into a scratch database is not configured for command targets")]
            },
            finish: { context, result in
                let (backup, ok, detail): (String?, Bool, String)
                switch result {
                case .success(let json): (backup, ok, detail) = (json["backup"]?.stringValue, json["ok"]?.boolValue ?? false, json["detail"]?.stringValue ?? "")
                case .failure(let error): (backup, ok, detail) = (newest?.ref, false, error.message)
                }
                try BackupRegime(context.db).recordDrill(target: target.key, backup: backup, ok: ok, detail: detail,
                                                         by: context.caller.actorName, now: context.now)
                var response = Response(message: ok ? "Drill of \(target.key) with \(backup ?? "-"): \(detail)" : nil,
                                        data: ["target": .string(target.key), "backup": JSON(backup), "ok": .bool(ok), "detail": .string(detail)])
                if !ok { response.error = .refused("drill of \(target.key) FAILED: \(detail)") }
                return response
            })
    }

    static func prune(_ context: CommandContext) throws -> PreparedJob {
        let target = try TargetCommands.existing(context)
        let doomed = Retention.toRemove(try BackupStore(context.db).backups(target: target.key), target: target, time: context.time)
        let dryRun = context.arguments.flag("dry-run")
        return PreparedJob(
            work: { progress in
                if dryRun { return .array(doomed.map { .string($0.ref) }) }
                for backup in doomed {
                    progress("removing \(backup.ref)")
                    for file in [backup.file, backup.manifest, backup.copyFile].compactMap({ $0 }) { unlink(file) }
                    if let copy = backup.copyFile { unlink((copy as NSString).deletingPathExtension + ".manifest.json") }
                }
                return .array(doomed.map { .string($0.ref) })
            },
            finish: { context, result in
                guard case .success = result else { return Response(error: .internalError("prune of \(target.key) failed")) }
                if !dryRun { for backup in doomed { try BackupRegime(context.db).markRemoved(backup.ref, now: context.now) } }
                let list = doomed.map(\.ref).joined(separator: ", ")
                return Response(message: doomed.isEmpty ? "Nothing to remove: retention keeps every backup of \(target.key)"
                                    : dryRun ? "Would remove \(doomed.count): \(list)" : "Removed \(doomed.count): \(list)",
                                data: ["target": .string(target.key), "dry_run": .bool(dryRun), "removed": .array(doomed.map { .string($0.ref) })])
            })
    }
}

/// The backup lines of `opsctl status`: targets whose newest verified
/// backup is older than their --max-age, and failed drills.
enum BackupStatus {
    static func section(_ context: CommandContext) throws -> StatusSection {
        var warnings: [String] = []
        var stale: [JSON] = []
        let store = BackupStore(context.db)
        for target in try store.targets() {
            if let maxAge = target.maxAge {
                let newest = try store.backups(target: target.key).last { $0.state == "complete" && $0.verifyOK == true }
                let taken = newest.map { $0.finishedAt ?? $0.startedAt }
                if taken.map({ context.now - $0 > maxAge }) ?? true {
                    warnings.append("\(target.key): newest verified backup is \(taken.map { "from \(context.time.format($0))" } ?? "missing"), older than \(DurationText.milliseconds(maxAge)); run 'opsctl backup run \(target.key)'")
                    stale.append(.string(target.key))
                }
            }
            if let drill = try BackupRegime(context.db).lastDrill(target.key), !drill.ok {
                warnings.append("\(target.key): the last restore drill failed (\(drill.detail))")
            }
        }
        return StatusSection(fields: [["backups", "\(try store.targets().count) target(s), \(stale.count) without a recent verified backup"]],
                             data: ["stale_backup_targets": .array(stale)], warnings: warnings)
    }
}
