import OpsProtocol
import Foundation
import SQLite

/// What the maintenance jobs share: the checks of a live database, which
/// run off the writer because they read the whole of it.
enum MaintenanceJobs {
    /// Integrity check and fingerprint of a live SQLite database, off the
    /// writer; the check runs beside the fingerprint on a connection of its own.
    static func inspect(_ path: String) throws -> (findings: [String], fingerprint: Fingerprint) {
        let (fingerprint, findings) = try concurrently({ try Fingerprint.of(try Connection(path: path, mode: .readOnly)) }, beside: {
            let db = try Connection(path: path, mode: .readOnly)
            return try db.integrityCheck().problems + db.foreignKeyCheck().map(\.description)
        })
        return (findings, fingerprint)
    }
}

/// `maintenance prepare`: the evidence an upgrade starts from, taken off the
/// writer (a pinned, verified backup, an integrity check and a fingerprint).
enum PrepareWindow {
    static let command = Command(
        "maintenance.prepare",
        "Before an upgrade: a pinned, verified backup, an integrity check and a fingerprint of each target",
        roles: MaintenanceRoles.maintainers, audit: .changes, arguments: [MaintenanceDesk.windowArgument],
        details: "'maintenance start' refuses a window with targets until this evidence exists and is recent "
            + "(policy maintenance.evidence_max_age).",
        job: prepare)

    static func prepare(_ context: CommandContext) throws -> PreparedJob {
        let desk = MaintenanceDesk(context: context)
        let window = try desk.window()
        try desk.require(window, in: [.planned, .announced], to: "prepared")
        let gates = UpgradeGates(context.db)
        let keys = try gates.targets(window.id)
        guard !keys.isEmpty else {
            throw OpsError.refused("\(window.ref) names no backup targets; add them with 'opsctl maintenance correct \(window.ref) --target KEY'")
        }
        let targets = try keys.map { key -> BackupTarget in
            guard let target = try BackupStore(context.db).target(key) else { throw OpsError.refused("no backup target \(key)") }
            return target
        }
        var refs: [String: String] = [:]
        for target in targets {
            let ref = try Sequences(context.db).nextIdentifier(prefix: "BK", year: context.time.year(context.now))
            try BackupStore(context.db).start(ref: ref, target: target.key, label: "trước \(window.ref)", window: window.ref,
                                              by: context.caller.actorName, now: context.now)
            refs[target.key] = ref
        }
        let engine = BackupEngine(environment: context.environment, time: context.time)
        let started = context.now
        let limits = try BackupLimits.load(context.db)
        let frozenRefs = refs
        return PreparedJob(
            work: { progress in
                var results: [String: JSON] = [:]
                for target in targets {
                    let ref = frozenRefs[target.key]!
                    var entry: [String: JSON] = [:]
                    do {
                        let artifact = try engine.take(target, ref: ref, label: nil, window: window.ref, startedAt: started,
                                                       limits: limits, progress: progress)
                        entry["artifact"] = ["file": .string(artifact.file), "size": .int(artifact.size), "sha256": .string(artifact.sha256),
                                             "manifest": .string(artifact.manifest), "fingerprint": artifact.fingerprint?.json ?? .null]
                        if target.kind == .sqlite, let path = target.path {
                            progress("\(target.key): integrity check and fingerprint of the live database")
                            let (findings, fingerprint) = try MaintenanceJobs.inspect(path)
                            entry["findings"] = .array(findings.map(JSON.string))
                            entry["fingerprint"] = fingerprint.json
                        } else {
                            entry["findings"] = .array([])
                        }
                    } catch {
                        entry["error"] = .string((error as? OpsError)?.message ?? "\(error)")
                    }
                    results[target.key] = .object(entry)
                }
                return .object(results)
            },
            finish: { context, result in
                guard case .success(let json) = result, let results = json.objectValue else {
                    if case .failure(let error) = result { return Response(error: .refused("prepare \(window.ref) failed: \(error.message)")) }
                    return Response(error: .internalError("prepare \(window.ref) came back unreadable"))
                }
                var lines: [String] = []
                var failed = false
                for (key, value) in results.sorted(by: { $0.key < $1.key }) {
                    let ref = frozenRefs[key]!
                    if let error = value["error"]?.stringValue {
                        try BackupStore(context.db).fail(ref, error: error, now: context.now)
                        try UpgradeGates(context.db).record(window.id, phase: "before", target: key, backup: nil, integrityOK: false,
                                                           findings: [error], fingerprint: nil, differences: [], acceptedBy: nil, reason: nil, now: context.now)
                        lines.append("\(key): FAILED \(error)")
                        failed = true
                        continue
                    }
                    let a = value["artifact"]!
                    try BackupStore(context.db).complete(ref, artifact: BackupArtifact(
                        file: a["file"]?.stringValue ?? "", size: a["size"]?.intValue ?? 0, sha256: a["sha256"]?.stringValue ?? "",
                        manifest: a["manifest"]?.stringValue ?? "", fingerprint: a["fingerprint"].flatMap(Fingerprint.init(json:)), copyFile: nil),
                        now: context.now)
                    let findings = (value["findings"]?.arrayValue ?? []).compactMap(\.stringValue)
                    try UpgradeGates(context.db).record(window.id, phase: "before", target: key, backup: ref, integrityOK: findings.isEmpty,
                                                       findings: findings, fingerprint: value["fingerprint"].flatMap(Fingerprint.init(json:)),
                                                       differences: [], acceptedBy: nil, reason: nil, now: context.now)
                    if !findings.isEmpty { failed = true }
                    lines.append("\(key): backup \(ref) (pinned), integrity \(findings.isEmpty ? "ok" : "FAILED: \(findings.first!)"), fingerprint taken")
                }
                var response = Response(message: failed ? nil : "Prepared \(window.ref): " + lines.joined(separator: "; "),
                                        data: ["window": .string(window.ref), "targets": .array(lines.map(JSON.string))])
                if failed { response.error = .refused("\(window.ref) is not ready: " + lines.joined(separator: "; ")) }
                return response
            })
    }
}

