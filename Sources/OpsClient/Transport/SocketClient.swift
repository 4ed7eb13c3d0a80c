@preconcurrency import Glibc
import OpsProtocol

/// Sends one request over the daemon's Unix socket and reads the answer.
enum SocketClient {
    static func send(_ request: Request, to path: String, progressHandler: (String) -> Void = { _ in }) throws -> Response {
        let fd = try connect(path)
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

    private static func connect(_ path: String) throws -> Int32 {
        do {
            return try UnixSocketConnect.connect(path)
        } catch let error as UnixSocketConnect.PathTooLong {
            throw OpsError.usage(error.description)
        } catch let error as SystemCallError {
            let code = error.code
            guard error.call == "connect" else { throw OpsError.internalError("\(error)") }
            let hint = "start it with 'scripts/run.sh' (embedded default) or 'opsd --data DIR', or point opsctl at its socket with --socket or PORTALOPS_SOCKET"
            switch code {
            case EACCES:
                throw OpsError.permission("permission denied on \(path): ask an admin to add you to the socket's group")
            case ENOENT:
                throw OpsError.unreachable("opsd is not running: no socket at \(path); \(hint)")
            case ECONNREFUSED:
                throw OpsError.unreachable("opsd is not running: \(path) refuses connections (stale socket); \(hint)")
            default:
                throw OpsError.unreachable("cannot reach opsd at \(path): \(error.reason); \(hint)")
            }
        }
    }
}
