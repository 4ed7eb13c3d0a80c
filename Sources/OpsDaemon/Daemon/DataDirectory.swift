import OpsProtocol
import Foundation
@preconcurrency import Glibc

/// The daemon's data directory: created 0700, and locked so that a second
/// `opsd` on the same directory refuses to start instead of sharing ops.db.
struct DataDirectory {
    let path: String
    private let lockDescriptor: Int32

    struct Locked: Error, CustomStringConvertible {
        let path: String
        let holder: String
        var description: String {
            "another opsd (\(holder)) is running on \(path); stop it first or use another --data directory"
        }
    }

    init(path: String, log: Log) throws {
        self.path = path
        var status = stat()
        if stat(path, &status) != 0 {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            log.event("created data directory \(path) (0700)")
        } else if status.st_mode & 0o077 != 0 {
            try SystemCall.check("chmod", path) { chmod(path, 0o700) }
            log.event("tightened permissions of \(path) to 0700")
        }
        let lockPath = (path as NSString).appendingPathComponent("opsd.lock")
        let fd = try SystemCall.check("open", lockPath) { open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600) }
        let (result, code) = SystemCall.attempt { flock(fd, LOCK_EX | LOCK_NB) }
        if result != 0 {
            let holder = (try? String(contentsOfFile: lockPath, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            close(fd)
            if code == EWOULDBLOCK { throw Locked(path: path, holder: holder.isEmpty ? "pid unknown" : "pid \(holder)") }
            throw SystemCallError(call: "flock", code: code, context: lockPath)
        }
        ftruncate(fd, 0)
        let pid = Array("\(getpid())\n".utf8)
        _ = pid.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        self.lockDescriptor = fd
    }
}