/// `maintenance complete`: the targets checked again and compared with the
/// evidence from before; a difference nobody expected refuses completion.
enum CompleteWindow {
    static let acceptDiff = Flag.named("accept-diff", "complete despite differences (supervisors; needs --reason)")
    static let reason = Option.named("reason", .text, "why the differences are acceptable")

    static let command = Command(
        "maintenance.complete", "Check the targets again, compare with before, mark the window completed",
        roles: MaintenanceRoles.maintainers, audit: .changes,
        arguments: [MaintenanceDesk.windowArgument, acceptDiff, reason],
        details: "Tables declared with --expect-change may differ; any other difference, or a failed integrity "
            + "check, refuses\ncompletion, opens a sev2 incident and prints the command that restores the pinned "
            + "backup.",
        job: complete)

    static func complete(_ context: CommandContext) throws -> PreparedJob {
        let desk = MaintenanceDesk(context: context)
        let window = try desk.window()
        try desk.require(window, in: [.inProgress], to: "completed")
        let gates = UpgradeGates(context.db)
        let before = try gates.before(window.id)
        let expected = Set(try gates.expected(window.id))
        let targets = try gates.targets(window.id).compactMap { try BackupStore(context.db).target($0) }
        let accept = context[Self.acceptDiff]
        let reason = try context[Self.reason]
        if accept {
            guard let role = context.caller.user?.role, role == .supervisor || role == .admin else {
                throw OpsError.permission("only a supervisor may accept differences (--accept-diff)")
            }
            guard reason != nil else { throw OpsError.usage("--accept-diff needs --reason") }
        }
        if !accept {
            try IntegrityRequirement.checkDeclared(window, db: context.db, verb: "completed")
            try IntegrityRequirement.checkEvidenceBefore(window, db: context.db)
        }
        return PreparedJob(
            work: { progress in
                var results: [String: JSON] = [:]
                for target in targets where target.kind == .sqlite {
                    progress("\(target.key): integrity check and fingerprint after \(window.ref)")
                    do {
                        let (findings, fingerprint) = try MaintenanceJobs.inspect(target.path!)
                        results[target.key] = ["findings": .array(findings.map(JSON.string)), "fingerprint": fingerprint.json]
                    } catch {
                        results[target.key] = ["findings": .array([.string("could not check: \(error)")])]
                    }
                }
                return .object(results)
            },
            finish: { context, result in
                guard case .success(let json) = result, let results = json.objectValue else {
                    return Response(error: .internalError("the checks after \(window.ref) did not run"))
                }
                let gates = UpgradeGates(context.db)
                var problems: [String] = []
                var restore: [String] = []
                for (key, value) in results.sorted(by: { $0.key < $1.key }) {
                    let findings = (value["findings"]?.arrayValue ?? []).compactMap(\.stringValue)
                    let after = value["fingerprint"].flatMap(Fingerprint.init(json:))
                    var differences: [String] = []
                    if let old = before[key]?.fingerprint, let after {
                        let (schemaChanged, tables) = old.compare(to: after)
                        if schemaChanged && !expected.contains("schema") { differences.append("schema changed") }
                        differences += tables.filter { $0.change != .unchanged && !expected.contains($0.table) }
                            .map { "\($0.table): \($0.change.rawValue) (\($0.before.map(String.init) ?? "-") → \($0.after.map(String.init) ?? "-"))" }
                    }
                    let bad = !findings.isEmpty || !differences.isEmpty
                    try gates.record(window.id, phase: "after", target: key, backup: before[key]?.backup, integrityOK: findings.isEmpty,
                                     findings: findings, fingerprint: after, differences: differences,
                                     acceptedBy: bad && accept ? context.caller.actorName : nil,
                                     reason: bad && accept ? reason : nil, now: context.now)
                    if bad {
                        problems.append("\(key): " + (findings.map { "integrity: \($0)" } + differences).joined(separator: "; "))
                        if let backup = before[key]?.backup { restore.append("opsctl backup restore \(backup) --replace") }
                    }
                }
                if !problems.isEmpty && !accept {
                    try Alerts.raise(title: "Kiểm tra toàn vẹn sau \(window.ref) không đạt", detail: problems.joined(separator: "\n"),
                                     severity: .sev2, components: window.components, alsoSupervisors: true,
                                     db: context.db, now: context.now, time: context.time)
                    var response = Response(data: ["window": .string(window.ref), "problems": .array(problems.map(JSON.string)),
                                                   "restore": .array(restore.map(JSON.string))])
                    response.error = .refused("\(window.ref) not completed: the database differs from before — "
                        + "\(problems.joined(separator: " | ")). To roll back, \(Self.restorers(context)) runs: "
                        + "\(restore.joined(separator: "; ")). "
                        + "A supervisor may accept it with --accept-diff --reason TEXT")
                    return response
                }
                var w = window
                w.state = .completed
                w.actualEnd = context.now
                w = try MaintenanceStore(context.db).update(w, now: context.now)
                _ = try MaintenanceDesk(context: context).followUp(w, stage: "completed")
                let gateNote = results.isEmpty ? "" : problems.isEmpty ? "; integrity and content checked against the evidence from before"
                    : "; differences accepted by \(context.caller.actorName): \(reason ?? "")"
                return Response(message: "Completed \(w.ref); recipients are told service is back\(gateNote)", data: w.json(time: context.time))
            })
    }

    /// Who may run the printed rollback (issue 13): named from the catalog, so the message stays true.
    static func restorers(_ context: CommandContext) -> String {
        let roles = context.registry.command("backup.restore")?.spec.roles.sorted().map(\.rawValue) ?? ["admin"]
        return roles.map { ("aeiou".contains($0.prefix(1)) ? "an " : "a ") + $0 }.joined(separator: " or ")
    }
}
