import OpsProtocol

/// The one table of Vietnamese words for what the code names in English:
/// roles, severities and incident states. Every text sent to agencies or
/// staff, or filed as a report (incident report drafts, pages, the shift
/// handover), takes its words from here, so a Vietnamese document never
/// carries "security" or "sev1 — the portal is unavailable"; CLI messages
/// and JSON keep the English codes.
public enum VietnameseTerms {
    /// A role as a person's position: "cán bộ an toàn thông tin", not "security".
    public static func role(_ role: Role) -> String {
        switch role {
        case .viewer: "người theo dõi"
        case .operator: "cán bộ vận hành"
        case .security: "cán bộ an toàn thông tin"
        case .supervisor: "cán bộ phụ trách ca"
        case .admin: "quản trị hệ thống"
        case .monitor: "hệ thống giám sát"
        }
    }

    /// A severity's level: "cấp 1" for sev1.
    public static func level(_ severity: Incident.Severity) -> String {
        switch severity {
        case .sev1: "cấp 1"
        case .sev2: "cấp 2"
        case .sev3: "cấp 3"
        case .sev4: "cấp 4"
        }
    }

    /// What a severity means, as README's table says it in English.
    public static func meaning(_ severity: Incident.Severity) -> String {
        switch severity {
        case .sev1: "cổng không truy cập được hoặc dữ liệu có nguy cơ bị ảnh hưởng"
        case .sev2: "một chức năng chính ngừng hoạt động (thanh toán trực tuyến, kết nối Cổng Dịch vụ công quốc gia)"
        case .sev3: "suy giảm: chậm, hoặc một chức năng phụ ngừng hoạt động"
        case .sev4: "nhỏ: lỗi hiển thị, có cách khắc phục tạm"
        }
    }

    /// "cấp 1 — cổng không truy cập được …": the level and its meaning together.
    public static func severity(_ severity: Incident.Severity) -> String {
        "\(level(severity)) — \(meaning(severity))"
    }

    public static func state(_ state: Incident.State) -> String {
        switch state {
        case .open: "chưa tiếp nhận"
        case .acknowledged: "đã tiếp nhận"
        case .resolved: "đã khắc phục"
        case .closed: "đã đóng"
        }
    }

    /// A maintenance window's state, as a report to the Office writes it.
    public static func windowState(_ state: MaintenanceWindow.State) -> String {
        switch state {
        case .planned: "đã lập kế hoạch"
        case .announced: "đã thông báo"
        case .inProgress: "đang thực hiện"
        case .completed: "đã hoàn thành"
        case .cancelled: "đã hủy"
        }
    }
}
