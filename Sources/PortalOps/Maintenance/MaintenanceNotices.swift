import OpsProtocol
import SQLite

/// What a maintenance notice says, for each purpose: the announcement, and
/// the numbered notices that replace it (extension, cancellation,
/// correction). Short follow-ups (reminder, start, completion) are messages,
/// not numbered notices, and cite the notice in force.
struct MaintenanceNotices {
    let time: LocalTime
    let componentNames: [String]
    let issuerName: String

    var target: String { componentNames.joined(separator: ", ") }

    /// The writer for `w`, with its components' names and the issuer's name in force.
    static func load(_ w: MaintenanceWindow, db: Connection, time: LocalTime) throws -> MaintenanceNotices {
        MaintenanceNotices(time: time, componentNames: try ComponentStore(db).requireAll(w.components).map(\.name),
                           issuerName: try NoticeSettings.load(PolicyStore(db)).issuerName)
    }

    func subject(_ w: MaintenanceWindow, _ purpose: NoticeDocument.Purpose, replacing: Notice?) -> String {
        switch purpose {
        case .announcement: "tạm dừng hoạt động \(target) để \(w.kind.purpose)"
        case .extension: "gia hạn thời gian tạm dừng hoạt động \(target) để \(w.kind.purpose)"
        case .cancellation: "hủy kế hoạch tạm dừng hoạt động \(target)"
        // Decree 30/2020 Art. 18.3: a change of content is a replacement, never an "đính chính".
        case .replacement, .correction:
            "tạm dừng hoạt động \(target) để \(w.kind.purpose) (thay thế Thông báo số \(replacing?.number ?? ""))"
        }
    }

    func paragraphs(_ w: MaintenanceWindow, _ purpose: NoticeDocument.Purpose, reason: String?) -> [String] {
        let period = VietnameseDate.period(w.start, w.end, time: time)
        let back = VietnameseDate.moment(w.end, time: time)
        var paragraphs: [String] = []
        switch purpose {
        case .cancellation:
            paragraphs.append("\(issuerName) thông báo hủy kế hoạch tạm dừng hoạt động \(target) \(period) để \(w.kind.purpose). \(target) vẫn hoạt động bình thường trong thời gian này.")
            if let reason { paragraphs.append("Lý do: \(reason).") }
            return paragraphs
        case .extension:
            paragraphs.append("Do công việc \(w.kind.purpose) cần thêm thời gian, \(issuerName) thông báo gia hạn thời gian tạm dừng hoạt động \(target) đến \(back).")
            if let reason { paragraphs.append("Lý do gia hạn: \(reason).") }
        case .replacement, .correction:
            paragraphs.append("\(issuerName) thông báo lại kế hoạch tạm dừng hoạt động \(target) để \(w.kind.purpose), "
                              + "cụ thể như sau:")
            if let reason { paragraphs.append("Lý do thay thế: \(reason).") }
        case .announcement:
            if w.emergency {
                paragraphs.append("Do cần xử lý khẩn cấp\(w.reason.map { ": \($0)" } ?? ""), \(issuerName) thông báo tạm dừng hoạt động \(target) để \(w.kind.purpose), cụ thể như sau:")
            } else {
                paragraphs.append("\(issuerName) thông báo tạm dừng hoạt động \(target) để \(w.kind.purpose), cụ thể như sau:")
            }
        }
        paragraphs.append("1. Thời gian tạm dừng: \(period).")
        paragraphs.append("2. Nội dung công việc: \(w.title).")
        paragraphs.append("3. Dịch vụ bị ảnh hưởng: \(target)\(w.impact.map { "; \($0)" } ?? "").")
        paragraphs.append("4. Thời gian dự kiến hoạt động trở lại: \(back).")
        paragraphs.append("5. Đề nghị các cơ quan, tổ chức, cá nhân: \(w.advice ?? "chủ động sắp xếp thời gian nộp hồ sơ, tra cứu và thanh toán trực tuyến trước hoặc sau thời gian tạm dừng").")
        if w.inServiceHours {
            paragraphs.append("Lưu ý: thời gian tạm dừng có trùng với giờ làm việc; các cơ quan bố trí tiếp nhận hồ sơ trực tiếp trong thời gian này.")
        }
        return paragraphs
    }

    func document(_ w: MaintenanceWindow, _ purpose: NoticeDocument.Purpose, replacing: Notice?, reason: String?,
                  recipientNames: [String]) -> NoticeDocument {
        NoticeDocument(purpose: purpose, subject: subject(w, purpose, replacing: replacing),
                       paragraphs: paragraphs(w, purpose, reason: reason),
                       urgency: w.urgency ?? (w.emergency ? .khan : nil),
                       replaces: replacing.map { ($0.number, VietnameseDate.shortDate($0.issuedAt, time: time)) },
                       reference: w.ref, recipientNames: recipientNames)
    }

    /// A short follow-up message citing the notice in force.
    func followUp(_ w: MaintenanceWindow, notice: Notice, stage: String) -> OutgoingMessage {
        let (subject, text): (String, String)
        switch stage {
        case "reminder":
            subject = "[Nhắc lịch] Tạm dừng \(target) \(VietnameseDate.period(w.start, w.end, time: time))"
            text = "Nhắc lại Thông báo số \(notice.number) ngày \(VietnameseDate.shortDate(notice.issuedAt, time: time)) của \(issuerName): \(target) sẽ tạm dừng hoạt động \(VietnameseDate.period(w.start, w.end, time: time)) để \(w.kind.purpose)."
        case "started":
            subject = "[Bắt đầu] \(target) tạm dừng theo Thông báo số \(notice.number)"
            text = "Theo Thông báo số \(notice.number), \(target) bắt đầu tạm dừng hoạt động lúc \(VietnameseDate.moment(w.actualStart ?? w.start, time: time)) để \(w.kind.purpose); dự kiến hoạt động trở lại \(VietnameseDate.moment(w.end, time: time))."
        default:
            subject = "[Hoàn thành] \(target) đã hoạt động trở lại"
            text = "Công việc \(w.kind.purpose) theo Thông báo số \(notice.number) đã hoàn thành; \(target) hoạt động trở lại từ \(VietnameseDate.moment(w.actualEnd ?? w.end, time: time))."
        }
        return OutgoingMessage(kind: "maintenance-\(stage)", subject: subject, text: text,
                               payload: ["window": .string(w.ref), "stage": .string(stage), "notice": .string(notice.number)],
                               reference: w.ref)
    }
}
