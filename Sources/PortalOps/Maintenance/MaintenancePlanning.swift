import OpsProtocol
import SQLite

/// `maintenance plan`: a window in state planned, with no notice yet.
enum PlanWindow {
    static let title = Required.named("title", .text, "what will be done, e.g. 'Nâng cấp máy chủ cơ sở dữ liệu'")
    static let kind = Required.named("kind", .choice(MaintenanceWindow.Kind.self),
                                     "maintenance, upgrade or version-update")
    static let start = Required.named("start", .time, "when the stop begins")
    static let end = Required.named("end", .time, "when service is expected back")
    static let component = Repeated.named("component", .text, "affected component keys (KEY[,KEY])", required: true,
                                          valueName: "KEY")
    static let impact = Option.named("impact", .multilineText, "what users cannot do meanwhile")
    static let advice = Option.named("advice", .multilineText, "what users should do instead")
    static let group = Repeated.named("group", .key, "recipient groups the notice goes to", valueName: "NAME")
    static let emergency = Flag.named("emergency",
                                      "skip the lead time; needs 'maintenance approve' by a supervisor and --reason")
    static let reason = Option.named("reason", .text, "why it is an emergency, as the public notice says it; "
                                     + "with --no-data-change, why no data changes (internal, not in the notice)")
    static let noDataChange = Flag.named("no-data-change",
                                         "an upgrade or version update that changes no data: needs --reason; "
                                         + "instead of --target")
    static let internalReason = Option.named(
        "internal-reason", .text,
        "the real reason, kept in the record and audit trail; shown only to supervisors, admins and security")
    static let urgency = Option.named("urgency", .choice(NoticeUrgency.self),
                                      "the framed urgency mark of its notices: khan, thuong-khan or hoa-toc "
                                          + "(an emergency is khan unless told)")
    static let allowOverlap = Flag.named("allow-overlap", "allow overlap with another window on a shared component")
    static let inServiceHours = Flag.named("in-service-hours",
                                           "allow a window inside service hours (the notice says so)")
    static let target = Repeated.named("target", .key, "a backup target the work may change (upgrade gates)",
                                       valueName: "KEY")
    static let expectChange = Repeated.named("expect-change", .text,
                                             "a table allowed to differ after the work ('schema' for the schema)",
                                             valueName: "TABLE")

    static let command = Command(
        "maintenance.plan", "Plan a maintenance window (state planned, no notice yet)",
        roles: MaintenanceRoles.maintainers, audit: .changes,
        arguments: [title, kind, start, end, component, impact, advice, group, emergency, reason, internalReason,
                    urgency, allowOverlap,
                    inServiceHours, target, expectChange, noDataChange],
        details: "Lead time (policies maintenance.lead.*): 1 working day for maintenance, 5 for upgrades and version "
            + "updates.\nThe notice must be issued that many whole working days before the day the work starts.\n"
            + "An upgrade or version update names the portal's database with --target (integrity gates), or is "
            + "planned with --no-data-change --reason.",
        handler: plan)

    static func plan(_ context: CommandContext) throws -> Response {
        let desk = MaintenanceDesk(context: context)
        let start = try context[Self.start].milliseconds, end = try context[Self.end].milliseconds
        let kind = try context[Self.kind]
        guard end > start else { throw OpsError.usage("--end must be after --start") }
        guard start > context.now else {
            throw OpsError.refused("--start \(context.time.format(start)) is in the past")
        }
        let emergency = context[Self.emergency]
        let reason = try context[Self.reason]
        if emergency && reason == nil { throw OpsError.usage("--emergency needs --reason (printed in the notice)") }
        let targets = try context[Self.target]
        let noDataChange = context[Self.noDataChange]
        try IntegrityRequirement.checkPlan(kind: kind, targets: targets, noDataChange: noDataChange, reason: reason,
                                           emergency: emergency)
        let internalReason = try context[Self.internalReason]
        if internalReason != nil && !emergency {
            throw OpsError.usage("--internal-reason is for --emergency windows; drop it or add --emergency --reason")
        }
        var window = MaintenanceWindow(
            id: 0, ref: "", title: try context[Self.title], kind: kind, state: .planned, start: start, end: end,
            components: try desk.components(try context[Self.component]) ?? [], groups: try context[Self.group],
            impact: try context[Self.impact], advice: try context[Self.advice],
            emergency: emergency, reason: noDataChange ? nil : reason, internalReason: internalReason, approvedBy: nil,
            inServiceHours: false,
            actualStart: nil,
            actualEnd: nil, reminderSentAt: nil, revision: 0, createdAt: context.now,
            createdBy: context.caller.actorName, urgency: try context[Self.urgency])
        try desk.rules.checkOverlap(window, allowed: context[Self.allowOverlap])
        window.inServiceHours = try desk.rules.checkServiceHours(window, allowed: context[Self.inServiceHours])
        window.ref = try Sequences(context.db).nextIdentifier(prefix: "MW", year: context.time.year(context.now))
        window = try desk.store.insert(window, now: context.now)
        if noDataChange, let reason {
            try GateRecords(db: context.db).recordNoDataChange(window.id, reason: reason, by: context.caller.actorName,
                                                               now: context.now)
        }
        try UpgradeGates.set(targets: targets, expected: try context[Self.expectChange], of: window,
                             db: context.db)
        var warnings: [String] = []
        if !emergency {
            let earliest = try desk.rules.earliestStart(kind, issuedAt: context.now)
            if start < earliest {
                warnings.append("a notice issued now allows a start from \(context.time.format(earliest)) on; "
                                + "announce would refuse \(window.ref) as planned")
            }
        } else {
            warnings.append("\(window.ref) is an emergency: a supervisor must run "
                            + "'opsctl maintenance approve \(window.ref)' before it is announced")
        }
        if window.groups.isEmpty {
            warnings.append("\(window.ref) has no recipient groups yet; add --group before announcing")
        }
        return Response(message: "Planned \(window.ref) (\(kind.rawValue), \(context.time.format(start)) – "
                            + "\(context.time.format(end)))",
                        data: window.json(time: context.time), warnings: warnings)
    }
}

