import OpsProtocol
import SQLite

/// Issues a report to the Office: made for a reader who does not see security incidents, frozen
/// with its SHA-256, and mailed through the outbox to the `report.group` recipients — in the
/// transaction of whoever issues it (`report issue`, or the scheduler the day after a cut-off).
enum ReportIssuer {
    struct Outcome {
        let ref: String
        let sha256: String
        let deliveries: Int
        let group: String
    }

    static func issue(_ window: ReportWindow, scheduled: Bool, db: Connection, time: LocalTime, now: Int64,
                      by actor: String) throws -> Outcome {
        let policies = PolicyStore(db)
        let portal = try policies.value(PolicyDefinition.portalName)
        let context = try ReportContext(db: db, time: time, now: now, window: window, seesSecurity: false)
        let report = try ReportBuilder.build(context, portal: portal)
        let html = HTMLReport.render(report)
        let ref = try Sequences(db).nextIdentifier(prefix: "BC", year: time.year(now))
        let group = try policies.value(PolicyDefinition.reportGroup)
        let recipients = try RecipientStore(db).members(of: [group])
        let summary = report.sections.map { "\($0.title)\n" + $0.paragraphs.joined(separator: "\n") }
            .joined(separator: "\n\n")
        let message = OutgoingMessage(
            kind: "report", subject: "\(report.title) \(report.windowText) (\(ref))",
            text: "\(report.title.uppercased())\nKỳ báo cáo: \(report.windowText).\n\n\(summary)\n\n"
                + "Báo cáo đầy đủ trong tệp đính kèm (mã SHA-256 \(SHA256.hex(html))).",
            attachments: [.init(filename: "\(ref).html", contentType: "text/html; charset=utf-8",
                                content: Array(html.utf8))],
            payload: ["report": .string(ref), "window": window.json(time), "sha256": .string(SHA256.hex(html))],
            reference: ref)
        let enqueued = recipients.isEmpty ? nil
            : try Outbox(db).enqueue(message, to: recipients, by: actor, now: now)
        try ReportStore(db).insert(ref: ref, name: window.name ?? "range", window: window, html: html,
                                   json: report.json(time).serialized(), message: enqueued?.messageID,
                                   scheduled: scheduled, by: actor, now: now)
        return Outcome(ref: ref, sha256: SHA256.hex(html), deliveries: enqueued?.deliveryIDs.count ?? 0, group: group)
    }
}
