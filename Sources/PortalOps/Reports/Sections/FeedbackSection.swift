import OpsProtocol

/// Feedback received, recommendations and the Office's and Department's requests over the window:
/// counts, time to respond, what is overdue (Art. 11.6, 14).
enum FeedbackSection {
    static func build(_ r: ReportContext) throws -> ReportSection {
        let store = FeedbackStore(r.db)
        let compartment = try FeedbackCompartment(db: r.db, seesSecurity: r.seesSecurity)
        let feedback = try store.allFeedback().filter { !compartment.hides($0) && r.window.contains($0.receivedAt) }
        let requests = try store.requests().filter { !compartment.hides($0) && r.window.contains($0.receivedAt) }
        let recommendations = try store.recommendations().filter { !compartment.hides($0) }
        let responded = feedback.compactMap { f in f.respondedAt.map { $0 - f.receivedAt } }
        let lateFeedback = feedback.filter { f in (f.respondedAt ?? r.end) > f.dueAt }.count
        let done = requests.filter { $0.doneAt != nil }
        let lateRequests = requests.filter { q in (q.doneAt ?? r.end) > q.dueAt }.count
        let closedInWindow = recommendations.filter { $0.closedAt.map(r.window.contains) ?? false }
        var section = ReportSection(key: "feedback", title: "Phản ánh, kiến nghị và yêu cầu khắc phục")
        let median = ReportText.minutes(ReportText.median(responded))
        let feedbackText = "Tiếp nhận \(feedback.count) phản ánh, đã trả lời \(responded.count) (thời gian trả lời "
            + "trung vị \(median)), \(lateFeedback) phản ánh quá hạn trả lời."
        let requestText = "Tiếp nhận \(requests.count) yêu cầu khắc phục của Văn phòng UBND tỉnh và Sở Thông tin và "
            + "Truyền thông, đã hoàn thành \(done.count), \(lateRequests) yêu cầu quá hạn."
        section.paragraphs.append(feedbackText + " " + requestText
                                  + " Hoàn thành \(closedInWindow.count) kiến nghị trong kỳ.")
        var perCategory: [String: Int] = [:]
        for f in feedback { perCategory[f.category, default: 0] += 1 }
        let categories: [(String, Int)] = perCategory.map { ($0.key, $0.value) }
            .sorted { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
        if !categories.isEmpty {
            section.tables.append(ReportTable(caption: "Phản ánh theo nội dung", columns: ["Nội dung", "Số phản ánh"],
                                              rows: categories.map { [category($0.0), String($0.1)] }))
        }
        if !requests.isEmpty {
            section.tables.append(ReportTable(
                caption: "Yêu cầu khắc phục", columns: ["Số hiệu", "Cơ quan", "Văn bản", "Nội dung", "Hạn", "Kết quả"],
                rows: requests.map {
                    [$0.ref, $0.from, $0.theirRef, $0.title, Deadline($0.dueAt, r.time).vietnamese,
                     $0.doneAt.map { "hoàn thành " + VietnameseDate.shortDate($0, time: r.time) }
                        ?? "chưa hoàn thành"]
                }))
        }
        section.figures = ["feedback": .int(Int64(feedback.count)), "responded": .int(Int64(responded.count)),
                           "median_minutes_to_respond": ReportText.median(responded).map(JSON.double) ?? .null,
                           "feedback_overdue": .int(Int64(lateFeedback)), "requests": .int(Int64(requests.count)),
                           "requests_done": .int(Int64(done.count)), "requests_overdue": .int(Int64(lateRequests)),
                           "recommendations_done": .int(Int64(closedInWindow.count))]
        return section
    }

    static func category(_ raw: String) -> String {
        switch Feedback.Category(rawValue: raw) {
        case .outage: "Gián đoạn dịch vụ"
        case .error: "Lỗi chức năng"
        case .slow: "Truy cập chậm"
        case .usability: "Khó sử dụng"
        case .data: "Sai dữ liệu"
        case .security: "An toàn thông tin"
        case .suggestion: "Góp ý"
        case nil: raw
        }
    }
}
