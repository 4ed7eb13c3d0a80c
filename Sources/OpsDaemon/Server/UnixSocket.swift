import OpsProtocol
@preconcurrency import Glibc

/// The few operations on Unix stream sockets the daemon and client need,
/// with errors that name the call and the path.
public enum UnixSocket {
    public enum Failure: Error, CustomStringConvertible {
        case pathTooLong(String)
        case inUse(String)
        case notASocket(String)
        public var description: String {
            switch self {
            case .pathTooLong(let path): "socket path is longer than 107 bytes: \(path)"
            case .inUse(let path): "another opsd is listening on \(path)"
            case .notASocket(let path): "\(path) exists and is not a socket; remove it or choose another --socket"
            }
        }
    }

    static func address(_ path: String) throws -> sockaddr_un {
        do { return try UnixSocketConnect.address(path) } catch { throw Failure.pathTooLong(path) }
    }

    /// Connects to `path`; returns the descriptor or the failed call.
    static func connect(_ path: String) throws -> Int32 {
        try UnixSocketConnect.connect(path)
    }

    /// Binds and listens on `path`. A stale socket file left by a crashed
    /// daemon is replaced; a live one (another daemon answers) is refused.
    static func listen(_ path: String, mode: mode_t, group: gid_t?) throws -> Int32 {
        var status = stat()
        if lstat(path, &status) == 0 {
            guard (status.st_mode & S_IFMT) == S_IFSOCK else { throw Failure.notASocket(path) }
            if let fd = try? connect(path) {
                close(fd)
                throw Failure.inUse(path)
            }
            try SystemCall.check("unlink", path) { unlink(path) }
        }
        var address = try address(path)
        let fd = try SystemCall.check("socket") { socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        do {
            try SystemCall.check("bind", path) {
                withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                    }
                }
            }
            if let group { try SystemCall.check("chown", path) { chown(path, uid_t.max, group) } }
            try SystemCall.check("chmod", path) { chmod(path, mode) }
            try SystemCall.check("listen", path) { Glibc.listen(fd, 512) }
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    /// Sends all of `bytes`; MSG_NOSIGNAL so a vanished peer is an error, not SIGPIPE.
    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = try SystemCall.check("send") {
                bytes.withUnsafeBytes { buffer in
                    send(fd, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                }
            }
            offset += sent
        }
    }

    /// Sets how long a blocking read waits before failing with EAGAIN.
    static func setReceiveTimeout(_ fd: Int32, milliseconds: Int64) {
        var timeout = timeval(tv_sec: Int(milliseconds / 1000), tv_usec: Int(milliseconds % 1000) * 1000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }
}
