import OpsProtocol
/// Which backups a target keeps: the newest `keepLast`; the newest of each
/// of the last `keepDaily` days, `keepWeekly` weeks and `keepMonthly`
/// months that have backups (grandfather-father-son); always the newest
/// verified backup and every backup pinned by a maintenance window.
enum Retention {
    static func toRemove(_ backups: [Backup], target: BackupTarget, time: LocalTime) -> [Backup] {
        let complete = backups.filter { $0.state == .complete }.sorted { $0.id > $1.id }   // newest first
        var keep = Set(complete.prefix(target.keepLast).map(\.ref))
        func keepNewest(per period: (Backup) -> String, count: Int) {
            var seen: [String] = []
            for backup in complete {
                let key = period(backup)
                if !seen.contains(key) {
                    guard seen.count < count else { break }
                    seen.append(key)
                    keep.insert(backup.ref)
                }
            }
        }
        func taken(_ b: Backup) -> Int64 { b.finishedAt ?? b.startedAt }
        keepNewest(per: { time.dateText(taken($0)) }, count: target.keepDaily)
        keepNewest(per: { b in
            // The Monday that starts the backup's week.
            let day = time.startOfDay(taken(b))
            return time.dateText(time.addingDays(-((time.weekday(day) + 5) % 7), to: day))
        }, count: target.keepWeekly)
        keepNewest(per: { String(time.dateText(taken($0)).prefix(7)) }, count: target.keepMonthly)
        if let newestVerified = complete.first(where: { $0.verifyOK == true }) { keep.insert(newestVerified.ref) }
        for pinned in complete where pinned.window != nil { keep.insert(pinned.ref) }
        return complete.filter { !keep.contains($0.ref) }.sorted { $0.id < $1.id }
    }
}
