import OpsProtocol
/// Who sent a request, as the kernel told the daemon (`SO_PEERCRED`), and the
/// user that uid maps to.
public struct Caller: Sendable {
    public let uid: UInt32
    public let pid: Int32
    /// The matching enabled user, or nil for an unknown or disabled uid.
    public let user: User?

    public init(uid: UInt32, pid: Int32, user: User?) {
        self.uid = uid
        self.pid = pid
        self.user = user
    }

    /// The name recorded as actor in the audit trail.
    public var actorName: String { user?.name ?? "uid:\(uid)" }
}
