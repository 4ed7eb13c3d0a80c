import OpsProtocol
import Foundation

/// `backup prune`: what the target's retention does not keep is decided on
/// the writer, its files removed beside it, and marked removed on it.
enum PruneBackups {
    static let dryRun = Flag.named("dry-run", "only list what would be removed")

    static let command = Command(
        "backup.prune", "Remove backups the target's retention does not keep", roles: BackupArguments.supervisors,
        audit: .changes, arguments: [BackupArguments.target, dryRun],
        details: "Never removes the newest verified backup or a backup pinned by a maintenance window.",
        job: prepare)

    @Sendable static func prepare(_ context: CommandContext) throws -> PreparedJob {
        let target = try BackupArguments.existingTarget(context)
        let doomed = Retention.toRemove(try BackupStore(context.db).backups(target: target.key), target: target,
                                        time: context.time)
        let dryRun = context[Self.dryRun]
        return PreparedJob(
            work: { progress in
                if dryRun { return .array(doomed.map { .string($0.ref) }) }
                for backup in doomed {
                    progress("removing \(backup.ref)")
                    for file in [backup.file, backup.manifest, backup.copyFile].compactMap({ $0 }) { unlink(file) }
                    if let copy = backup.copyFile {
                        unlink((copy as NSString).deletingPathExtension + ".manifest.json")
                    }
                }
                return .array(doomed.map { .string($0.ref) })
            },
            finish: { context, result in
                guard case .success = result else {
                    return Response(error: .internalError("prune of \(target.key) failed"))
                }
                if !dryRun {
                    for backup in doomed { try BackupRegime(context.db).markRemoved(backup.ref, now: context.now) }
                }
                let list = doomed.map(\.ref).joined(separator: ", ")
                let message = doomed.isEmpty ? "Nothing to remove: retention keeps every backup of \(target.key)"
                    : dryRun ? "Would remove \(doomed.count): \(list)" : "Removed \(doomed.count): \(list)"
                return Response(message: message,
                                data: ["target": .string(target.key), "dry_run": .bool(dryRun),
                                       "removed": .array(doomed.map { .string($0.ref) })])
            })
    }
}
