import OpsProtocol

/// The answer to feedback, sent to whoever sent it (issue 19): recorded answers that nobody
/// sends leave an agency waiting. Feedback from a recipient (`--recipient`) or with the sender's
/// address (`--email`, answered through a correspondent recipient of its own) gets the answer
/// through the outbox, in Vietnamese, citing the FB-… reference (and theirs); the outbox
/// message carries the reference, so `feedback show` finds the deliveries and their state.
enum FeedbackAnswer {
    static let kind = "feedback-answer"

    /// What happened to the answer, one clause for the respond message.
    enum Outcome {
        case sent(recipient: String, deliveries: Int)
        case notSent(String)
    }

    static func send(_ f: Feedback, response: String, _ context: CommandContext) throws -> Outcome {
        let recipient: Recipient
        if let key = f.recipient {
            guard let found = try RecipientStore(context.db).byKey(key), found.isActive else {
                return .notSent("recipient \(key) is removed; answer by its channel (\(f.channel)) yourself")
            }
            recipient = found
        } else if let email = f.replyEmail {
            guard let made = try correspondent(f, email: email, context) else {
                return .notSent("recipient feedback-\(f.ref.lowercased()) is someone else; "
                                + "answer by its channel (\(f.channel)) yourself")
            }
            recipient = made
        } else {
            return .notSent("it names no recipient and no address, so answer by its channel (\(f.channel)) yourself")
        }
        let key = recipient.key
        let issuer = try NoticeSettings.load(PolicyStore(context.db)).issuerName
        let time = context.time
        let theirs = f.theirRef.map { " (văn bản số \($0))" } ?? ""
        let received = VietnameseDate.shortDate(f.receivedAt, time: time)
        let text = """
            Kính gửi: \(recipient.name)

            \(issuer) trả lời phản ánh số \(f.ref)\(theirs), nhận ngày \(received), \
            về việc: \(f.summary).

            Nội dung trả lời:
            \(response)

            Khi trao đổi thêm về nội dung này, đề nghị ghi rõ số phản ánh \(f.ref).

            Trân trọng.
            """
        let message = OutgoingMessage(
            kind: kind, subject: "Trả lời phản ánh số \(f.ref)\(theirs)", text: text,
            payload: ["feedback": .string(f.ref), "their_ref": JSON(f.theirRef), "response": .string(response)],
            reference: f.ref,
            security: try FeedbackCompartment.isSecurity(source: "feedback:\(f.ref)", in: context))
        let enqueued = try Outbox(context.db).enqueue(message, to: [recipient], by: context.caller.actorName,
                                                      now: context.now)
        guard !enqueued.deliveryIDs.isEmpty else {
            return .notSent("recipient \(key) has no e-mail or webhook; add one with 'opsctl recipient update \(key)'")
        }
        return .sent(recipient: key, deliveries: enqueued.deliveryIDs.count)
    }

    /// The recipient an address-only sender is answered through: every delivery names a recipient,
    /// and this one belongs to the feedback alone (no group), so no notice ever reaches it.
    private static func correspondent(_ f: Feedback, email: String, _ context: CommandContext) throws -> Recipient? {
        let recipient = Recipient(key: "feedback-\(f.ref.lowercased())", name: f.from, kind: .correspondent,
                                  emails: [email], webhook: nil, groups: [], removedAt: nil)
        let store = RecipientStore(context.db)
        // `recipient add` refuses the prefix; an older database may still hold such a key: never overwrite it.
        if let existing = try store.byKey(recipient.key), existing.kind != .correspondent { return nil }
        if try store.byKey(recipient.key) != recipient { try store.save(recipient, now: context.now) }
        return recipient
    }

    /// The deliveries of the answers to `ref`, oldest first.
    static func deliveries(_ ref: String, _ context: CommandContext) throws -> [Delivery] {
        try Outbox(context.db).deliveries(reference: ref, kind: kind, includeSecurity: context.seesSecurityMessages)
    }
}