/// `maintenance approve`: a supervisor lets an emergency skip the lead time.
enum ApproveWindow {
    static let command = Command(
        "maintenance.approve", "Approve an emergency window (supervisors)", roles: MaintenanceRoles.signers,
        audit: .changes, arguments: [MaintenanceDesk.windowArgument], handler: approve)

    static func approve(_ context: CommandContext) throws -> Response {
        let desk = MaintenanceDesk(context: context)
        let window = try desk.window()
        guard window.emergency else {
            throw OpsError.refused("\(window.ref) is not an emergency; only emergencies need approval")
        }
        try desk.require(window, in: [.planned], to: "approved")
        if let approver = window.approvedBy {
            throw OpsError.refused("\(window.ref) was already approved by \(approver)")
        }
        try desk.store.approve(window.id, by: context.caller.actorName, now: context.now)
        guard let approved = try desk.store.byID(window.id) else {
            throw OpsError.internalError("\(window.ref) vanished while it was approved")
        }
        return Response(message: "Approved emergency \(window.ref); announce it with "
                            + "'opsctl maintenance announce \(window.ref)'",
                        data: approved.json(time: context.time))
    }
}

/// `maintenance cancel`: once announced, the cancellation is a numbered notice too.
enum CancelWindow {
    static let reason = Required.named("reason", .text, "why")

    static let command = Command(
        "maintenance.cancel", "Cancel a planned or announced window (announced: a cancellation notice)",
        roles: MaintenanceRoles.signers, audit: .changes,
        arguments: [MaintenanceDesk.windowArgument, reason, NoticeNumber.argument],
        job: NoticeIssuing.job(cancel))

    static func cancel(_ context: CommandContext) throws -> Response {
        let desk = MaintenanceDesk(context: context)
        var window = try desk.window()
        try desk.require(window, in: [.planned, .announced], to: "cancelled")
        let wasAnnounced = window.state == .announced
        window.state = .cancelled
        window = try desk.store.update(window, now: context.now)
        guard wasAnnounced else {
            return Response(message: "Cancelled \(window.ref) (it was never announced)",
                            data: window.json(time: context.time))
        }
        let replaced = try desk.noticeInForce(window)
        let reason = try context[Self.reason]
        let (notice, count) = try desk.issue(window, .cancellation, replacing: replaced, reason: reason)
        return Response(message: "Cancelled \(window.ref) with notice \(notice.number) to \(count) recipients",
                        data: window.json(time: context.time).merging(["notice": notice.json(time: context.time)]))
    }
}

/// `maintenance correct`: before announcing an edit; after, a numbered
/// notice that replaces the one in force (which stays as issued). Decree
/// 30/2020 Art. 18.3: a change of content is a replacement document, so the
/// new notice says "thay thế Thông báo số …", never "đính chính".
enum CorrectWindow {
    static let title = Option.named("title", .text, "new title")
    static let start = Option.named("start", .time, "new start")
    static let end = Option.named("end", .time, "new end")
    static let impact = Option.named("impact", .multilineText, "new impact")
    static let advice = Option.named("advice", .multilineText, "new advice")
    static let component = Repeated.named("component", .text, "new component keys (replace the old)",
                                          valueName: "KEY")
    static let group = Repeated.named("group", .key, "new recipient groups (replace the old)", valueName: "NAME")
    static let target = Repeated.named("target", .key, "backup targets (replace the old)", valueName: "KEY")
    static let expectChange = Repeated.named("expect-change", .text, "tables allowed to differ (replace the old)",
                                             valueName: "TABLE")
    static let reason = Option.named("reason", .text, "why the notice is replaced (required once announced)")
    static let urgency = Option.named("urgency", .choice(NoticeUrgency.self),
                                      "new urgency mark: khan, thuong-khan or hoa-toc")
    static let allowOverlap = Flag.named("allow-overlap", "allow overlap with another window")
    static let inServiceHours = Flag.named("in-service-hours", "allow a time inside service hours")

