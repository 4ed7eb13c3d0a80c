import OpsProtocol

/// What opsctl prints for people passes through here: text the daemon sends
/// back may hold whatever an earlier version stored (or a file it read), and
/// an escape sequence or a bidirectional control must never reach the
/// terminal raw. `--json` output is not touched: JSON escapes controls itself.
enum Terminal {
    /// `text` with line breaks and tabs kept and every other control, DEL,
    /// C1 or bidirectional character escaped (`\x1b`, `\u202e`).
    static func visible(_ text: String) -> String { Text.visible(text) }
}
