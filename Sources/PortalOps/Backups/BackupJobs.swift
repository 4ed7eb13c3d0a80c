import OpsProtocol
import Foundation
import SQLite

/// The slow backup and integrity commands, as jobs: checked on the writer,
/// run beside it, recorded on it.
public enum BackupJobs {
    /// A job handler per command, working with `environment` (the daemon's).
    public static func handlers(environment: JobEnvironment) -> [String: JobHandler] {
        [
            "backup.run": { try run($0, environment) },
            "backup.verify": { try verify($0, environment) },
            "backup.restore": { try restore($0, environment) },
            "integrity.check": { try check($0) },
            "integrity.fingerprint": { try fingerprint($0) },
        ]
    }

    static func run(_ context: CommandContext, _ environment: JobEnvironment) throws -> PreparedJob {
        let target = try TargetCommands.existing(context)
        let window = try context.arguments.text("window").map { ref -> String in
            guard try MaintenanceStore(context.db).byRef(ref) != nil else { throw OpsError.refused("no maintenance window \(ref.uppercased())") }
            return ref.uppercased()
        }
        let ref = try Sequences(context.db).nextIdentifier(prefix: "BK", year: context.time.year(context.now))
        let label = context.arguments.text("label")
        try BackupStore(context.db).start(ref: ref, target: target.key, label: label, window: window, by: context.caller.actorName, now: context.now)
        let started = context.now, limits = try BackupLimits.load(context.db)
        let engine = BackupEngine(environment: environment, time: context.time)
        return PreparedJob(
            work: { progress in
                let artifact = try engine.take(target, ref: ref, label: label, window: window, startedAt: started,
                                               limits: limits, progress: progress)
                return ["file": .string(artifact.file), "size": .int(artifact.size), "sha256": .string(artifact.sha256),
                        "manifest": .string(artifact.manifest), "copy": JSON(artifact.copyFile),
                        "fingerprint": artifact.fingerprint?.json ?? .null]
            },
            finish: { context, result in
                let store = BackupStore(context.db)
                switch result {
                case .success(let json):
                    let artifact = BackupArtifact(file: json["file"]?.stringValue ?? "", size: json["size"]?.intValue ?? 0,
                                                  sha256: json["sha256"]?.stringValue ?? "", manifest: json["manifest"]?.stringValue ?? "",
                                                  fingerprint: json["fingerprint"].flatMap(Fingerprint.init(json:)), copyFile: json["copy"]?.stringValue)
                    try store.complete(ref, artifact: artifact, now: context.now)
                    return Response(message: "Backup \(ref) of \(target.key): \(artifact.size) bytes, sha256 \(artifact.sha256.prefix(16))…, checked\(artifact.copyFile != nil ? ", copied" : "")",
                                    data: try store.backup(ref)!.json(time: context.time))
                case .failure(let error):
                    try store.fail(ref, error: error.message, now: context.now)
                    var response = Response(error: .refused("backup \(ref) of \(target.key) failed: \(error.message)"))
                    response.data = try store.backup(ref)!.json(time: context.time)
                    return response
                }
            })
    }

    static func verify(_ context: CommandContext, _ environment: JobEnvironment) throws -> PreparedJob {
        let backup = try TargetCommands.existingBackup(context)
        let engine = BackupEngine(environment: environment, time: context.time)
        return PreparedJob(
            work: { progress in
                progress("\(backup.ref): re-hashing and checking")
                let (ok, detail) = try engine.verify(backup, progress: progress)
                return ["ok": .bool(ok), "detail": .string(detail)]
            },
            finish: { context, result in
                let (ok, detail): (Bool, String)
                switch result {
                case .success(let json): (ok, detail) = (json["ok"]?.boolValue ?? false, json["detail"]?.stringValue ?? "")
                case .failure(let error): (ok, detail) = (false, error.message)
                }
                try BackupStore(context.db).recordVerification(backup.ref, ok: ok, detail: detail, now: context.now)
                var response = Response(message: ok ? "\(backup.ref) verified: \(detail)" : nil,
                                        data: ["backup": .string(backup.ref), "ok": .bool(ok), "detail": .string(detail)])
                if !ok { response.error = .refused("\(backup.ref) FAILED verification: \(detail)") }
                return response
            })
    }

