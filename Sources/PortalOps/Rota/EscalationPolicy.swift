import OpsProtocol

/// Whom one step of an escalation policy pages.
public enum StepTarget: Sendable, Equatable {
    /// The person on call on the incident's rota (operator, or security for security incidents).
    case oncall
    /// The next in line on that rota.
    case oncallSecondary
    case supervisors
    /// Every security user.
    case security
    /// Everyone on shift now.
    case onShift
    case user(String)

    public static let help = "oncall, oncall-secondary, supervisors, security, on-shift or user:NAME"

    public init(parsing text: String) throws {
        switch text {
        case "oncall": self = .oncall
        case "oncall-secondary": self = .oncallSecondary
        case "supervisors": self = .supervisors
        case "security": self = .security
        case "on-shift": self = .onShift
        case _ where text.hasPrefix("user:") && text.count > 5: self = .user(String(text.dropFirst(5)))
        default:
            let hint = Suggestion.nearest(to: text, among: ["oncall", "oncall-secondary", "supervisors", "security",
                                                             "on-shift"])
            throw OpsError.usage("'\(text)' is not a step; a step is \(Self.help)"
                                 + (hint.map { "; did you mean '\($0)'?" } ?? ""))
        }
    }

    public var text: String {
        switch self {
        case .oncall: "oncall"
        case .oncallSecondary: "oncall-secondary"
        case .supervisors: "supervisors"
        case .security: "security"
        case .onShift: "on-shift"
        case .user(let name): "user:\(name)"
        }
    }
}

/// Ordered steps for one severity (issue 13): step 0 pages at once, each next
/// step a delay after the one before; after the last, the whole sequence runs
/// again `repeats` times (nil: until someone acknowledges). Acknowledging stops it.
public struct EscalationPolicy: Sendable, Equatable {
    public struct Step: Sendable, Equatable {
        public let target: StepTarget
        /// The wait after this step before the next one (or before the sequence repeats, for the last).
        public let after: Int64
    }

    public let steps: [Step]
    public let repeats: Int?

    public init(steps: [Step], repeats: Int?) {
        self.steps = steps
        self.repeats = repeats
    }

    /// When each step fires within one run of the sequence.
    var offsets: [Int64] {
        var offsets: [Int64] = [0]
        for step in steps.dropLast() { offsets.append(offsets.last! + step.after) }
        return offsets
    }

    var cycle: Int64 { offsets.last! + steps.last!.after }

    /// The position (run × steps + step) of the last step due `elapsed` after the start; nil before none.
    public func lastDue(elapsed: Int64) -> Int? {
        guard elapsed >= 0, !steps.isEmpty else { return nil }
        let n = steps.count
        let cycle = self.cycle
        guard cycle > 0 else { return n - 1 }
        let run = elapsed / cycle
        if let repeats, run > Int64(repeats) { return (repeats + 1) * n - 1 }
        let within = elapsed - run * cycle
        let step = offsets.lastIndex { $0 <= within } ?? 0
        return Int(run) * n + step
    }

    public func step(at position: Int) -> Step { steps[position % steps.count] }

    public var summary: String {
        steps.enumerated().map { index, step in
            index == steps.count - 1 ? step.target.text
                : "\(step.target.text) → \(DurationText.milliseconds(step.after).description)"
        }.joined(separator: " → ")
            + (repeats.map { $0 > 0 ? " (repeat \($0)×)" : "" } ?? " (repeat until acknowledged)")
    }

    public var json: JSON {
        ["steps": .array(steps.map { ["target": .string($0.target.text),
                                      "after": .string(DurationText.milliseconds($0.after).description)] }),
         "repeats": repeats.map { .int(Int64($0)) } ?? .string("until acknowledged")]
    }

    /// With no policy set: the on-call at once, the next in line after the severity's
    /// `incident.escalate.*` delay, the supervisors after another, and again until acknowledged.
    static func standard(delay: Int64) -> EscalationPolicy {
        EscalationPolicy(steps: [Step(target: .oncall, after: delay), Step(target: .oncallSecondary, after: delay),
                                 Step(target: .supervisors, after: delay)], repeats: nil)
    }
}
