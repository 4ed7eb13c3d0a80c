extension String {
    /// This text with each scalar in `replacements` replaced, for escaping into another syntax (shell quotes,
    /// SQL identifiers, CSV, Prometheus, Markdown tables).
    ///
    /// Not `replacingOccurrences(of:with:)`: Foundation matches whole Characters, so it misses a quote, a
    /// backslash or a line end followed by a combining mark ("'\u{301}" is one Character) and leaves it
    /// unescaped, which closes a shell or SQL quote early (found by scripts/fuzz.sh in CSV and iCalendar).
    public func escapingScalars(_ replacements: [Unicode.Scalar: String]) -> String {
        var out = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            if let replacement = replacements[scalar] {
                out.append(contentsOf: replacement.unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }
}
