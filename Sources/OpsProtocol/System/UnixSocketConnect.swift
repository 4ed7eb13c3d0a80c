@preconcurrency import Glibc

/// Connecting to a Unix stream socket, shared by opsctl (to reach opsd) and
/// opsd (to tell a live socket from a stale one at start).
public enum UnixSocketConnect {
    /// Why a socket path cannot be used.
    public struct PathTooLong: Error, CustomStringConvertible {
        public let path: String
        public var description: String { "socket path is longer than 107 bytes: \(path)" }
    }

    /// The address of `path`, or `PathTooLong`.
    public static func address(_ path: String) throws -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { throw PathTooLong(path: path) }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: bytes)
            buffer[bytes.count] = 0
        }
        return address
    }

    /// A connected, close-on-exec descriptor, or the failed call's `SystemCallError`.
    public static func connect(_ path: String) throws -> Int32 {
        var address = try address(path)
        let fd = try SystemCall.check("socket") {
            socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        }
        let (result, code) = SystemCall.attempt {
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
        }
        if result < 0 {
            close(fd)
            throw SystemCallError(call: "connect", code: code, context: path)
        }
        return fd
    }
}
