/// A person who may use the console, tied to one Unix uid.
public struct User: Sendable, Equatable {
    public let id: Int64
    public let name: String
    public let uid: UInt32
    public let role: Role
    public let fullName: String?
    public let email: String?
    public let disabled: Bool
    public let createdAt: Int64

    public var json: JSON {
        ["name": .string(name), "uid": .int(Int64(uid)), "role": .string(role.rawValue),
         "full_name": JSON(fullName), "email": JSON(email), "disabled": .bool(disabled)]
    }
}
