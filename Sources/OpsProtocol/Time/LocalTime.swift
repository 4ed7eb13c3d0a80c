import Foundation

/// Reads and writes times in the configured zone (default Asia/Ho_Chi_Minh).
/// Stored times are UTC milliseconds; people see and type local time with its
/// offset. Built on Calendar components rather than DateFormatter, which
/// crashes when zoneinfo is missing and has no legal Vietnamese wording.
public struct LocalTime: Sendable {
    public let zone: TimeZone
    private let calendar: Calendar

    public static let defaultZoneIdentifier = "Asia/Ho_Chi_Minh"

    public init(zone: TimeZone) {
        self.zone = zone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        self.calendar = calendar
    }

    /// Looks up an IANA zone name such as `Asia/Ho_Chi_Minh` or `UTC`.
    public init?(zoneIdentifier: String) {
        guard let zone = TimeZone(identifier: zoneIdentifier) else { return nil }
        self.init(zone: zone)
    }

    // MARK: Output

    /// `2026-12-12 22:00:05 +07:00`
    public func format(_ milliseconds: Int64) -> String {
        let (c, offset) = components(milliseconds)
        return Self.date(c) + " " + Self.clock(c) + " " + LocalTime.offsetText(offset)
    }

    /// `2026-12-12T22:00:05+07:00`, for JSON output.
    public func iso8601(_ milliseconds: Int64) -> String {
        let (c, offset) = components(milliseconds)
        return Self.date(c) + "T" + Self.clock(c) + LocalTime.offsetText(offset)
    }

