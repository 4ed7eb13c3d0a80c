import OpsProtocol
/// What an agency, a citizen or a partner told the provider.
public struct Feedback: Sendable, Equatable {
    /// How feedback came; stored as its raw text in `feedback.channel`.
    public enum Channel: String, CaseIterable, Sendable {
        case phone, email, letter, portal, meeting, hotline
    }

    /// What feedback is about; stored as its raw text in `feedback.category`.
    public enum Category: String, CaseIterable, Sendable {
        case outage, error, slow, usability, data, security, suggestion
    }

    public let id: Int64
    public let ref: String
    public var from: String
    public var recipient: String?
    public var channel: String
    public var category: String
    public var summary: String
    public var detail: String?
    public var receivedAt: Int64
    public var theirRef: String?
    public var incident: String?
    public var window: String?
    public var dueAt: Int64
    public var respondedAt: Int64?
    public var response: String?
    public var closedAt: Int64?
    /// Where the answer goes when the sender is not a recipient (`feedback add --email`).
    public var replyEmail: String? = nil

    public func isOverdue(_ now: Int64) -> Bool { respondedAt == nil && closedAt == nil && now > dueAt }

    public func json(time: LocalTime) -> JSON {
        func t(_ v: Int64?) -> JSON { v.map { .string(time.iso8601($0)) } ?? .null }
        return ["ref": .string(ref), "from": .string(from), "recipient": JSON(recipient), "email": JSON(replyEmail),
                "channel": .string(channel),
                "category": .string(category), "summary": .string(summary), "detail": JSON(detail), "received_at": t(receivedAt),
                "their_ref": JSON(theirRef), "incident": JSON(incident), "window": JSON(window), "due_at": t(dueAt),
                "due_date": .string(Deadline(dueAt, time).lastDay),
                "responded_at": t(respondedAt), "response": JSON(response), "closed_at": t(closedAt),
                "state": .string(closedAt != nil ? "closed" : respondedAt != nil ? "responded" : "open")]
    }
}

/// Something to change so that a problem does not recur, with an owner and
/// a due date.
public struct Recommendation: Sendable, Equatable {
    public static let sourceKinds = ["incident", "feedback", "backup", "review", "security-assessment"]

    public enum Priority: String, CaseIterable, Sendable {
        case high, medium, low
    }

    /// open → done (with evidence) or rejected (with a reason); stored as its raw text.
    public enum State: String, CaseIterable, Sendable {
        case open, done, rejected
    }

    public let id: Int64
    public let ref: String
    public var title: String
    /// `incident:INC-2026-0042`, `feedback:FB-…`, `backup:BK-…`, `review`, `security-assessment`.
    public var source: String
    public var owner: String
    /// The end of the due day (local midnight after it).
    public var dueAt: Int64
    public var priority: Priority
    public var state: State
    public var evidence: String?
    public var reason: String?
    public var closedAt: Int64?
    public var closedBy: String?

    public func isOverdue(_ now: Int64) -> Bool { state == .open && now >= dueAt }

    public func json(time: LocalTime) -> JSON {
        ["ref": .string(ref), "title": .string(title), "source": .string(source), "owner": .string(owner),
         "due": .string(time.dateText(dueAt - 1)), "due_date": .string(Deadline(dueAt, time).lastDay),
         "priority": .string(priority.rawValue),
         "state": .string(state.rawValue),
         "evidence": JSON(evidence), "reason": JSON(reason), "closed_at": closedAt.map { .string(time.iso8601($0)) } ?? .null,
         "closed_by": JSON(closedBy)]
    }
}

/// A written request from the provincial People's Committee Office or the
/// Department of Information and Communications to fix a function or an error.
public struct FixRequest: Sendable, Equatable {
    /// Who sent it: the People's Committee Office, the Department of
    /// Information and Communications, or another body; stored as its raw text.
    public enum Sender: String, CaseIterable, Sendable {
        case office, dic, other
    }

    /// open → done; stored as its raw text.
    public enum State: String, CaseIterable, Sendable {
        case open, done
    }

    public let id: Int64
    public let ref: String
    public var from: String
    public var theirRef: String
    public var receivedAt: Int64
    public var title: String
    public var dueAt: Int64
    public var component: String?
    public var incident: String?
    public var state: State
    public var resolution: String?
    public var window: String?
    public var doneAt: Int64?

    public func isOverdue(_ now: Int64) -> Bool { state == .open && now >= dueAt }

    public func json(time: LocalTime) -> JSON {
        ["ref": .string(ref), "from": .string(from), "their_ref": .string(theirRef), "received_at": .string(time.iso8601(receivedAt)),
         "title": .string(title), "due": .string(time.dateText(dueAt - 1)),
         "due_date": .string(Deadline(dueAt, time).lastDay), "component": JSON(component), "incident": JSON(incident),
         "state": .string(state.rawValue), "resolution": JSON(resolution), "window": JSON(window),
         "done_at": doneAt.map { .string(time.iso8601($0)) } ?? .null]
    }
}
