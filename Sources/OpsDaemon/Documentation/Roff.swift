/// Text made safe for groff's man macros: backslashes, hyphens of options,
/// and lines that would start a request are escaped, and every non-ASCII
/// character (Vietnamese names, dashes) is written as its `\[uXXXX]` glyph so
/// the page renders the same whatever the reader's locale.
enum Roff {
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\e"
            case "-": out += "\\-"
            case "'": out += "\\(aq"
            case "`": out += "\\(ga"
            case "\t": out += " "
            case _ where scalar.isASCII: out.unicodeScalars.append(scalar)
            default:
                out += "\\[u" + String(String(scalar.value, radix: 16, uppercase: true).reversed())
                    .padding(toLength: 4, withPad: "0", startingAt: 0).reversed() + "]"
            }
        }
        // A line starting with '.' or an apostrophe would be read as a request.
        return out.hasPrefix(".") ? "\\&" + out : out
    }

    /// Several lines, each escaped; blank lines become paragraph breaks.
    static func paragraphs(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? ".PP" : escape(trimmed)
        }.joined(separator: "\n")
    }
}
