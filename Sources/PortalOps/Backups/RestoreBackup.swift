import OpsProtocol

/// `backup restore`: into a new file, or over the live database after a
/// safety backup of what is there. The backup is verified before anything
/// is written.
enum RestoreBackup {
    static let to = Option.named(
        "to", .text,
        "SQLite: a path that does not exist yet; command targets: what their restore command's {path} stands for "
            + "(e.g. a scratch database name)",
        valueName: "PATH")
    static let replace = Flag.named(
        "replace", "restore over the target's live database; a backup of what is there is taken first")

    static let command = Command(
        "backup.restore", "Restore a backup into a new file (or, with --replace, over the live database)",
        roles: BackupArguments.supervisors, audit: .changes, arguments: [BackupArguments.backup, to, replace],
        job: prepare)

    @Sendable static func prepare(_ context: CommandContext) throws -> PreparedJob {
        let backup = try BackupArguments.existingBackup(context)
        guard backup.state == .complete else {
            throw OpsError.refused("\(backup.ref) is \(backup.state.rawValue); only a complete backup restores")
        }
        guard let target = try BackupStore(context.db).target(backup.target) else {
            throw OpsError.refused("target \(backup.target) is gone")
        }
        let replace = context[Self.replace]
        let destination = try context[to]
        switch (destination, replace) {
        case (nil, false), (_?, true):
            throw OpsError.usage("give --to PATH (a new file) or --replace (the live database), not both")
        default: break
        }
        if replace && target.kind != .sqlite {
            throw OpsError.refused("--replace restores SQLite targets; "
                                   + "for \(target.key) use its restore command with --to")
        }
        if let destination, target.kind == .sqlite, !destination.hasPrefix("/") {
            throw OpsError.usage("--to needs an absolute path")
        }
        // Before replacing the live database, a backup of what is there.
        let safety = replace
            ? try Sequences(context.db).nextIdentifier(prefix: "BK", year: context.time.year(context.now)) : nil
        if let safety {
            try BackupStore(context.db).start(ref: safety, target: target.key,
                                              label: "trước khi khôi phục \(backup.ref)", window: nil,
                                              by: context.caller.actorName, now: context.now)
        }
        let engine = BackupEngine(environment: context.environment, time: context.time)
        let limits = try BackupLimits.load(context.db), started = context.now
        let requester = context.caller.uid
        return PreparedJob(
            work: { progress in
                progress("\(backup.ref): verifying before restoring")
                let (ok, detail) = try engine.verify(backup, progress: progress)
                guard ok else { throw OpsError.refused("\(backup.ref) fails verification, not restored: \(detail)") }
                var safetyArtifact: JSON = .null
                var warning: JSON = .null
                if let safety {
                    progress("\(safety): backing up the live database first")
                    let artifact = try engine.take(target, ref: safety, label: nil, window: nil, startedAt: started,
                                                   limits: limits, progress: progress)
                    safetyArtifact = artifact.json
                    progress("\(backup.ref): restoring over \(target.path ?? "")")
                    try engine.restoreLive(backup, target: target)
                } else if let destination {
                    progress("\(backup.ref): restoring to \(destination)")
                    warning = JSON(try engine.restore(backup, target: target, to: destination,
                                                      timeoutMilliseconds: limits.timeoutMilliseconds,
                                                      owner: requester))
                }
                return ["safety": safetyArtifact, "warning": warning]
            },
            finish: { context, result in
                let store = BackupStore(context.db)
                switch result {
                case .success(let json):
                    if let safety, let s = json["safety"], s != .null {
                        // The safety backup is recorded without its 3-2-1 copy, as it always was.
                        let taken = BackupArtifact(json: s)
                        try store.complete(safety, artifact: BackupArtifact(
                            file: taken.file, size: taken.size, sha256: taken.sha256, manifest: taken.manifest,
                            fingerprint: taken.fingerprint, copyFile: nil), now: context.now)
                    }
                    let where_ = destination ?? target.path ?? ""
                    return Response(message: "Restored \(backup.ref) to \(where_)"
                                        + (safety.map { "; what was there is backup \($0)" } ?? ""),
                                    data: ["backup": .string(backup.ref), "to": .string(where_),
                                           "safety_backup": JSON(safety)],
                                    warnings: json["warning"]?.stringValue.map { [$0] } ?? [])
                case .failure(let error):
                    if let safety { try store.fail(safety, error: error.message, now: context.now) }
                    return Response(error: .refused("restore of \(backup.ref) failed: \(error.message)"))
                }
            })
    }
}
