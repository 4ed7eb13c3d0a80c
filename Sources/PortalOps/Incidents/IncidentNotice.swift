import OpsProtocol

/// The public notice of an incident (issue 15 item 5), sent through the outbox to the recipients
/// subscribed to its components when it is published, for each later public note and when it is
/// resolved while public. It is built only from what is public: the title, the time, the components'
/// names, the public note and whether the fault is being fixed. Never the timeline's internal notes,
/// a person's name, the severity or anything of a security incident.
enum IncidentNotice {
    static let kind = "incident-notice"

    /// What caused a notice.
    enum Event: String {
        case published, note, resolved
    }

    /// Queues the notice of `event` for a published, non-security incident; returns the number of
    /// deliveries. Each event calls this once, inside the command that causes it, so a refused or
    /// retried command sends nothing more.
    @discardableResult
    static func send(_ incident: Incident, event: Event, note: String?, _ context: CommandContext) throws -> Int {
        guard !incident.security, incident.publishedAt != nil else { return 0 }
        let recipients = try IncidentSubscriptions(context.db).subscribers(of: incident.components)
        guard !recipients.isEmpty else { return 0 }
        let message = try render(incident, event: event, note: note, context)
        return try Outbox(context.db).enqueue(message, to: recipients, by: context.caller.actorName,
                                              now: context.now).deliveryIDs.count
    }

    static func render(_ incident: Incident, event: Event, note: String?,
                       _ context: CommandContext) throws -> OutgoingMessage {
        let portal = try PolicyStore(context.db).value(PolicyDefinition.portalName)
        let components = try incident.components.map { try ComponentStore(context.db).byKey($0)?.name ?? $0 }
        let fixed = incident.state == .resolved || incident.state == .closed
        let state = fixed ? "đã khắc phục" : "đang khắc phục"
        let when = VietnameseDate.moment(context.now, time: context.time)
        let since = VietnameseDate.moment(incident.detectedAt, time: context.time)
        var lines = [
            "Kính gửi: Quý cơ quan, tổ chức và người dân sử dụng \(portal).", "",
            "\(portal) thông báo về sự cố: \(incident.title).", "",
            "Thời điểm thông báo: \(when)",
            "Bắt đầu từ: \(since)",
            "Dịch vụ bị ảnh hưởng: \(components.joined(separator: ", "))",
            "Tình trạng: \(state)",
        ]
        if fixed, let resolved = incident.resolvedAt {
            lines.append("Khắc phục lúc: \(VietnameseDate.moment(resolved, time: context.time))")
        }
        if let note, !note.isEmpty { lines += ["", "Thông tin cập nhật:", note] }
        lines += ["", fixed
                    ? "Dịch vụ đã hoạt động trở lại. Trân trọng cảm ơn sự thông cảm của Quý cơ quan, "
                        + "tổ chức và người dân."
                    : "Chúng tôi đang khẩn trương khắc phục và sẽ tiếp tục thông báo khi có thông tin mới. "
                        + "Xin lỗi vì sự bất tiện này.",
                  "", "Trân trọng."]
        let payload: JSON = [
            "incident": .string(incident.ref), "title": .string(incident.title), "event": .string(event.rawValue),
            "state": .string(fixed ? "resolved" : "investigating"), "state_text": .string(state),
            "components": .array(components.map(JSON.string)), "note": JSON(note),
            "at": .string(context.time.iso8601(context.now)),
            "detected_at": .string(context.time.iso8601(incident.detectedAt)),
        ]
        return OutgoingMessage(kind: kind, subject: "[\(portal)] Thông báo sự cố: \(incident.title)",
                               text: lines.joined(separator: "\n"), payload: payload, reference: incident.ref)
    }
}
