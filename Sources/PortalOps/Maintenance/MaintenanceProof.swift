import OpsProtocol

/// `maintenance proof`: whether, when and how early the notice in force reached each recipient.
enum ProveArrival {
    static let command = Command(
        "maintenance.proof",
        "Show per recipient when the notice was accepted and acknowledged, and the lead time given",
        roles: .everyone, audit: .none, arguments: [MaintenanceDesk.windowArgument],
        details: "Accepted: the mail server (sendmail) or the webhook took the notice. The lead time counts whole "
            + "working days from the day of acceptance to the day of the start, not from the day of issue.",
        handler: prove)

    static func prove(_ context: CommandContext) throws -> Response {
        let desk = MaintenanceDesk(context: context)
        let window = try desk.window()
        guard let notice = try desk.noticeInForce(window) else {
            throw OpsError.refused("\(window.ref) has no issued notice yet; announce it first")
        }
        let time = context.time
        let proof = try ArrivalProof.of(window, notice: notice, db: context.db, time: time)
        let required = try desk.rules.leadDays(window.kind)
        let short = proof.lines.filter { ($0.leadWorkingDays ?? Int.max) < required && !window.emergency }
        var fields = [["window", window.ref], ["notice", "\(notice.number), issued \(time.format(notice.issuedAt))"],
                      ["start", time.format(window.start)],
                      ["lead time required", window.emergency ? "none (emergency)"
                        : "\(required) working \(required == 1 ? "day" : "days")"],
                      ["required", proof.requirement.rawValue],
                      ["missing", proof.missing.isEmpty ? "none" : proof.missing.joined(separator: ", ")]]
        if let o = try GateRecords(db: context.db).startOverride(window.id) {
            fields.append(["started without", "\(o.missing.joined(separator: ", ")): override by \(o.by) "
                           + "\(time.format(o.at)): \(o.reason)"])
        }
        let rows = proof.lines.map { line in
            [line.key, line.name, line.kind?.rawValue ?? "-", line.required ? "yes" : "no",
             line.acceptedAt.map { "\(time.format($0)) \(line.channel?.rawValue ?? "")" }
                ?? (line.deliveries.map(\.state.rawValue).joined(separator: ",").nonEmpty ?? "no address"),
             line.acknowledgedAt.map(time.format) ?? "-", ArrivalProof.leadText(line)]
        }
        return Response(data: ["window": .string(window.ref), "notice": .string(notice.number),
                               "requirement": .string(proof.requirement.rawValue),
                               "missing": .array(proof.missing.map(JSON.string)),
                               "recipients": .array(proof.lines.map { proof.json($0, time: time,
                                                                                  shownTo: context.caller) })],
                        fields: fields,
                        table: .init(columns: ["RECIPIENT", "NAME", "KIND", "REQUIRED", "ACCEPTED", "ACKNOWLEDGED",
                                               "LEAD TIME"], rows: rows),
                        warnings: short.map { "\($0.key) got \(ArrivalProof.leadText($0)) of notice, less than the "
                            + "\(required) working days required" })
    }
}

private extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
