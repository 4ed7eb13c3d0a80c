import OpsProtocol

/// `maintenance announce`: the numbered written notice, sent to every recipient.
enum AnnounceWindow {
    static let command = Command(
        "maintenance.announce", "Issue the numbered written notice and send it to every recipient",
        roles: MaintenanceRoles.signers, audit: .changes,
        arguments: [MaintenanceDesk.windowArgument, NoticeNumber.argument],
        details: "Refused if the window starts sooner than its lead time allows; the message says the earliest start.\n"
            + "Refused while the issuer or signer is unset ('opsctl notice issuer', 'opsctl notice signer').\n"
            + "The notice is printed to PDF (policy notice.pdf_command) and frozen with its SHA-256; with policy "
            + "notice.signature_required it is sent only once 'opsctl maintenance sign' attaches the signed PDF.",
        job: NoticeIssuing.job(announce))

    static func announce(_ context: CommandContext) throws -> Response {
        let desk = MaintenanceDesk(context: context)
        var window = try desk.window()
        try desk.require(window, in: [.planned], to: "announced")
        if window.emergency && window.approvedBy == nil {
            throw OpsError.refused("\(window.ref) is an emergency and needs a supervisor's "
                                   + "'opsctl maintenance approve \(window.ref)' first")
        }
        guard window.start > context.now else {
            throw OpsError.refused("\(window.ref) starts \(context.time.format(window.start)), which has passed; "
                                   + "correct its times first")
        }
        try desk.rules.checkLeadTime(window, issuedAt: context.now)
        window.state = .announced
        window = try desk.store.update(window, now: context.now)
        let (notice, count) = try desk.issue(window, .announcement, replacing: nil, reason: nil)
        let sent = notice.messageID == nil
            ? "held for the signature: get the PDF with 'opsctl maintenance notice \(window.ref) --format pdf "
                + "--output FILE', sign it, then 'opsctl maintenance sign \(window.ref) --signed FILE'"
            : "sent to \(count) recipients; follow with 'opsctl maintenance show \(window.ref)'"
        return Response(message: "Announced \(window.ref) with notice \(notice.number)"
                            + "\(notice.urgent ? " (urgent)" : ""), \(sent)",
                        data: window.json(time: context.time).merging(["notice": notice.json(time: context.time)]))
    }
}

/// `maintenance start`: the stop begins, under a notice issued in time.
enum StartWindow {
    static let override = Flag.named("override", "start although the notice has not reached every required "
                                     + "recipient (supervisors; needs --reason, recorded)")
    static let reason = Option.named("reason", .text, "why the work cannot wait for the missing recipients")

    static let command = Command(
        "maintenance.start", "Mark an announced window as in progress and tell the recipients",
        roles: MaintenanceRoles.maintainers, audit: .changes,
        arguments: [MaintenanceDesk.windowArgument, override, reason],
        details: "Refused before the announced start, when the notice was not issued the lead time before it, and "
            + "while the notice has not reached (been accepted by the mail server or webhook of) every recipient "
            + "policy maintenance.start_requires names: by default every agency and at least one public channel. "
            + "'opsctl maintenance proof MW' shows who is missing.",
        handler: start)

    static func start(_ context: CommandContext) throws -> Response {
        let desk = MaintenanceDesk(context: context)
        var window = try desk.window()
        try desk.require(window, in: [.announced], to: "started")
        guard let notice = try desk.noticeInForce(window) else {
            throw OpsError.refused("\(window.ref) has no issued notice; announce it first")
        }
        try desk.rules.checkLeadTime(window, issuedAt: notice.issuedAt)
        try IntegrityRequirement.checkDeclared(window, db: context.db, verb: "started")
        try UpgradeGates(context.db).checkReadyToStart(window, now: context.now, time: context.time)
        guard context.now >= window.start else {
            throw OpsError.refused("notice \(notice.number) announces the stop from "
                                   + "\(context.time.format(window.start)); start at or after that time")
        }
        let overridden = try checkArrival(window, notice: notice, context: context)
        window.state = .inProgress
        window.actualStart = context.now
        window = try desk.store.update(window, now: context.now)
        let sent = try desk.followUp(window, stage: "started")
        let undelivered = try desk.undelivered(notice)
        let note = overridden.isEmpty ? "" : "; started without reaching \(overridden.joined(separator: ", ")) "
            + "(override by \(context.caller.actorName), recorded)"
        return Response(message: "Started \(window.ref) under notice \(notice.number); "
                            + "queued \(sent) \(sent == 1 ? "message" : "messages") telling its recipients\(note)",
                        data: window.json(time: context.time)
                            .merging(["undelivered": .array(undelivered.map(JSON.string))]),
                        warnings: undelivered.map { "notice \(notice.number) did not reach \($0)" })
    }
}

