import OpsProtocol
/// What one capability adds to `opsctl status`: its lines, its part of the
/// JSON document, and warnings for things that need attention.
public struct StatusSection: Sendable {
    public var fields: [[String]]
    public var data: [String: JSON]
    public var warnings: [String]

    public init(fields: [[String]] = [], data: [String: JSON] = [:], warnings: [String] = []) {
        self.fields = fields
        self.data = data
        self.warnings = warnings
    }
}

