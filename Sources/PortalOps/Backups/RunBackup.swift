import OpsProtocol

/// `backup run`: started on the writer (so the ref and the `running` row
/// exist before any file does), written beside it, recorded on it.
enum RunBackup {
    static let label = Option.named("label", .text, "e.g. 'trước nâng cấp'")
    static let window = Option.named("window", .text, "the maintenance window it belongs to", valueName: "MW")

    static let command = Command(
        "backup.run", "Take a backup now: copied, checked, hashed, described by a manifest",
        roles: BackupArguments.operators, audit: .changes, arguments: [BackupArguments.target, label, window],
        details: "SQLite targets use the online backup API, consistent while others write. "
            + "Progress is shown as it goes.",
        job: prepare)

    @Sendable static func prepare(_ context: CommandContext) throws -> PreparedJob {
        let target = try BackupArguments.existingTarget(context)
        let window = try context[Self.window].map { try References(context).resolve($0, prefixes: ["MW"]) }
            .map { ref -> String in
            guard try MaintenanceStore(context.db).byRef(ref) != nil else {
                throw OpsError.refused("no maintenance window \(ref.uppercased())")
            }
            return ref.uppercased()
        }
        let ref = try Sequences(context.db).nextIdentifier(prefix: "BK", year: context.time.year(context.now))
        let label = try context[Self.label]
        try BackupStore(context.db).start(ref: ref, target: target.key, label: label, window: window,
                                          by: context.caller.actorName, now: context.now)
        let started = context.now, limits = try BackupLimits.load(context.db)
        let engine = BackupEngine(environment: context.environment, time: context.time)
        return PreparedJob(
            work: { progress in
                let artifact = try engine.take(target, ref: ref, label: label, window: window, startedAt: started,
                                               limits: limits, progress: progress)
                return artifact.json
            },
            finish: { context, result in
                let store = BackupStore(context.db)
                switch result {
                case .success(let json):
                    let artifact = BackupArtifact(json: json)
                    try store.complete(ref, artifact: artifact, now: context.now)
                    return Response(message: "Backup \(ref) of \(target.key): \(artifact.size) bytes, "
                                        + "sha256 \(artifact.sha256.prefix(16))…, checked"
                                        + (artifact.copyFile != nil ? ", copied" : ""),
                                    data: try store.backup(ref)?.json(time: context.time) ?? .null)
                case .failure(let error):
                    try store.fail(ref, error: error.message, now: context.now)
                    var response = Response(error: .refused("backup \(ref) of \(target.key) failed: \(error.message)"))
                    response.data = try store.backup(ref)?.json(time: context.time) ?? .null
                    return response
                }
            })
    }
}
