import Foundation
/// "Did you mean …?" for misspelt commands and keys.
public enum Suggestion {
    /// The one candidate `word` is the start of, else the candidate closest
    /// by edit distance if close enough to be a plausible typo (at most a
    /// third of the word's length, min 2).
    public static func nearest(to word: String, among candidates: [String]) -> String? {
        // A word that begins exactly one candidate is a truncation of it.
        let extensions = candidates.filter { $0.hasPrefix(word) && $0 != word }
        if !word.isEmpty, extensions.count == 1 { return extensions[0] }
        let limit = max(2, word.count / 3)
        let scored = candidates.map { ($0, distance(word, $0)) }.filter { $0.1 <= limit }
        return scored.min { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }?.0
    }

    /// Levenshtein distance over characters.
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
