import OpsProtocol

/// The reporting periods of Decree 09/2019/NĐ-CP Art. 12. Their data windows do not follow the
/// calendar: a month runs from the 15th of the month before to the 14th, so that a report can be
/// compiled and sent before the month ends. Every list, statistic and report resolves `--period`
/// through here, so the console has one idea of what "November" means.
public enum ReportPeriod: String, CaseIterable, Sendable {
    case month, quarter, half
    case nineMonths = "nine-months"
    case year

    /// The period's closing month (1–12) for a date that falls in `month`, days 15…end counting
    /// towards the next month; and the number of months the period spans.
    private func closing(month: Int) -> (closes: Int, spans: Int) {
        switch self {
        case .month: (month, 1)
        case .quarter: (((month - 1) / 3 + 1) * 3, 3)
        case .half: (month <= 6 ? 6 : 12, 6)
        case .nineMonths: (9, 9)
        case .year: (12, 12)
        }
    }

    /// The window of this period "of" `of`: `2026-11` (the period that month's report covers), `2026`
    /// (a year or nine months), `2026-Q4` or `2026-H2`. Without `of`, the period under way at `now`.
    public func window(of text: String?, now: Int64, time: LocalTime) throws -> ReportWindow {
        var (year, month) = try text.map { try Self.parseOf($0, period: self) } ?? Self.reportMonth(now, time)
        if text == nil, self == .nineMonths, month > 9 { month = 9 }     // this year's, already closed
        let (closes, spans) = closing(month: month)
        guard self != .nineMonths || month <= 9 else {
            throw OpsError.usage("a nine-months period ends on 14 September; give --of \(year) or a month up to -09")
        }
        let start = Self.add(months: -spans, toYear: year, month: closes)
        let from = try time.parseDate(String(format: "%04d-%02d-15", start.year, start.month))
        let to = try time.parseDate(String(format: "%04d-%02d-15", year, closes))
        let name = switch self {
        case .month: String(format: "month %04d-%02d", year, closes)
        case .quarter: "quarter \(year)-Q\(closes / 3)"
        case .half: "half \(year)-H\(closes / 6)"
        case .nineMonths: "nine months \(year)"
        case .year: "year \(year)"
        }
        return ReportWindow(from: from, to: to, period: self, name: name, underWay: now < to && now >= from)
    }

    /// The month whose report covers the instant: the 15th onwards belongs to the next month.
    static func reportMonth(_ milliseconds: Int64, _ time: LocalTime) -> (year: Int, month: Int) {
        let parts = time.parts(milliseconds)
        return parts.day >= 15 ? add(months: 1, toYear: parts.year, month: parts.month) : (parts.year, parts.month)
    }

    private static func add(months: Int, toYear year: Int, month: Int) -> (year: Int, month: Int) {
        let index = year * 12 + (month - 1) + months
        return (index / 12, index % 12 + 1)
    }

    private static func parseOf(_ text: String, period: ReportPeriod) throws -> (year: Int, month: Int) {
        let parts = text.uppercased().split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        let fail = OpsError.usage("--of '\(text)' is not a month (2026-11), a year (2026), a quarter (2026-Q4) "
                                  + "or a half (2026-H2)")
        guard let year = Int(parts[0]), parts[0].count == 4, (1970...9999).contains(year) else { throw fail }
        if parts.count == 1 {
            guard [.year, .nineMonths].contains(period) else {
                throw OpsError.usage("--of \(text) names a year; a \(period.rawValue) needs a month, e.g. \(year)-11")
            }
            return (year, period == .year ? 12 : 9)
        }
        guard parts.count == 2 else { throw fail }
        let part = parts[1]
        if part.hasPrefix("Q"), period == .quarter, let q = Int(part.dropFirst()), (1...4).contains(q) {
            return (year, q * 3)
        }
        if part.hasPrefix("H"), period == .half, let h = Int(part.dropFirst()), (1...2).contains(h) {
            return (year, h * 6)
        }
        guard part.count == 2, let month = Int(part), (1...12).contains(month) else { throw fail }
        return (year, month)
    }
}

/// A half-open stretch of time [from, to) that a list or report covers, and how it was asked for.
public struct ReportWindow: Sendable, Equatable {
    public let from: Int64
    public let to: Int64
    /// Set when the window is a Decree 09 period.
    public let period: ReportPeriod?
    public let name: String?
    /// The period has begun and not ended: its figures are not final.
    public let underWay: Bool

    public init(from: Int64, to: Int64, period: ReportPeriod? = nil, name: String? = nil, underWay: Bool = false) {
        self.from = from
        self.to = to
        self.period = period
        self.name = name
        self.underWay = underWay
    }

    public func contains(_ milliseconds: Int64) -> Bool { milliseconds >= from && milliseconds < to }

    /// The longest stretch a report or availability is computed over: two years of days. A longer one is
    /// almost always a typing mistake (1970-01-01), and would tie up a reader for minutes.
    public static let longestSpan: Int64 = 731 * 86_400_000

    public static func checkSpan(from: Int64, to: Int64) throws {
        guard to - from <= longestSpan else {
            throw OpsError.usage("the time asked for is longer than two years; ask for a shorter one")
        }
    }

    /// "2026-10-15 to 2026-11-14 (Decree 09 month 2026-11)": the last day is the last day counted.
    public func text(_ time: LocalTime) -> String {
        let last = time.dateText(to - 1)
        let range = from % 86_400_000 == to % 86_400_000 && to - from >= 86_400_000
            ? "\(time.dateText(from)) to \(last)" : "\(time.format(from)) to \(time.format(to))"
        let named = name.map { " (Decree 09 \($0)\(underWay ? ", under way" : ""))" } ?? ""
        return range + named
    }

    public func json(_ time: LocalTime) -> JSON {
        ["from": .string(time.iso8601(from)), "to": .string(time.iso8601(to)),
         "first_day": .string(time.dateText(from)), "last_day": .string(time.dateText(to - 1)),
         "period": JSON(period?.rawValue), "name": JSON(name), "under_way": .bool(underWay)]
    }
}