extension StartWindow {
    /// Refuses while a required recipient has not been reached, unless a supervisor overrides with a reason,
    /// which is recorded; returns who was missing when overridden.
    static func checkArrival(_ w: MaintenanceWindow, notice: Notice, context: CommandContext) throws -> [String] {
        let proof = try ArrivalProof.of(w, notice: notice, db: context.db, time: context.time)
        let override = context[Self.override]
        let reason = try context[Self.reason]
        if override {
            guard let role = context.caller.user?.role, role == .supervisor || role == .admin else {
                throw OpsError.permission("only a supervisor may start without proof of arrival (--override)")
            }
            guard let reason else { throw OpsError.usage("--override needs --reason") }
            guard !proof.missing.isEmpty else {
                throw OpsError.usage("notice \(notice.number) reached every required recipient; drop --override")
            }
            try GateRecords(db: context.db).recordStartOverride(w.id, missing: proof.missing, reason: reason,
                                                                by: context.caller.actorName, now: context.now)
            return proof.missing
        }
        if reason != nil { throw OpsError.usage("--reason goes with --override") }
        guard proof.missing.isEmpty else {
            throw OpsError.refused("notice \(notice.number) has not reached \(proof.missing.joined(separator: ", ")) "
                                   + "(policy maintenance.start_requires: \(proof.requirement.rawValue)); see "
                                   + "'opsctl maintenance proof \(w.ref)', fix delivery ('opsctl outbox list "
                                   + "--state dead') or have a supervisor start with --override --reason TEXT")
        }
        return []
    }
}

/// `maintenance extend`: more time, told in a numbered notice that replaces the old.
enum ExtendWindow {
    static let end = Required.named("end", .time, "the new end")
    static let reason = Required.named("reason", .text, "why more time is needed")
    static let impact = Option.named("impact", .multilineText, "new impact, for the extension notice")
    static let advice = Option.named("advice", .multilineText, "new advice, for the extension notice")

    static let command = Command(
        "maintenance.extend", "Extend a window in progress: a new numbered notice replaces the old",
        roles: MaintenanceRoles.signers, audit: .changes,
        arguments: [MaintenanceDesk.windowArgument, end, reason, impact, advice, NoticeNumber.argument],
        details: "The extension notice repeats the window's impact and advice: if either names the old end "
            + "(\"02 giờ 00\", \"02:00\", \"2h\", its date), the command is refused until it is given anew "
            + "with --impact or --advice.",
        job: NoticeIssuing.job(extend))

    static func extend(_ context: CommandContext) throws -> Response {
        let desk = MaintenanceDesk(context: context)
        var window = try desk.window()
        try desk.require(window, in: [.inProgress], to: "extended")
        let end = try context[Self.end].milliseconds
        guard end > window.end else {
            throw OpsError.usage("--end must be later than the current end, \(context.time.format(window.end))")
        }
        let replaced = try desk.noticeInForce(window)
        let old = window
        window.end = end
        let impact = try context[Self.impact]
        let advice = try context[Self.advice]
        if let impact { window.impact = impact }
        if let advice { window.advice = advice }
        try StaleTimes.check(window, old: old, impactGiven: impact != nil, adviceGiven: advice != nil,
                             command: "extend", time: context.time)
        try desk.rules.checkOverlap(window, allowed: false)
        window = try desk.store.update(window, now: context.now)
        let (notice, count) = try desk.issue(window, .extension, replacing: replaced, reason: try context[Self.reason])
        return Response(message: "Extended \(window.ref) to \(context.time.format(end)) with notice \(notice.number), "
                            + "which replaces \(replaced?.number ?? "-"); sent to \(count) recipients",
                        data: window.json(time: context.time).merging(["notice": notice.json(time: context.time)]))
    }
}

/// `maintenance ack`: a recipient confirmed receipt, by whatever channel.
enum AcknowledgeNotice {
    static let recipient = Required.named("recipient", .key, "the recipient's key", valueName: "KEY")
    static let by = Option.named("by", .text, "who confirmed, e.g. 'Văn thư Sở Tư pháp, điện thoại'")

    static let command = Command(
        "maintenance.ack", "Record that a recipient confirmed receipt of the notice in force",
        roles: MaintenanceRoles.maintainers, audit: .changes,
        arguments: [MaintenanceDesk.windowArgument, recipient, by],
        details: "An acknowledgement belongs to the notice in force when it is recorded; a replacement notice "
            + "(extension, correction, cancellation) starts unacknowledged and is acknowledged anew.",
        handler: acknowledge)

    static func acknowledge(_ context: CommandContext) throws -> Response {
        let desk = MaintenanceDesk(context: context)
        let window = try desk.window()
        guard let notice = try desk.noticeInForce(window) else {
            throw OpsError.refused("\(window.ref) has no notice to acknowledge yet")
        }
        let key = try context[Self.recipient]
        // The acknowledgement names the notice in force: a replacement is confirmed anew.
        guard try NoticeStore(context.db).recipients(of: notice.id).map(\.key).contains(key) else {
            throw OpsError.refused("\(key) is not among the recipients of notice \(notice.number), in force for "
                                   + "\(window.ref); see 'opsctl maintenance show \(window.ref)'")
        }
        let recorded = try desk.store.acknowledge(window.id, notice: notice.id, recipient: key,
                                                  by: try context[Self.by], recordedBy: context.caller.actorName,
                                                  now: context.now)
        guard recorded else {
            throw OpsError.refused("\(key) has already acknowledged notice \(notice.number) (\(window.ref))")
        }
        return Response(message: "Recorded that \(key) acknowledged notice \(notice.number) (\(window.ref))",
                        data: ["window": .string(window.ref), "recipient": .string(key),
                               "notice": .string(notice.number)])
    }
}
