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

extension Unicode.Scalar {
    fileprivate var isASCIILowercaseLetterOrDigit: Bool {
        ("a"..."z").contains(self) || ("0"..."9").contains(self)
    }
}
