import OpsProtocol

extension JSON {
    /// This object with `other`'s keys added (other wins).
    public func merging(_ other: [String: JSON]) -> JSON {
        guard case .object(var object) = self else { return self }
        object.merge(other) { _, new in new }
        return .object(object)
    }
}
