import OpsProtocol
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

    /// The daemon itself, as the actor of the work it does on its own
    /// (scheduled backups and drills): recorded as "opsd" in the audit trail.
    public static func daemon(uid: UInt32) -> User {
        User(id: 0, name: "opsd", uid: uid, role: .admin, fullName: "PortalOps daemon", email: nil, disabled: false, createdAt: 0)
    }
}
