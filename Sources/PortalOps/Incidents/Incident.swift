import OpsProtocol
/// Something wrong with the portal, from detection to a closed review.
public struct Incident: Sendable, Equatable {
    public enum Severity: String, CaseIterable, Sendable, Comparable {
        case sev1, sev2, sev3, sev4

        /// Written meanings, shown in help and the runbook.
        public var meaning: String {
            switch self {
            case .sev1: "the portal is unavailable or data is at risk"
            case .sev2: "a major function is down (online payment, the link to the National Public Service Portal)"
            case .sev3: "degraded: slow, or a minor function down"
            case .sev4: "minor: cosmetic, a workaround exists"
            }
        }

        /// sev1–sev3 page the people on shift; sev4 waits for office hours.
        public var pages: Bool { self != .sev4 }

        public static func < (a: Severity, b: Severity) -> Bool { a.rawValue < b.rawValue }
    }

    /// open → acknowledged → resolved → closed; reopen goes back to open.
    public enum State: String, CaseIterable, Sendable {
        case open, acknowledged, resolved, closed
    }

    public enum Source: String, CaseIterable, Sendable {
        case `operator`, monitor, agency, office, dic, security
    }

    /// What an entry of the timeline records, stored as its raw text in
    /// `incident_events.kind`: the timeline reads as a history, and reports
    /// pick the entries that describe measures taken.
    public enum EventKind: String, CaseIterable, Sendable {
        case opened, acknowledged, assigned, note, severity, resolved, closed, reopened, notified, paged, escalated
        /// Made public or taken off the status page (issue 15 item 5).
        case published, unpublished
    }

    /// The two written reports of a security incident (Circular 20/2017/TT-BTTTT):
    /// the initial one within 5 days of detection, the closing one after the response.
    public enum ReportForm: String, CaseIterable, Sendable {
        case initial, closing
    }

    /// The prefix of ordinary incidents' references: `INC-2026-0042`.
    public static let prefix = "INC"
    /// Security incidents are numbered apart, `SEC-2026-0001`. Databases from before
    /// keep their INC references for security incidents: nothing is renumbered.
    public static let securityPrefix = "SEC"

    public let id: Int64
    public let ref: String
    public var title: String
    public var severity: Severity
    public var state: State
    public var source: Source
    public var detail: String?
    public var security: Bool
    public var components: [String]
    public var detectedAt: Int64
    public var openedAt: Int64
    public var openedBy: String
    public var acknowledgedAt: Int64?
    public var acknowledgedBy: String?
    public var assignee: String?
    public var resolvedAt: Int64?
    public var cause: String?
    public var resolution: String?
    public var closedAt: Int64?
    public var review: String?
    /// Escalation pages sent to supervisors since the last acknowledgement.
    public var escalations: Int
    /// The highest severity the incident ever had (issue 13): stats and reports count it there, so
    /// lowering a sev1 to sev2 does not make the outage vanish from the sev1 count. Kept by the store.
    public var peakSeverity: Severity? = nil
    /// When the incident was made public (`incident publish`), nil while it is not: the status page
    /// shows it and subscribers receive its notices only while this is set. Never set on a security incident.
    public var publishedAt: Int64? = nil

    /// The severity stats count the incident under.
    public var countedSeverity: Severity { min(peakSeverity ?? severity, severity) }

    /// Security incidents: notify VNCERT/CC and the provincial response unit
    /// within 5 days of detection (Decision 05/2017/QĐ-TTg).
    public var notifyDue: Int64? { security ? detectedAt + Self.reportingDays : nil }
    /// …and send the closing report within 5 days after the response ends.
    public var closingReportDue: Int64? { security ? resolvedAt.map { $0 + Self.reportingDays } : nil }
    /// The 5 days of both, in milliseconds.
    static let reportingDays: Int64 = 5 * 86_400_000

    public func json(time: LocalTime) -> JSON {
        func t(_ v: Int64?) -> JSON { v.map { .string(time.iso8601($0)) } ?? .null }
        return ["ref": .string(ref), "title": .string(title), "severity": .string(severity.rawValue), "state": .string(state.rawValue),
                "source": .string(source.rawValue), "detail": JSON(detail), "security": .bool(security),
                "components": .array(components.map(JSON.string)), "detected_at": t(detectedAt), "opened_at": t(openedAt),
                "opened_by": .string(openedBy), "acknowledged_at": t(acknowledgedAt), "acknowledged_by": JSON(acknowledgedBy),
                "assignee": JSON(assignee), "resolved_at": t(resolvedAt), "cause": JSON(cause), "resolution": JSON(resolution),
                "closed_at": t(closedAt), "review": JSON(review),
                "peak_severity": .string(countedSeverity.rawValue), "notify_due": t(notifyDue),
                "closing_report_due": t(closingReportDue),
                "published_at": t(publishedAt)]
    }
}

extension Role {
    /// Who may see security incidents at all.
    public var seesSecurityIncidents: Bool { self == .security || self == .supervisor || self == .admin }
}
