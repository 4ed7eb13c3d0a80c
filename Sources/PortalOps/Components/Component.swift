import OpsProtocol
/// A part of the portal that incidents, checks and maintenance refer to:
/// the portal itself, online payment, the link to the National Public
/// Service Portal, the dossier database…
public struct Component: Sendable, Equatable {
    public let key: String
    public let name: String
    public let description: String?
    public let createdAt: Int64

    public var json: JSON {
        ["key": .string(key), "name": .string(name), "description": JSON(description)]
    }
}
