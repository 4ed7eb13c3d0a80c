import OpsProtocol

/// The backup lines of `opsctl status`: targets whose newest verified
/// backup is older than their --max-age, and failed drills.
enum BackupStatus {
    /// How far in the future a backup may be dated before it is suspect:
    /// clocks of one machine agree with themselves, so a minute is plenty.
    static let clockSlack: Int64 = 60_000

    static func section(_ context: CommandContext) throws -> StatusSection {
        var warnings: [String] = []
        var stale: [JSON] = []
        let store = BackupStore(context.db)
        for target in try store.targets() {
            if let maxAge = target.maxAge {
                let newest = try store.newestVerified(target: target.key)
                let taken = newest.map { $0.finishedAt ?? $0.startedAt }
                if let taken, taken > context.now + Self.clockSlack {
                    // Dated in the future: the clock stepped back since. Its age
                    // is unknown, so it does not count as recent.
                    warnings.append("\(target.key): newest verified backup is dated in the future "
                                    + "(\(context.time.format(taken))): the clock stepped back; check the time "
                                    + "source and run 'opsctl backup run \(target.key)'")
                    stale.append(.string(target.key))
                } else if taken.map({ context.now - $0 > maxAge }) ?? true {
                    let when = taken.map { "from \(context.time.format($0))" } ?? "missing"
                    warnings.append("\(target.key): newest verified backup is \(when), "
                                    + "older than \(DurationText.milliseconds(maxAge)); "
                                    + "run 'opsctl backup run \(target.key)'")
                    stale.append(.string(target.key))
                }
            }
            if let drill = try BackupRegime(context.db).lastDrill(target.key), !drill.ok {
                warnings.append("\(target.key): the last restore drill failed (\(drill.detail))")
            }
        }
        let summary = "\(try store.targets().count) target(s), \(stale.count) without a recent verified backup"
        return StatusSection(fields: [["backups", summary]],
                             data: ["stale_backup_targets": .array(stale)], warnings: warnings)
    }
}
