import OpsProtocol

extension Capability {
    /// The public status site opsd keeps up to date with `--publish DIR` (issue 15).
    public static let publication = Capability(
        "publication",
        policies: PolicyDefinition.publication)
}
