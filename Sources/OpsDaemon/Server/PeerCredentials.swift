import OpsProtocol
@preconcurrency import Glibc

/// Who is on the other end of a Unix socket, as the kernel reports it.
public struct PeerCredentials: Sendable {
    public let pid: Int32
    public let uid: UInt32
    public let gid: UInt32

    /// Layout of `struct ucred` { pid_t; uid_t; gid_t }, which Glibc imports
    /// only with _GNU_SOURCE. The returned length is checked against it.
    private struct UCred {
        var pid: Int32 = 0
        var uid: UInt32 = 0
        var gid: UInt32 = 0
    }

    static func of(socket fd: Int32) throws -> PeerCredentials {
        var cred = UCred()
        var length = socklen_t(MemoryLayout<UCred>.size)
        try SystemCall.check("getsockopt", "SO_PEERCRED") { getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &length) }
        guard length == MemoryLayout<UCred>.size else {
            throw SystemCallError(call: "getsockopt", code: EINVAL, context: "SO_PEERCRED returned \(length) bytes")
        }
        return PeerCredentials(pid: cred.pid, uid: cred.uid, gid: cred.gid)
    }
}
