import OpsProtocol

/// Maintenance, upgrades and version updates in the window: each window with its notices (numbers),
/// the lead time the first notice gave, how many deliveries went out and how many recipients
/// acknowledged — what proves the provider told agencies in writing before the work (Art. 14).
enum MaintenanceSection {
    static func build(_ r: ReportContext) throws -> ReportSection {
        let windows = try MaintenanceStore(r.db).windows(from: r.window.from, to: r.window.to)
        let notices = NoticeStore(r.db), outbox = Outbox(r.db), store = MaintenanceStore(r.db)
        var section = ReportSection(key: "maintenance", title: "Bảo trì, nâng cấp hệ thống")
        var rows: [[String]] = []
        var delivered = 0, failed = 0, acknowledged = 0, recipients = 0
        for w in windows {
            let issued = try notices.notices(reference: w.ref)
            let deliveries = try issued.compactMap(\.messageID)
                .flatMap { try outbox.deliveries(message: $0, limit: 10_000) }
            let sent = deliveries.filter { $0.state == .sent }.count
            let dead = deliveries.filter { $0.state == .dead }.count
            let acks = try store.acknowledgements(w.id).values.reduce(into: Set<String>()) { $0.formUnion($1.keys) }
            let told = Set(try issued.flatMap { try notices.recipients(of: $0.id).map(\.key) })
            delivered += sent
            failed += dead
            acknowledged += acks.count
            recipients += told.count
            let lead = issued.first.map { ReportText.duration(w.start - $0.issuedAt) } ?? "không có thông báo"
            rows.append([w.ref, w.kind.purpose, VietnameseTerms.windowState(w.state),
                         VietnameseDate.period(w.start, w.end, time: r.time),
                         issued.isEmpty ? "—" : issued.map(\.number).joined(separator: ", "), lead,
                         "\(sent)/\(deliveries.count)", "\(acks.count)/\(told.count)"])
        }
        section.paragraphs.append(windows.isEmpty ? "Trong kỳ không có đợt bảo trì, nâng cấp nào."
            : "Trong kỳ có \(windows.count) đợt bảo trì, nâng cấp; \(delivered) lượt gửi thông báo thành công, "
                + "\(failed) lượt không gửi được; \(acknowledged)/\(recipients) đơn vị đã xác nhận đã nhận thông báo.")
        if !rows.isEmpty {
            section.tables.append(ReportTable(
                caption: "Các đợt bảo trì, nâng cấp",
                columns: ["Số hiệu", "Loại", "Trạng thái", "Thời gian", "Thông báo số", "Báo trước", "Đã gửi",
                          "Đã xác nhận"], rows: rows))
        }
        section.figures = ["windows": .int(Int64(windows.count)), "deliveries_sent": .int(Int64(delivered)),
                           "deliveries_dead": .int(Int64(failed)), "acknowledged": .int(Int64(acknowledged)),
                           "recipients": .int(Int64(recipients)),
                           "notices": .array(try windows.flatMap { try notices.notices(reference: $0.ref) }
                               .map { .string($0.number) })]
        return section
    }
}
