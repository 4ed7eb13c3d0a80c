extension DaemonOptions {
    /// The flags as `opsd --help` lists them, read from that text so the man
    /// page cannot drift from it: `("--data DIR", "data directory (created 0700): …")`.
    static var flagHelp: [(String, String)] {
        var flags: [(String, String)] = []
        for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
            let body = line.drop { $0 == " " }
            let indent = line.count - body.count
            if indent == 2, body.hasPrefix("--"), let gap = body.range(of: "  ") {
                let flag = String(body[..<gap.lowerBound])
                flags.append((flag, body[gap.upperBound...].trimmingCharacters(in: .whitespaces)))
            } else if indent > 2, !flags.isEmpty, !body.isEmpty {
                flags[flags.count - 1].1 += " " + body
            } else if !flags.isEmpty, body.isEmpty {
                break
            }
        }
        return flags
    }
}
