import OpsProtocol
/// Handlers that create and change windows: plan, approve, correct, cancel.
enum MaintenancePlanning {
    static func plan(_ context: CommandContext) throws -> Response {
        let desk = MaintenanceDesk(context: context)
        let args = context.arguments
        guard let start = args.time("start"), let end = args.time("end"),
              let kind = args.text("kind").flatMap(MaintenanceWindow.Kind.init(rawValue:)) else {
            throw OpsError.usage("maintenance plan needs --kind, --start and --end")
        }
        guard end > start else { throw OpsError.usage("--end must be after --start") }
        guard start > context.now else { throw OpsError.refused("--start \(context.time.format(start)) is in the past") }
        let emergency = args.flag("emergency")
        if emergency && args.text("reason") == nil { throw OpsError.usage("--emergency needs --reason") }
        var window = MaintenanceWindow(
            id: 0, ref: "", title: try args.required("title"), kind: kind, state: .planned, start: start, end: end,
            components: try desk.components() ?? [], groups: args.list("group"), impact: args.text("impact"), advice: args.text("advice"),
            emergency: emergency, reason: args.text("reason"), approvedBy: nil, inServiceHours: false, actualStart: nil,
            actualEnd: nil, reminderSentAt: nil, revision: 0, createdAt: context.now, createdBy: context.caller.actorName)
        try desk.rules.checkOverlap(window, allowed: args.flag("allow-overlap"))
        window.inServiceHours = try desk.rules.checkServiceHours(window, allowed: args.flag("in-service-hours"))
        window.ref = try Sequences(context.db).nextIdentifier(prefix: "MW", year: context.time.year(context.now))
        window = try desk.store.insert(window, now: context.now)
        try setGates(context, window)
        var warnings: [String] = []
        if !emergency {
            let earliest = try desk.rules.earliestStart(kind, issuedAt: context.now)
            if start < earliest {
                warnings.append("a notice issued now allows a start from \(context.time.format(earliest)) on; announce would refuse \(window.ref) as planned")
            }
        } else {
            warnings.append("\(window.ref) is an emergency: a supervisor must run 'opsctl maintenance approve \(window.ref)' before it is announced")
        }
        if window.groups.isEmpty { warnings.append("\(window.ref) has no recipient groups yet; add --group before announcing") }
        return Response(message: "Planned \(window.ref) (\(kind.rawValue), \(context.time.format(start)) – \(context.time.format(end)))",
                        data: window.json(time: context.time), warnings: warnings)
    }

    static func approve(_ context: CommandContext) throws -> Response {
        let desk = MaintenanceDesk(context: context)
        let window = try desk.window()
        guard window.emergency else { throw OpsError.refused("\(window.ref) is not an emergency; only emergencies need approval") }
        try desk.require(window, in: [.planned], to: "approved")
        if let approver = window.approvedBy { throw OpsError.refused("\(window.ref) was already approved by \(approver)") }
        try desk.store.approve(window.id, by: context.caller.actorName, now: context.now)
        return Response(message: "Approved emergency \(window.ref); announce it with 'opsctl maintenance announce \(window.ref)'",
                        data: try desk.store.byID(window.id)!.json(time: context.time))
    }

    static func correct(_ context: CommandContext) throws -> Response {
        let desk = MaintenanceDesk(context: context)
        let args = context.arguments
        let old = try desk.window()
        try desk.require(old, in: [.planned, .announced], to: "corrected")
        var window = old
        if let title = args.text("title") { window.title = title }
        if let start = args.time("start") { window.start = start }
        if let end = args.time("end") { window.end = end }
        if let impact = args.text("impact") { window.impact = impact }
        if let advice = args.text("advice") { window.advice = advice }
        if let components = try desk.components() { window.components = components }
        if !args.list("group").isEmpty { window.groups = args.list("group") }
        let gatesChanged = try setGates(context, old)
        guard window != old || gatesChanged else {
            throw OpsError.usage("nothing to correct; give at least one of --title, --start, --end, --impact, --advice, --component, --group, --target, --expect-change")
        }
        guard window.end > window.start else { throw OpsError.usage("the end must be after the start") }
        if window.start != old.start && window.start <= context.now { throw OpsError.refused("the new start is in the past") }
        try desk.rules.checkOverlap(window, allowed: args.flag("allow-overlap"))
        window.inServiceHours = try desk.rules.checkServiceHours(window, allowed: args.flag("in-service-hours") || (old.inServiceHours && window.start == old.start && window.end == old.end))
        guard window.state == .announced, window != old else {
            window = try desk.store.update(window, now: context.now)
            let why = window.state == .announced ? "the notice's content is unchanged" : "not announced yet"
            return Response(message: "Corrected \(window.ref) (\(why): no notice needed)", data: window.json(time: context.time))
        }
        guard let reason = args.text("reason") else {
            throw OpsError.usage("\(window.ref) is announced: a correction is a new numbered notice and needs --reason")
        }
        if window.start != old.start { try desk.rules.checkLeadTime(window, issuedAt: context.now) }
        let replaced = try desk.noticeInForce(old)
        window = try desk.store.update(window, now: context.now)
        let (notice, count) = try desk.issue(window, .correction, replacing: replaced, reason: reason)
        return Response(message: "Corrected \(window.ref) with notice \(notice.number), which replaces \(replaced?.number ?? "-") (left unchanged); sent to \(count) recipients",
                        data: window.json(time: context.time).merging(["notice": notice.json(time: context.time)]))
    }

    static func cancel(_ context: CommandContext) throws -> Response {
        let desk = MaintenanceDesk(context: context)
        var window = try desk.window()
        try desk.require(window, in: [.planned, .announced], to: "cancelled")
        let wasAnnounced = window.state == .announced
        window.state = .cancelled
        window = try desk.store.update(window, now: context.now)
        guard wasAnnounced else {
            return Response(message: "Cancelled \(window.ref) (it was never announced)", data: window.json(time: context.time))
        }
        let replaced = try desk.noticeInForce(window)
        let (notice, count) = try desk.issue(window, .cancellation, replacing: replaced, reason: try context.arguments.required("reason"))
        return Response(message: "Cancelled \(window.ref) with notice \(notice.number) to \(count) recipients",
                        data: window.json(time: context.time).merging(["notice": notice.json(time: context.time)]))
    }
}

extension MaintenancePlanning {
    /// Saves `--target` and `--expect-change` when given; returns whether it did.
    @discardableResult
    static func setGates(_ context: CommandContext, _ window: MaintenanceWindow) throws -> Bool {
        let gates = UpgradeGates(context.db)
        var changed = false
        let targets = context.arguments.list("target")
        if !targets.isEmpty {
            for key in targets where try BackupStore(context.db).target(key) == nil {
                throw OpsError.refused("no backup target '\(key)'; see 'opsctl target list'")
            }
            try gates.setTargets(window.id, targets)
            changed = true
        }
        let expected = context.arguments.list("expect-change")
        if !expected.isEmpty {
            try gates.setExpected(window.id, expected)
            changed = true
        }
        return changed
    }
}
