import OpsProtocol

/// Who answers pages when (issue 13): people take turns of a fixed length,
/// handing over at a fixed local time. Turn n starts at `anchor + n × length`
/// and belongs to `users[n mod count]`; an override puts someone else on call
/// for a while (a swap, a sick day).
public struct Rota: Sendable, Equatable {
    /// Which incidents a rota answers: ordinary ones, or security ones.
    public enum Role: String, CaseIterable, Sendable {
        case `operator`, security
    }

    public struct Override: Sendable, Equatable {
        public let id: Int64
        public let user: String
        public let from: Int64
        public let to: Int64
    }

    public let name: String
    public let role: Role
    public let users: [String]
    /// The handover time, "07:00", as minutes after local midnight.
    public let handoff: Int
    public let length: Int64
    /// The start of turn 0: the handover time on the day the rota was made.
    public let anchor: Int64
    public var overrides: [Override] = []

    public func turn(at t: Int64) -> Int64 {
        let elapsed = t - anchor
        return elapsed >= 0 ? elapsed / length : -((-elapsed + length - 1) / length)
    }

    public func turnStart(_ turn: Int64) -> Int64 { anchor + turn * length }

    /// Whose turn `turn` is, by the rotation alone.
    public func scheduled(_ turn: Int64) -> String {
        let n = Int64(users.count)
        return users[Int(((turn % n) + n) % n)]
    }

    /// The override covering `t`, the latest made winning.
    public func override(at t: Int64) -> Override? {
        overrides.filter { $0.from <= t && t < $0.to }.max { $0.id < $1.id }
    }

    /// Who is on call at `t`.
    public func onCall(at t: Int64) -> String { override(at: t)?.user ?? scheduled(turn(at: t)) }

    /// The next in line at `t`: the person whose turn follows, if not the one on call.
    public func secondary(at t: Int64) -> String? {
        let primary = onCall(at: t)
        let turn = turn(at: t)
        for step in 1...Int64(max(users.count, 1)) where scheduled(turn + step) != primary {
            return scheduled(turn + step)
        }
        return nil
    }

    /// When who is on call at `t` next changes: the end of the turn or of an override, or the start of an override.
    public func nextChange(after t: Int64) -> Int64 {
        var candidates = [turnStart(turn(at: t) + 1)]
        for o in overrides {
            if o.from > t { candidates.append(o.from) }
            if o.to > t { candidates.append(o.to) }
        }
        return candidates.min() ?? turnStart(turn(at: t) + 1)
    }

    /// The handovers from `t` on: (when, who), `count` of them.
    public func upcoming(after t: Int64, count: Int) -> [(at: Int64, user: String)] {
        var result: [(at: Int64, user: String)] = []
        var at = t
        var current = onCall(at: t)
        while result.count < count {
            at = nextChange(after: at)
            let next = onCall(at: at)
            if next != current { result.append((at, next)); current = next }
            if at > t + 400 * 86_400_000 { break }
        }
        return result
    }

    public func json(time: LocalTime, now: Int64) -> JSON {
        ["name": .string(name), "role": .string(role.rawValue), "users": .array(users.map(JSON.string)),
         "handoff": .string(String(format: "%02d:%02d", handoff / 60, handoff % 60)),
         "length": .string(DurationText.milliseconds(length).description), "on_call": .string(onCall(at: now)),
         "secondary": JSON(secondary(at: now)),
         "overrides": .array(overrides.filter { $0.to > now }.map {
             ["id": .int($0.id), "user": .string($0.user), "from": .string(time.iso8601($0.from)),
              "to": .string(time.iso8601($0.to))]
         })]
    }
}