    static let command = Command(
        "maintenance.correct", "Change a window; once announced, a numbered notice replaces the one in force",
        roles: MaintenanceRoles.signers, audit: .changes,
        arguments: [MaintenanceDesk.windowArgument, title, start, end, impact, advice, component, group, target,
                    expectChange, reason, urgency, allowOverlap, inServiceHours, NoticeNumber.argument],
        details: "When --start or --end moves a time and the impact or advice names the old time "
            + "(\"22 giờ 00\", \"22:00\", \"22h\", its date), the command is refused until that text is given "
            + "anew with --impact or --advice: the notice repeats it.",
        job: NoticeIssuing.job(correct))

    static func correct(_ context: CommandContext) throws -> Response {
        let desk = MaintenanceDesk(context: context)
        let old = try desk.window()
        try desk.require(old, in: [.planned, .announced], to: "corrected")
        var window = old
        if let title = try context[Self.title] { window.title = title }
        if let start = try context[Self.start] { window.start = start.milliseconds }
        if let end = try context[Self.end] { window.end = end.milliseconds }
        if let impact = try context[Self.impact] { window.impact = impact }
        if let advice = try context[Self.advice] { window.advice = advice }
        if let urgency = try context[Self.urgency] { window.urgency = urgency }
        if let components = try desk.components(try context[Self.component]) { window.components = components }
        let groups = try context[Self.group]
        if !groups.isEmpty { window.groups = groups }
        let gatesChanged = try UpgradeGates.set(targets: try context[Self.target],
                                                expected: try context[Self.expectChange], of: old, db: context.db)
        guard window != old || gatesChanged else {
            throw OpsError.usage("nothing to correct; give at least one of --title, --start, --end, --impact, "
                                 + "--advice, --urgency, --component, --group, --target, --expect-change")
        }
        guard window.end > window.start else { throw OpsError.usage("the end must be after the start") }
        try StaleTimes.check(window, old: old, impactGiven: try context[Self.impact] != nil,
                             adviceGiven: try context[Self.advice] != nil, command: "correct", time: context.time)
        if window.start != old.start && window.start <= context.now {
            throw OpsError.refused("the new start is in the past")
        }
        try desk.rules.checkOverlap(window, allowed: context[Self.allowOverlap])
        let keepsHours = old.inServiceHours && window.start == old.start && window.end == old.end
        window.inServiceHours = try desk.rules.checkServiceHours(window,
                                                                 allowed: context[Self.inServiceHours] || keepsHours)
        guard window.state == .announced, window != old else {
            window = try desk.store.update(window, now: context.now)
            let why = window.state == .announced ? "the notice's content is unchanged" : "not announced yet"
            return Response(message: "Corrected \(window.ref) (\(why): no notice needed)",
                            data: window.json(time: context.time))
        }
        guard let reason = try context[Self.reason] else {
            throw OpsError.usage("\(window.ref) is announced: a correction is a new numbered notice and needs --reason")
        }
        if window.start != old.start { try desk.rules.checkLeadTime(window, issuedAt: context.now) }
        let replaced = try desk.noticeInForce(old)
        window = try desk.store.update(window, now: context.now)
        let (notice, count) = try desk.issue(window, .replacement, replacing: replaced, reason: reason)
        return Response(message: "Corrected \(window.ref) with notice \(notice.number), which replaces "
                            + "\(replaced?.number ?? "-") (left unchanged); sent to \(count) recipients",
                        data: window.json(time: context.time).merging(["notice": notice.json(time: context.time)]))
    }
}

extension UpgradeGates {
    /// Saves `--target` and `--expect-change` when given (each replaces the
    /// old list); returns whether it did.
    @discardableResult
    static func set(targets: [String], expected: [String], of window: MaintenanceWindow,
                    db: Connection) throws -> Bool {
        let gates = UpgradeGates(db)
        var changed = false
        if !targets.isEmpty {
            for key in targets where try BackupStore(db).target(key) == nil {
                throw OpsError.refused("no backup target '\(key)'; see 'opsctl target list'")
            }
            try gates.setTargets(window.id, targets)
            changed = true
        }
        if !expected.isEmpty {
            try gates.setExpected(window.id, expected)
            changed = true
        }
        return changed
    }
}
