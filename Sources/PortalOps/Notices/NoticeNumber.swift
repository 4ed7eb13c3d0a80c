import OpsProtocol
import SQLite

/// The administrative number `15/TB-STTTT`: from the issuing body's own
/// register (its văn thư gives it, `--number`), or from the console's
/// yearly sequence when policy `notice.register` says the console keeps it.
/// Either way unique per issuer and year (the `notices` table's key).
public enum NoticeNumber {
    /// The option every command that issues a notice takes.
    public static let argument = Option.named(
        "number", .text, "the notice's number from the issuing body's register, e.g. 15/TB-STTTT "
            + "(policy notice.register=body)", valueName: "NN/TB-CODE")

    /// `15/TB-STTTT` → 15, checked against the issuer's code.
    static func parse(_ text: String, issuerCode: String) throws -> Int {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, parts[1] == "TB-\(issuerCode)",
              parts[0].allSatisfy(\.isASCII), let number = Int(parts[0]), number >= 1, number <= 99_999 else {
            throw OpsError.usage("--number '\(text)' is not a notice number of \(issuerCode): write "
                                 + "NN/TB-\(issuerCode), e.g. 15/TB-\(issuerCode)")
        }
        guard parts[0] == format(number) else {
            throw OpsError.usage("--number '\(text)': write \(format(number))/TB-\(issuerCode) (a leading zero "
                                 + "below 10, none otherwise)")
        }
        return number
    }

    /// `5` → `05`, `15` → `15`.
    static func format(_ number: Int) -> String { number < 10 ? "0\(number)" : "\(number)" }

    /// The number a notice issued now takes: `given` checked, or the next of the console's sequence.
    static func take(_ given: String?, settings: NoticeSettings, year: Int, db: Connection) throws -> Int {
        let register = try PolicyStore(db).value(.noticeRegister)
        guard let given else {
            guard register == "console" else {
                throw OpsError.usage("the issuing body keeps the register (policy notice.register=body): give "
                                     + "--number NN/TB-\(settings.issuerCode) as its văn thư numbered the notice")
            }
            return try Sequences(db).next("TB-\(settings.issuerCode)", year: year)
        }
        guard register == "body" else {
            throw OpsError.usage("the console keeps the register (policy notice.register=console): drop --number, "
                                 + "or set 'opsctl policy set notice.register body'")
        }
        let number = try parse(given, issuerCode: settings.issuerCode)
        if let used = try db.queryRow("SELECT reference FROM notices WHERE issuer_code = ? AND year = ? AND number = ?",
                                      settings.issuerCode, year, number) {
            throw OpsError.refused("number \(given) is already taken in \(year) (notice about "
                                   + "\(used.string("reference") ?? "?")); ask the văn thư for the next number")
        }
        return number
    }
}
