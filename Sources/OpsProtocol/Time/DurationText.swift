import Foundation

/// A duration as people type it: `90s`, `15m`, `2h`, `3d`, or `5wd`
/// (working days, which need the working-day calendar to turn into time).
public enum DurationText: Equatable, Sendable, CustomStringConvertible {
    case milliseconds(Int64)
    case workingDays(Int)

    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public let text: String
        public var description: String {
            "'\(text)' is not a duration; use a whole number with s, m, h, d or wd (e.g. 90s, 15m, 2h, 3d, 5wd)"
        }
    }

    public static func parse(_ text: String) throws -> DurationText {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        let unit = trimmed.dropFirst(digits.count)
        guard !digits.isEmpty, digits.count <= 9, let amount = Int64(digits) else { throw ParseError(text: text) }
        switch unit {
        case "s": return .milliseconds(amount * 1_000)
        case "m": return .milliseconds(amount * 60_000)
        case "h": return .milliseconds(amount * 3_600_000)
        case "d": return .milliseconds(amount * 86_400_000)
        case "wd": return .workingDays(Int(amount))
        default: throw ParseError(text: text)
        }
    }

    /// The shortest exact spelling: 90000 ms is "90s", 7200000 ms is "2h".
    public var description: String {
        switch self {
        case .workingDays(let days): return "\(days)wd"
        case .milliseconds(let ms):
            let seconds = ms / 1000
            if seconds % 86_400 == 0 && seconds > 0 { return "\(seconds / 86_400)d" }
            if seconds % 3_600 == 0 && seconds > 0 { return "\(seconds / 3_600)h" }
            if seconds % 60 == 0 && seconds > 0 { return "\(seconds / 60)m" }
            return "\(seconds)s"
        }
    }
}

extension DurationText {
    /// Shows an elapsed time compactly, e.g. "3d 4h", "12m 5s".
    public static func elapsed(_ milliseconds: Int64) -> String {
        var seconds = max(0, milliseconds / 1000)
        let days = seconds / 86_400; seconds %= 86_400
        let hours = seconds / 3_600; seconds %= 3_600
        let minutes = seconds / 60; seconds %= 60
        if days > 0 { return "\(days)d \(hours)h" }
        if hours > 0 { return "\(hours)h \(minutes)m" }
        if minutes > 0 { return "\(minutes)m \(seconds)s" }
        return "\(seconds)s"
    }
}
