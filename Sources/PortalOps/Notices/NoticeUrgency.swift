import OpsProtocol

/// The urgency mark of Decree 30/2020 (Art. 15): a framed word the clerk
/// sees before anything else, chosen for the window, not implied by it.
public enum NoticeUrgency: String, CaseIterable, Sendable {
    case khan = "khan"
    case thuongKhan = "thuong-khan"
    case hoaToc = "hoa-toc"

    /// The word as the document prints it, inside its frame.
    public var mark: String {
        switch self {
        case .khan: "KHẨN"
        case .thuongKhan: "THƯỢNG KHẨN"
        case .hoaToc: "HỎA TỐC"
        }
    }
}
