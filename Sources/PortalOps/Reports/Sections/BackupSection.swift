import OpsProtocol

/// The data backup regime over the window (Art. 14): backups per target (taken, failed, verified),
/// restore drills, integrity checks and fingerprints, and the upgrade gates of the window's
/// upgrades — the integrity of the database before and after.
enum BackupSection {
    static func build(_ r: ReportContext) throws -> ReportSection {
        let backups = try BackupStore(r.db).backups(includeRemoved: true).filter { r.window.contains($0.startedAt) }
        let drills = try BackupRegime(r.db).drills(from: r.window.from, to: r.window.to)
        let records = try IntegrityStore(r.db).records(target: nil).filter { r.window.contains($0.at) }
        var section = ReportSection(key: "backups", title: "Sao lưu dữ liệu và bảo đảm toàn vẹn cơ sở dữ liệu")
        let targets = Set(backups.map(\.target)).union(drills.map(\.target)).sorted()
        let rows = targets.map { target -> [String] in
            let mine = backups.filter { $0.target == target }
            let drilled = drills.filter { $0.target == target }
            return [target, String(mine.filter { $0.state == .complete }.count),
                    String(mine.filter { $0.state == .failed }.count),
                    String(mine.filter { $0.verifyOK == true }.count),
                    "\(drilled.filter(\.ok).count)/\(drilled.count)"]
        }
        let complete = backups.filter { $0.state == .complete }.count
        let failed = backups.filter { $0.state == .failed }.count
        section.paragraphs.append("Trong kỳ đã sao lưu thành công \(complete) lần, \(failed) lần không thành công; "
                                  + "diễn tập khôi phục \(drills.count) lần (\(drills.filter(\.ok).count) đạt); "
                                  + "kiểm tra toàn vẹn \(records.count) lần (\(records.filter { !$0.ok }.count) "
                                  + "lần phát hiện vấn đề).")
        if !rows.isEmpty {
            section.tables.append(ReportTable(
                caption: "Sao lưu theo đối tượng",
                columns: ["Đối tượng", "Thành công", "Không thành công", "Đã kiểm tra", "Diễn tập đạt"], rows: rows))
        }
        let gates = try upgradeGates(r)
        if !gates.isEmpty {
            section.tables.append(ReportTable(
                caption: "Kiểm tra toàn vẹn trước và sau nâng cấp",
                columns: ["Đợt", "Loại", "Đối tượng", "Trước", "Sau"], rows: gates))
        }
        section.figures = ["backups_complete": .int(Int64(complete)), "backups_failed": .int(Int64(failed)),
                           "drills": .int(Int64(drills.count)), "drills_ok": .int(Int64(drills.filter(\.ok).count)),
                           "integrity_checks": .int(Int64(records.count)),
                           "integrity_problems": .int(Int64(records.filter { !$0.ok }.count)),
                           "upgrade_gates": .int(Int64(gates.count))]
        return section
    }

    /// One row per target of each upgrade or version update in the window: the evidence before and after.
    private static func upgradeGates(_ r: ReportContext) throws -> [[String]] {
        let gates = UpgradeGates(r.db)
        return try MaintenanceStore(r.db).windows(from: r.window.from, to: r.window.to)
            .filter { $0.kind != .maintenance }
            .flatMap { w -> [[String]] in
                let evidence = try gates.evidence(w.id)
                return try gates.targets(w.id).map { target in
                    func phase(_ name: String) -> String {
                        guard let e = evidence.last(where: { $0.phase == name && $0.target == target }) else {
                            return "chưa có"
                        }
                        return e.integrityOK ? "đạt" : "có vấn đề"
                    }
                    return [w.ref, w.kind.purpose, target, phase("before"), phase("after")]
                }
            }
    }
}
