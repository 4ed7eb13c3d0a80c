import OpsProtocol

extension Capability {
    /// Yearly numbers (INC-2026-0042, 07/TB-…) that other capabilities draw.
    public static let numbering = Capability("numbering", migrations: [Sequences.migration])
}
