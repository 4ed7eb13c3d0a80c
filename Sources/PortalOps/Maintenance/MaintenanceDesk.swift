import OpsProtocol
import SQLite

/// What the maintenance handlers share: loading a window, its recipients,
/// the notice in force, and issuing a notice about it.
struct MaintenanceDesk {
    let context: CommandContext
    var db: Connection { context.db }
    var store: MaintenanceStore { MaintenanceStore(context.db) }
    var rules: MaintenanceRules { MaintenanceRules(db: context.db, time: context.time) }

    /// The window most maintenance commands act on, named first on the command line.
    static let windowArgument = Required.positional("window", .text, "the window: MW-2026-0007, or 7 for this year's",
                                                    valueName: "MW")

    /// The window named by `windowArgument`, in any case (`mw-2026-0007` works too).
    func window() throws -> MaintenanceWindow {
        let ref = try References(context).resolve(try context[Self.windowArgument], prefixes: ["MW"])
        guard let window = try store.byRef(ref) else {
            throw OpsError.refused("no maintenance window \(ref); see 'opsctl maintenance list'")
        }
        return window
    }

    func require(_ w: MaintenanceWindow, in states: [MaintenanceWindow.State], to action: String) throws {
        guard states.contains(w.state) else {
            throw OpsError.refused("\(w.ref) is \(w.state.rawValue); only a \(states.map(\.rawValue).joined(separator: " or ")) window can be \(action)")
        }
    }

    /// `--component a,b --component c` → ["a", "b", "c"], each checked.
    func components(_ given: [String]) throws -> [String]? {
        let keys = given.flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !keys.isEmpty else { return nil }
        return try ComponentStore(db).requireAll(keys).map(\.key)
    }

    func recipients(_ w: MaintenanceWindow) throws -> [Recipient] {
        try RecipientStore(db).members(of: w.groups)
    }

    /// The lines under "Nơi nhận:": groups with a collective name as one line.
    func recipientLines(_ w: MaintenanceWindow, _ recipients: [Recipient]) throws -> [String] {
        try NoticeGroupLines(db).lines(groups: w.groups, recipients: recipients)
    }

    func notices(_ w: MaintenanceWindow) throws -> [Notice] {
        try NoticeStore(db).notices(reference: w.ref)
    }

    /// The last notice issued about the window: the one in force.
    func noticeInForce(_ w: MaintenanceWindow) throws -> Notice? {
        try notices(w).last
    }

    func writer(_ w: MaintenanceWindow) throws -> MaintenanceNotices {
        try MaintenanceNotices.load(w, db: db, time: context.time)
    }

    /// Issues a numbered notice about `w` to the members of its groups, in
    /// the name of the configured issuer and signer, numbered from
    /// `--number` or the console's register, with the PDF its command's job printed.
    func issue(_ w: MaintenanceWindow, _ purpose: NoticeDocument.Purpose, replacing: Notice?, reason: String?) throws -> (Notice, Int) {
        try NoticeIssuer.requireConfigured(db)
        let recipients = try recipients(w)
        guard !recipients.isEmpty else {
            throw OpsError.refused("\(w.ref) has no recipients: its groups (\(w.groups.isEmpty ? "none" : w.groups.joined(separator: ", "))) have no active members; add them with 'opsctl maintenance correct \(w.ref) --group NAME' or 'opsctl recipient add'")
        }
        let document = try writer(w).document(w, purpose, replacing: replacing, reason: reason,
                                              recipientNames: try recipientLines(w, recipients))
        let notice = try NoticeStore(db).issue(document, to: recipients, settings: try NoticeSettings.load(PolicyStore(db)),
                                               by: context.caller.actorName, now: context.now, time: context.time,
                                               replaces: replacing?.id, number: try context[NoticeNumber.argument],
                                               pdf: NoticeIssuing.pdf(for:))
        return (notice, recipients.count)
    }

    /// Queues a short follow-up to the recipients of the notice in force.
    func followUp(_ w: MaintenanceWindow, stage: String) throws -> Int {
        guard let notice = try noticeInForce(w) else { return 0 }
        let recipients = try NoticeStore(db).activeRecipients(of: notice.id)
        return try Outbox(db).enqueue(try writer(w).followUp(w, notice: notice, stage: stage), to: recipients,
                                      by: context.caller.actorName, now: context.now).deliveryIDs.count
    }

    /// Recipients of `notice` whose delivery failed or is dead.
    func undelivered(_ notice: Notice) throws -> [String] {
        guard let message = notice.messageID else { return [] }
        return try Outbox(db).deliveries(message: message, limit: 100_000)
            .filter { $0.state == .failed || $0.state == .dead }
            .map { "\($0.recipient) (\($0.channel.rawValue) \($0.address): \($0.state.rawValue), \($0.lastError ?? "no error"))" }
    }
}
