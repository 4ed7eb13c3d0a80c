import OpsProtocol
/// A planned stop of some of the portal's components for maintenance, an
/// upgrade or a version update, announced in writing beforehand.
public struct MaintenanceWindow: Sendable, Equatable {
    public enum Kind: String, CaseIterable, Sendable {
        case maintenance, upgrade
        case versionUpdate = "version-update"

        /// What the notice says the stop is for.
        var purpose: String {
            switch self {
            case .maintenance: "bảo trì hệ thống"
            case .upgrade: "nâng cấp hệ thống"
            case .versionUpdate: "cập nhật phiên bản phần mềm"
            }
        }

        /// The setting holding the notice this kind of stop needs beforehand.
        var leadPolicy: PolicyDefinition {
            switch self {
            case .maintenance: .maintenanceLeadMaintenance
            case .upgrade: .maintenanceLeadUpgrade
            case .versionUpdate: .maintenanceLeadVersionUpdate
            }
        }
    }

    /// planned → announced → in-progress → completed; planned or announced → cancelled.
    public enum State: String, CaseIterable, Sendable {
        case planned, announced
        case inProgress = "in-progress"
        case completed, cancelled
    }

    public let id: Int64
    public var ref: String
    public var title: String
    public var kind: Kind
    public var state: State
    public var start: Int64
    public var end: Int64
    public var components: [String]
    public var groups: [String]
    public var impact: String?
    public var advice: String?
    public var emergency: Bool
    /// Why it is an emergency, in the public form the notice prints.
    public var reason: String?
    /// The real reason, kept in the record and the audit trail only: shown by
    /// `maintenance show` to supervisors, admins and security, never in a notice,
    /// a mail or `json(time:)` (a vulnerability under attack is not announced).
    public var internalReason: String?
    public var approvedBy: String?
    public var inServiceHours: Bool
    public var actualStart: Int64?
    public var actualEnd: Int64?
    public var reminderSentAt: Int64?
    /// Raised on every change, for the iCalendar feed's SEQUENCE.
    public var revision: Int
    public var createdAt: Int64
    public var createdBy: String
    /// The framed urgency mark its notices carry (an emergency is at least KHẨN).
    public var urgency: NoticeUrgency? = nil

    public func json(time: LocalTime) -> JSON {
        ["ref": .string(ref), "title": .string(title), "kind": .string(kind.rawValue), "state": .string(state.rawValue),
         "start": .string(time.iso8601(start)), "end": .string(time.iso8601(end)),
         "components": .array(components.map(JSON.string)), "groups": .array(groups.map(JSON.string)),
         "impact": JSON(impact), "advice": JSON(advice), "emergency": .bool(emergency), "reason": JSON(reason),
         "approved_by": JSON(approvedBy), "in_service_hours": .bool(inServiceHours),
         "actual_start": actualStart.map { .string(time.iso8601($0)) } ?? .null,
         "actual_end": actualEnd.map { .string(time.iso8601($0)) } ?? .null, "revision": .int(Int64(revision)),
         "urgency": JSON(urgency?.rawValue)]
    }
}
