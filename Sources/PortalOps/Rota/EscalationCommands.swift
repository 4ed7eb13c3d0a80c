import OpsProtocol

/// The severities that page, for `escalation set`.
enum PagingSeverity: String, CaseIterable, Sendable {
    case sev1, sev2, sev3

    var severity: Incident.Severity { Incident.Severity(rawValue: rawValue) ?? .sev1 }
}

enum SetEscalation {
    static let severity = Required.positional("severity", .choice(PagingSeverity.self), "the severity",
                                              valueName: "SEVERITY")
    static let step = Repeated.named("step", .text, "whom a step pages: \(StepTarget.help)", required: true,
                                     valueName: "TARGET")
    static let after = Repeated.named("after", .duration, "the wait after each step before the next",
                                      valueName: "DURATION")
    static let repeats = Option.named("repeat", .integer(0...100),
                                      "run the steps again this many times if still unacknowledged (default 0)",
                                      valueName: "N")
    static let security = Flag.named("security", "the policy of security incidents (the security rota's)")
    static let command = Command(
        "escalation.set", "Set who a severity pages, step by step, until someone acknowledges",
        roles: [.supervisor, .admin], audit: .changes, arguments: [severity, step, after, repeats, security],
        details: """
            Example: opsctl escalation set sev1 --step oncall --after 5m --step oncall-secondary --after 10m \\
            --step supervisors --repeat 2
            Step 1 pages when the incident opens; each --after is the wait before the next step (one more
            --after than steps sets the wait before a repeat). Acknowledging stops the escalation.
            A step that reaches no one (nobody on call, no contact) pages the supervisors instead.
            """,
        handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        let targets = try context[Self.step].map(StepTarget.init(parsing:))
        let afters = try context[Self.after].map { duration -> Int64 in
            guard case .milliseconds(let ms) = duration, ms > 0 else {
                throw OpsError.usage("--after takes minutes or hours, e.g. 5m")
            }
            return ms
        }
        guard afters.count == targets.count - 1 || afters.count == targets.count else {
            throw OpsError.usage("give one --after between each two --step (\(targets.count - 1) for \(targets.count) "
                                 + "steps), or one more for the wait before a repeat")
        }
        for case .user(let name) in targets {
            guard let user = try UserStore(context.db).byName(name), user.role != .monitor, !user.disabled else {
                throw OpsError.refused("step user:\(name) names no enabled person; see 'opsctl user list'")
            }
        }
        let repeats = Int(try context[Self.repeats] ?? 0)
        if repeats > 0 && afters.isEmpty {
            throw OpsError.usage("--repeat needs an --after (the wait before a repeat)")
        }
        let steps = targets.enumerated().map { index, target in
            EscalationPolicy.Step(target: target, after: index < afters.count ? afters[index] : (afters.last ?? 0))
        }
        let policy = EscalationPolicy(steps: steps, repeats: repeats)
        let severity = try context[Self.severity].severity
        let scope: Rota.Role = context[Self.security] ? .security : .operator
        try EscalationStore(db: context.db).setPolicy(policy, severity: severity, scope: scope, now: context.now,
                                                      by: context.caller.actorName)
        return Response(message: "\(severity.rawValue) (\(scope.rawValue)): \(policy.summary)",
                        data: ["severity": .string(severity.rawValue), "scope": .string(scope.rawValue),
                               "policy": policy.json])
    }
}

enum ShowEscalation {
    static let command = Command("escalation.show", "The escalation policy of each severity", roles: .everyone,
                                 audit: .none, handler: run)

    static func run(_ context: CommandContext) throws -> Response {
        var rows: [[String]] = []
        var data: [JSON] = []
        for scope in Rota.Role.allCases {
            for severity in PagingSeverity.allCases {
                let probe = Incident(id: 0, ref: "", title: "", severity: severity.severity, state: .open,
                                     source: .operator, detail: nil, security: scope == .security, components: [],
                                     detectedAt: 0, openedAt: 0, openedBy: "", acknowledgedAt: nil,
                                     acknowledgedBy: nil, assignee: nil, resolvedAt: nil, cause: nil, resolution: nil,
                                     closedAt: nil, review: nil, escalations: 0)
                let escalation = Escalation(db: context.db, time: context.time)
                guard let policy = try escalation.policy(for: probe) else { continue }
                let set = try EscalationStore(db: context.db).policy(severity.severity, scope: scope) != nil
                rows.append([severity.rawValue, scope.rawValue, policy.summary, set ? "set" : "standard"])
                data.append(["severity": .string(severity.rawValue), "scope": .string(scope.rawValue),
                             "policy": policy.json, "standard": .bool(!set)])
            }
        }
        return Response(data: ["policies": .array(data)],
                        table: .init(columns: ["SEVERITY", "INCIDENTS", "STEPS", ""], rows: rows))
    }
}