    static func restore(_ context: CommandContext, _ environment: JobEnvironment) throws -> PreparedJob {
        let backup = try TargetCommands.existingBackup(context)
        guard backup.state == "complete" else { throw OpsError.refused("\(backup.ref) is \(backup.state); only a complete backup restores") }
        guard let target = try BackupStore(context.db).target(backup.target) else { throw OpsError.refused("target \(backup.target) is gone") }
        let replace = context.arguments.flag("replace")
        let destination = context.arguments.text("to")
        switch (destination, replace) {
        case (nil, false), (_?, true): throw OpsError.usage("give --to PATH (a new file) or --replace (the live database), not both")
        default: break
        }
        if replace && target.kind != .sqlite { throw OpsError.refused("--replace restores SQLite targets; for \(target.key) use its restore command with --to") }
        if let destination, target.kind == .sqlite, !destination.hasPrefix("/") { throw OpsError.usage("--to needs an absolute path") }
        // Before replacing the live database, a backup of what is there.
        let safety = replace ? try Sequences(context.db).nextIdentifier(prefix: "BK", year: context.time.year(context.now)) : nil
        if let safety {
            try BackupStore(context.db).start(ref: safety, target: target.key, label: "trước khi khôi phục \(backup.ref)", window: nil,
                                              by: context.caller.actorName, now: context.now)
        }
        let engine = BackupEngine(environment: environment, time: context.time)
        let limits = try BackupLimits.load(context.db), started = context.now
        return PreparedJob(
            work: { progress in
                progress("\(backup.ref): verifying before restoring")
                let (ok, detail) = try engine.verify(backup, progress: progress)
                guard ok else { throw OpsError.refused("\(backup.ref) fails verification, not restored: \(detail)") }
                var safetyArtifact: JSON = .null
                if let safety {
                    progress("\(safety): backing up the live database first")
                    let artifact = try engine.take(target, ref: safety, label: nil, window: nil, startedAt: started,
                                                   limits: limits, progress: progress)
                    safetyArtifact = ["file": .string(artifact.file), "size": .int(artifact.size), "sha256": .string(artifact.sha256),
                                      "manifest": .string(artifact.manifest), "fingerprint": artifact.fingerprint?.json ?? .null]
                    progress("\(backup.ref): restoring over \(target.path ?? "")")
                    try engine.restoreLive(backup, target: target)
                } else if let destination {
                    progress("\(backup.ref): restoring to \(destination)")
                    try engine.restore(backup, target: target, to: destination, timeoutMilliseconds: limits.timeoutMilliseconds)
                }
                return ["safety": safetyArtifact]
            },
            finish: { context, result in
                let store = BackupStore(context.db)
                switch result {
                case .success(let json):
                    if let safety, let s = json["safety"], s != .null {
                        try store.complete(safety, artifact: BackupArtifact(file: s["file"]?.stringValue ?? "", size: s["size"]?.intValue ?? 0,
                                                                            sha256: s["sha256"]?.stringValue ?? "", manifest: s["manifest"]?.stringValue ?? "",
                                                                            fingerprint: s["fingerprint"].flatMap(Fingerprint.init(json:)), copyFile: nil),
                                           now: context.now)
                    }
                    let where_ = destination ?? target.path ?? ""
                    return Response(message: "Restored \(backup.ref) to \(where_)\(safety.map { "; what was there is backup \($0)" } ?? "")",
                                    data: ["backup": .string(backup.ref), "to": .string(where_), "safety_backup": JSON(safety)])
                case .failure(let error):
                    if let safety { try store.fail(safety, error: error.message, now: context.now) }
                    return Response(error: .refused("restore of \(backup.ref) failed: \(error.message)"))
                }
            })
    }

    static func sqliteTarget(_ context: CommandContext) throws -> BackupTarget {
        let target = try TargetCommands.existing(context)
        guard target.kind == .sqlite, target.path != nil else {
            throw OpsError.refused("\(target.key) is a command target; integrity checks and fingerprints are for SQLite targets (use its --check-command)")
        }
        return target
    }

    static func check(_ context: CommandContext) throws -> PreparedJob {
        let target = try sqliteTarget(context)
        let quick = context.arguments.flag("quick")
        return PreparedJob(
            work: { progress in
                progress("\(target.key): \(quick ? "quick_check" : "integrity_check") and foreign_key_check")
                let db = try Connection(path: target.path!, mode: .readOnly)
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
                let record = try IntegrityStore(context.db).record(target: target.key, kind: quick ? "quick" : "integrity", ok: findings.isEmpty,
                                                                   findings: findings, fingerprint: nil, by: context.caller.actorName, now: context.now)
                var response = Response(message: findings.isEmpty ? "\(target.key): ok (\(quick ? "quick_check" : "integrity_check") and foreign keys), recorded as \(record.ref)" : nil,
                                        data: record.json(time: context.time))
                if !findings.isEmpty {
                    response.error = .refused("\(target.key) has \(findings.count) integrity problem(s), recorded as \(record.ref): \(findings.prefix(3).joined(separator: "; "))")
                }
                return response
            })
    }

    static func fingerprint(_ context: CommandContext) throws -> PreparedJob {
        let target = try sqliteTarget(context)
        return PreparedJob(
            work: { progress in
                progress("\(target.key): fingerprinting")
                return try Fingerprint.of(try Connection(path: target.path!, mode: .readOnly)).json
            },
            finish: { context, result in
                guard case .success(let json) = result, let fingerprint = Fingerprint(json: json) else {
                    if case .failure(let error) = result { return Response(error: .refused("fingerprint of \(target.key) failed: \(error.message)")) }
                    return Response(error: .internalError("fingerprint of \(target.key) came back unreadable"))
                }
                let record = try IntegrityStore(context.db).record(target: target.key, kind: "fingerprint", ok: true, findings: [],
                                                                   fingerprint: fingerprint, by: context.caller.actorName, now: context.now)
                return Response(message: "Fingerprint \(record.ref) of \(target.key): schema \(fingerprint.schemaSHA256.prefix(16))…, \(fingerprint.tables.count) tables",
                                data: record.json(time: context.time),
                                table: .init(columns: ["TABLE", "ROWS", "SHA-256"], rows: fingerprint.tables.keys.sorted().map {
                                    [$0, String(fingerprint.tables[$0]!.rows), fingerprint.tables[$0]!.sha256]
                                }))
            })
    }
}