    /// `Sat, 12 Dec 2026 22:00:05 +0700`, for the mail Date header (RFC 5322).
    public func rfc5322(_ milliseconds: Int64) -> String {
        let (c, offset) = components(milliseconds)
        let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        let weekday = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][calendar.component(.weekday, from: date) - 1]
        let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][c.month! - 1]
        return String(format: "%@, %02d %@ %04d %02d:%02d:%02d ", weekday, c.day!, month, c.year!, c.hour!, c.minute!, c.second!)
            + LocalTime.offsetText(offset).replacingOccurrences(of: ":", with: "")
    }

    /// `2026-12-12`
    public func dateText(_ milliseconds: Int64) -> String {
        let (c, _) = components(milliseconds)
        return Self.date(c)
    }

    /// `2026-12-12`
    private static func date(_ c: DateComponents) -> String {
        String(c.year!).leftPadded(to: 4) + "-" + String(c.month!).leftPadded(to: 2) + "-"
            + String(c.day!).leftPadded(to: 2)
    }

    /// `22:00:05`
    private static func clock(_ c: DateComponents) -> String {
        String(c.hour!).leftPadded(to: 2) + ":" + String(c.minute!).leftPadded(to: 2) + ":"
            + String(c.second!).leftPadded(to: 2)
    }

    /// Local midnight at the start of the day holding `milliseconds`.
    public func startOfDay(_ milliseconds: Int64) -> Int64 {
        let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        return Int64(calendar.startOfDay(for: date).timeIntervalSince1970) * 1000
    }

    /// The same local time `days` calendar days later (midnight stays midnight).
    public func addingDays(_ days: Int, to milliseconds: Int64) -> Int64 {
        let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        return Int64(calendar.date(byAdding: .day, value: days, to: date)!.timeIntervalSince1970 * 1000)
    }

    /// 1 = Sunday … 7 = Saturday, in the local zone.
    public func weekday(_ milliseconds: Int64) -> Int {
        calendar.component(.weekday, from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }

    /// (year, month, day, hour, minute) in the local zone, for documents.
    public func parts(_ milliseconds: Int64) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int) {
        let c = components(milliseconds).0
        return (c.year!, c.month!, c.day!, c.hour!, c.minute!)
    }

    /// The local calendar year of an instant (notice numbers restart with it).
    public func year(_ milliseconds: Int64) -> Int {
        components(milliseconds).0.year!
    }

    private func components(_ milliseconds: Int64) -> (DateComponents, Int) {
        let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return (c, zone.secondsFromGMT(for: date))
    }

    public static func offsetText(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let minutes = abs(seconds) / 60
        return sign + String(minutes / 60).leftPadded(to: 2) + ":" + String(minutes % 60).leftPadded(to: 2)
    }

    // MARK: Input

    public enum ParseError: Error, CustomStringConvertible, Sendable {
        case badTime(String)
        case badDate(String)
        public var description: String {
            switch self {
            case .badTime(let text):
                return "'\(text)' is not a time; use '2026-12-12 22:00' (local) or '2026-12-12T22:00+07:00'"
            case .badDate(let text):
                return "'\(text)' is not a date; use '2026-12-12'"
            }
        }
    }

    /// Parses `2026-12-12 22:00[:ss]` in this zone, `2026-12-12T22:00[:ss]`
    /// with `Z` or `±HH:MM`, or a bare date (its local midnight).
    public func parseTime(_ text: String) throws -> Int64 {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let parsed = LocalTime.scan(trimmed) else { throw ParseError.badTime(text) }
        var c = DateComponents()
        (c.year, c.month, c.day) = (parsed.year, parsed.month, parsed.day)
        (c.hour, c.minute, c.second) = (parsed.hour, parsed.minute, parsed.second)
        guard LocalTime.isValid(parsed) else { throw ParseError.badTime(text) }
        let milliseconds: Int64
        if let offset = parsed.offsetSeconds {
            var utc = Calendar(identifier: .gregorian)
            utc.timeZone = TimeZone(secondsFromGMT: 0)!
            guard let date = utc.date(from: c) else { throw ParseError.badTime(text) }
            milliseconds = Int64(date.timeIntervalSince1970 - Double(offset)) * 1000
        } else {
            guard let date = calendar.date(from: c) else { throw ParseError.badTime(text) }
            milliseconds = Int64(date.timeIntervalSince1970) * 1000
        }
        // With an offset, a time inside 1970...9999 can fall outside it here ('1970-01-01T00:00+14:00' is 1969
        // in Hanoi): refused, so every accepted time is shown in a form that reads back (found by fuzzing).
        guard (1970...9999).contains(year(milliseconds)) else { throw ParseError.badTime(text) }
        return milliseconds
    }

    /// Parses a time of day, `07:00` or `7:00`, as minutes after midnight.
    public static func parseTimeOfDay(_ text: String) throws -> Int {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
              let hour = Int(parts[0]), let minute = Int(parts[1]), (0...23).contains(hour), (0...59).contains(minute),
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else {
            throw OpsError.usage("'\(text)' is not a time of day; use HH:MM, e.g. 07:00 or 7:00")
        }
        return hour * 60 + minute
    }

    /// Parses `2026-12-12` as that local day's midnight.
    public func parseDate(_ text: String) throws -> Int64 {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.count == 10, let parsed = LocalTime.scan(trimmed), parsed.hasTime == false else {
            throw ParseError.badDate(text)
        }
        return try parseTime(trimmed)
    }

    private struct Scanned {
        var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0
        var offsetSeconds: Int?
        var hasTime = false
    }

    private static func isValid(_ s: Scanned) -> Bool {
        guard (1970...9999).contains(s.year), (1...12).contains(s.month), (0...23).contains(s.hour),
              (0...59).contains(s.minute), (0...59).contains(s.second) else { return false }
        let daysInMonth = [31, (s.year % 4 == 0 && (s.year % 100 != 0 || s.year % 400 == 0)) ? 29 : 28,
                           31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return (1...daysInMonth[s.month - 1]).contains(s.day)
    }

    /// A strict scanner: fixed-width fields only, so "2026-1-2" is refused
    /// rather than guessed.
    private static func scan(_ text: String) -> Scanned? {
        let chars = Array(text.utf8)
        var i = 0
        func number(_ width: Int) -> Int? {
            guard i + width <= chars.count else { return nil }
            var value = 0
            for _ in 0..<width {
                let c = chars[i]
                guard c >= 48 && c <= 57 else { return nil }
                value = value * 10 + Int(c - 48)
                i += 1
            }
            return value
        }
        func expect(_ c: Character) -> Bool {
            guard i < chars.count, chars[i] == c.asciiValue! else { return false }
            i += 1
            return true
        }
        var s = Scanned()
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2) else { return nil }
        (s.year, s.month, s.day) = (year, month, day)
        if i == chars.count { return s }
        guard expect("T") || expect(" ") else { return nil }
        // The hour may be one digit, as typed at night: "2026-12-12 8:00" is 08:00.
        let start = i
        var hour = number(2)
        if hour == nil { i = start; hour = number(1) }
        guard let hour, expect(":"), let minute = number(2) else { return nil }
        (s.hour, s.minute, s.hasTime) = (hour, minute, true)
        if expect(":") {
            guard let second = number(2) else { return nil }
            s.second = second
        }
        if i == chars.count { return s }
        if expect("Z") {
            s.offsetSeconds = 0
        } else {
            _ = expect(" ")
            guard i < chars.count, chars[i] == 43 || chars[i] == 45 else { return nil }
            let sign = chars[i] == 45 ? -1 : 1
            i += 1
            guard let oh = number(2), expect(":"), let om = number(2), oh <= 14, om < 60 else { return nil }
            s.offsetSeconds = sign * (oh * 3600 + om * 60)
        }
        return i == chars.count ? s : nil
    }
}
