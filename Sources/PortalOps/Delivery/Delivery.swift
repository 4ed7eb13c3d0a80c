import OpsProtocol
/// One message to one recipient on one channel, with its own state.
public struct Delivery: Sendable, Equatable {
    public enum State: String, CaseIterable, Sendable {
        /// Waiting for its first attempt, or put back by a retry.
        case queued
        /// Claimed by the sender; back to queued if opsd stops mid-way.
        case sending
        case sent
        /// The last attempt failed; another is scheduled.
        case failed
        /// Given up, with the last error; `outbox retry` revives it.
        case dead
        /// Stopped on purpose (the recipient was removed, or `outbox cancel`), with who and why in
        /// its last error; never sent or retried, and not a failure (issue 19).
        case cancelled
    }

    public let id: Int64
    public let messageID: Int64
    public let recipient: String
    public let channel: Channel
    public let address: String
    /// Stable identity across attempts: the mail's Message-ID, the
    /// webhook's Idempotency-Key. A receiver drops a repeat by it.
    public let token: String
    public let state: State
    public let attempts: Int
    public let nextAttemptAt: Int64?
    public let lastError: String?
    public let sentAt: Int64?
    public let createdAt: Int64
    /// A webhook body rendered for this recipient (a person's SMS contact), sent as is.
    public var body: String? = nil
    public var contentType: String? = nil

    /// A webhook address may carry a token: in full only to admins (see `Redaction`).
    public func json(time: LocalTime, shownTo caller: Caller) -> JSON {
        ["id": .int(id), "message_id": .int(messageID), "recipient": .string(recipient), "channel": .string(channel.rawValue),
         "address": .string(Redaction.shown(address, to: caller)), "token": .string(token),
         "state": .string(state.rawValue), "attempts": .int(Int64(attempts)),
         "next_attempt_at": nextAttemptAt.map { .string(time.iso8601($0)) } ?? .null, "last_error": JSON(lastError),
         "sent_at": sentAt.map { .string(time.iso8601($0)) } ?? .null, "created_at": .string(time.iso8601(createdAt))]
    }
}

/// A delivery claimed for sending, with everything the sender needs.
public struct DeliveryJob: Sendable {
    public let delivery: Delivery
    public let attemptID: Int64
    public let recipientName: String
    public let message: OutgoingMessage
    public let createdAt: Int64
}
