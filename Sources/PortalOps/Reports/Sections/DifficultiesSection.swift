import OpsProtocol

/// "Khó khăn, vướng mắc và đề xuất": compiled from the records rather than written by hand
/// (Art. 11.6) — open recommendations by priority, requests past their deadline, the components
/// with most incidents and the kinds of feedback heard most.
enum DifficultiesSection {
    static func build(_ r: ReportContext, incidents: ReportSection, feedback: ReportSection) throws -> ReportSection {
        let store = FeedbackStore(r.db)
        let compartment = try FeedbackCompartment(db: r.db, seesSecurity: r.seesSecurity)
        let open = try store.recommendations().filter { !compartment.hides($0) && $0.state == .open }
            .sorted { ($0.priority.rank, $0.dueAt) < ($1.priority.rank, $1.dueAt) }
        let lateRequests = try store.requests().filter { !compartment.hides($0) && $0.isOverdue(r.end) }
        var section = ReportSection(key: "difficulties", title: "Khó khăn, vướng mắc và đề xuất, kiến nghị")
        var points: [String] = []
        if let top = incidents.tables.first(where: { $0.caption == "Sự cố theo thành phần" })?.rows.first {
            points.append("Thành phần có nhiều sự cố nhất trong kỳ: \(top[0]) (\(top[1]) sự cố).")
        }
        if let heard = feedback.tables.first(where: { $0.caption == "Phản ánh theo nội dung" })?.rows.first {
            points.append("Nội dung được phản ánh nhiều nhất: \(heard[0].lowercased()) (\(heard[1]) phản ánh).")
        }
        for request in lateRequests {
            points.append("Yêu cầu \(request.ref) (\(request.from), văn bản \(request.theirRef)) quá hạn "
                          + "\(Deadline(request.dueAt, r.time).vietnamese): \(request.title).")
        }
        if points.isEmpty { points.append("Không có khó khăn, vướng mắc phát sinh từ số liệu trong kỳ.") }
        section.paragraphs = points
        if !open.isEmpty {
            section.tables.append(ReportTable(
                caption: "Kiến nghị đang thực hiện", columns: ["Số hiệu", "Mức ưu tiên", "Nội dung", "Nguồn", "Hạn"],
                rows: open.map {
                    [$0.ref, $0.priority.vietnamese, $0.title, $0.source, Deadline($0.dueAt, r.time).vietnamese]
                }))
        }
        section.figures = ["open_recommendations": .array(open.map { .string($0.ref) }),
                           "overdue_requests": .array(lateRequests.map { .string($0.ref) })]
        return section
    }
}

extension Recommendation.Priority {
    var rank: Int { self == .high ? 0 : self == .medium ? 1 : 2 }
    var vietnamese: String { self == .high ? "cao" : self == .medium ? "trung bình" : "thấp" }
}
