@preconcurrency import Glibc
import OpsProtocol

/// Sends one request over the daemon's Unix socket and reads the answer.
enum SocketClient {
    private static func send(_ request: Request, fd: Int32, path: String,
                             progressHandler: (String) -> Void) throws -> Response {
        defer { close(fd) }
        var bytes = Array(request.json.serialized().utf8)
        bytes.append(0x0A)
        var offset = 0
        while offset < bytes.count {
            do {
                offset += try SystemCall.check("send") {
                    bytes.withUnsafeBytes {
                        Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
                    }
                }
            } catch let error as SystemCallError {
                throw OpsError.unreachable("lost the connection to opsd at \(path) while sending: \(error.reason)")
            }
        }
        var answer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            // Progress lines of a long job come first; the answer is the line without "progress".
            while let newline = answer.firstIndex(of: 0x0A) {
                let line = Array(answer[..<newline])
                answer.removeSubrange(...newline)
                guard let json = try? JSON.parse(line) else {
                    throw OpsError.internalError("opsd sent an answer opsctl cannot read")
                }
                if let progress = json["progress"]?.stringValue {
                    progressHandler(progress)
                    continue
                }
                do {
                    return try Response(json: json)
                } catch {
                    throw OpsError.internalError("opsd sent an answer opsctl cannot read: \(error)")
                }
            }
            let count: Int
            do {
                count = try SystemCall.check("read") {
                    chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                }
            } catch let error as SystemCallError {
                throw OpsError.unreachable("lost the connection to opsd at \(path): \(error.reason)")
            }
            if count == 0 {
                throw OpsError.unreachable("opsd closed the connection before answering; the command may or may not have been done — check with 'opsctl audit list'")
            }
            answer.append(contentsOf: chunk[0..<count])
        }
    }

    /// Sends to the first of `places` that answers (see `SocketLocator`).
    static func send(_ request: Request, toFirstOf places: [SocketLocator.Candidate],
                     progressHandler: (String) -> Void = { _ in }) throws -> Response {
        let (fd, path) = try connect(places)
        return try send(request, fd: fd, path: path, progressHandler: progressHandler)
    }

    /// A connected descriptor to the first place that answers. A missing or
    /// stale socket sends opsctl on to the next place; a socket it may not use
    /// stops it there (that is the daemon, and the caller lacks the group).
    static func connect(_ places: [SocketLocator.Candidate]) throws -> (Int32, String) {
        var tried: [String] = []
        for place in places {
            do {
                return (try UnixSocketConnect.connect(place.path), place.path)
            } catch let error as UnixSocketConnect.PathTooLong {
                throw OpsError.usage(error.description)
            } catch let error as SystemCallError {
                guard error.call == "connect" else { throw OpsError.internalError("\(error)") }
                switch error.code {
                case EACCES:
                    throw OpsError.permission("permission denied on \(place.path): ask an admin to add you to the "
                                              + "socket's group (on a package install: portalops)")
                case ENOENT, ENOTDIR:
                    tried.append("no socket at \(place.path) (\(place.origin))")
                case ECONNREFUSED:
                    tried.append("\(place.path) (\(place.origin)) refuses connections (stale socket)")
                default:
                    tried.append("cannot reach opsd at \(place.path) (\(place.origin)): \(error.reason)")
                }
            }
        }
        let hint = "start it with 'scripts/run.sh' (embedded default), 'systemctl start portalops' (package) or "
            + "'opsd --data DIR', or point opsctl at its socket with --socket or PORTALOPS_SOCKET"
        throw OpsError.unreachable("opsd is not running: \(tried.joined(separator: "; ")); \(hint)")
    }
}
