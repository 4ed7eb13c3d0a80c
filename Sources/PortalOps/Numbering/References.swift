import OpsProtocol
import SQLite

/// Reads a reference as typed at night (issue 13): `7` is this year's
/// `INC-2026-0007`, `mw-3` this year's `MW-2026-0003`; a whole reference is
/// taken as it is, in any case. A bare number that could be two records
/// (`INC-2026-0007` and `SEC-2026-0007`) is refused with both named. Every
/// command that takes an INC/SEC/MW/FB/REC/REQ/BK reference reads it here.
public struct References {
    let db: Connection
    let year: Int

    public init(db: Connection, year: Int) {
        self.db = db
        self.year = year
    }

    public init(_ context: CommandContext) {
        self.init(db: context.db, year: context.time.year(context.now))
    }

    /// The whole reference `text` stands for among records numbered with `prefixes`.
    public func resolve(_ text: String, prefixes: [String]) throws -> String {
        let typed = text.trimmingCharacters(in: .whitespaces).uppercased()
        var number = Int(typed)
        var candidates = prefixes
        if number == nil, let dash = typed.firstIndex(of: "-"), prefixes.contains(String(typed[..<dash])),
           let n = Int(typed[typed.index(after: dash)...]) {
            number = n
            candidates = [String(typed[..<dash])]
        }
        guard let number, number > 0 else { return typed }
        let refs = candidates.map { Self.format($0, year: year, number: number) }
        let found = try zip(candidates, refs).filter { try isIssued($0.0, number) }.map(\.1)
        if found.count > 1 {
            throw OpsError.usage("'\(text)' could be \(found.joined(separator: " or ")); give the whole reference")
        }
        return found.first ?? refs[0]
    }

    /// Whether number `n` of `prefix` was given this year (numbers are never reused).
    private func isIssued(_ prefix: String, _ n: Int) throws -> Bool {
        let last = try db.queryRow("SELECT last FROM sequences WHERE name = ? AND year = ?", prefix, year)?.int(0) ?? 0
        return Int64(n) <= last
    }

    static func format(_ prefix: String, year: Int, number: Int) -> String {
        "\(prefix)-\(year)-" + String(number).leftPadded(to: 4)
    }
}
