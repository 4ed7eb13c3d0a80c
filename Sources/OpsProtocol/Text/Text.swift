import Foundation

/// Text as the console stores and shows it: UTF-8, normalised to NFC on
/// input (so "Sở Tư pháp" typed with combining marks matches the precomposed
/// form), and measured in terminal columns by grapheme.
public enum Text {
    /// NFC form of `text`.
    public static func normalized(_ text: String) -> String {
        text.precomposedStringWithCanonicalMapping
    }

    /// Terminal columns `text` takes: one per grapheme, two for East Asian
    /// wide and full-width characters, none for a lone combining mark.
    public static func displayWidth(_ text: String) -> Int {
        text.reduce(0) { width, character in
            guard let first = character.unicodeScalars.first else { return width }
            if first.properties.generalCategory == .nonspacingMark { return width }
            return width + (isWide(first.value) ? 2 : 1)
        }
    }

    private static func isWide(_ v: UInt32) -> Bool {
        (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v) || (0x1F900...0x1F9FF).contains(v)
            || (0x20000...0x3FFFD).contains(v)
    }

    /// `text` padded with spaces to `width` columns.
    public static func padded(_ text: String, to width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - displayWidth(text)))
    }

    /// Keys of users, components and other records: lower-case ASCII letters,
    /// digits, '-', '_' and '.', starting with a letter or digit, 1–64 long.
    public static func isValidKey(_ text: String) -> Bool {
        guard (1...64).contains(text.utf8.count), let first = text.unicodeScalars.first,
              first.isASCIILowercaseLetterOrDigit else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCIILowercaseLetterOrDigit || "-_.".unicodeScalars.contains($0) }
    }

    /// A plausible mail address: one '@', a dotted domain, no spaces or
    /// angle brackets (which would break the headers it goes into).
    public static func isValidEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].utf8.count <= 64, text.utf8.count <= 254 else { return false }
        let domain = parts[1]
        guard domain.contains("."), !domain.hasPrefix("."), !domain.hasSuffix("."), !domain.contains("..") else { return false }
        let forbidden = CharacterSet(charactersIn: " <>()[]\\,;:\"\r\n\t")
        return text.rangeOfCharacter(from: forbidden) == nil
    }
}

extension Text {
    /// The first character `text` may not hold: a C0 control other than tab
    /// (and newline when `newlines` is true), DEL, or a bidirectional control
    /// (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C), which can
    /// drive a terminal or reorder what a reader sees ("Trojan Source").
    public static func forbiddenScalar(in text: String, newlines: Bool) -> Unicode.Scalar? {
        text.unicodeScalars.first { scalar in
            if scalar == "\t" || (newlines && scalar == "\n") { return false }
            return scalar.value < 0x20 || scalar.value == 0x7F || scalar.isBidiControl
        }
    }

    /// `U+001B`, as refusals name a character.
    public static func codePoint(_ scalar: Unicode.Scalar) -> String {
        "U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)
    }

    /// Why `scalar` is refused, for a message naming the argument.
    public static func refusal(_ scalar: Unicode.Scalar) -> String {
        (scalar.isBidiControl ? "the bidirectional control " : "the control character ") + codePoint(scalar)
    }

    /// `text` with every control, DEL, C1 and bidirectional character (and
    /// U+2028/U+2029) shown escaped and visible — `\x1b`, `\u202e` — so
    /// what a record holds can never drive the terminal that prints it.
    /// Tab and newline stay as they are when `keepingLines` is true.
    public static func visible(_ text: String, keepingLines: Bool = true) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if keepingLines && (scalar == "\n" || scalar == "\t") {
                out.unicodeScalars.append(scalar)
            } else if v < 0x20 || v == 0x7F {
                out += "\\x" + String(v, radix: 16).leftPadded(to: 2)
            } else if (0x80...0x9F).contains(v) || scalar.isBidiControl || v == 0x2028 || v == 0x2029 {
                out += "\\u" + String(v, radix: 16).leftPadded(to: 4)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

extension String {
    /// Zeros before the text up to `width` characters (`"7".leftPadded(to: 2)` is `"07"`): what `%02d` does,
    /// without `String(format:)`, whose CoreFoundation varargs were most of the cost of formatting a time.
    public func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}

extension Unicode.Scalar {
    /// The explicit bidirectional formatting characters.
    public var isBidiControl: Bool {
        (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value) || value == 0x200E || value == 0x200F
            || value == 0x061C
    }

    fileprivate var isASCIILowercaseLetterOrDigit: Bool {
        ("a"..."z").contains(self) || ("0"..."9").contains(self)
    }
}
