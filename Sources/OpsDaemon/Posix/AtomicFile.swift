import Foundation
@preconcurrency import Glibc
import OpsProtocol

/// A file replaced whole or not at all, and durably: written to a temporary name beside it, fsynced,
/// renamed over it, and the directory fsynced, so a reader (node_exporter, the portal's web server)
/// never sees half a file and a power cut never leaves an empty one.
enum AtomicFile {
    /// Writes `bytes` with `mode` (opsd's umask is 0077; these files are read by other users). The
    /// temporary file is created with O_EXCL|O_NOFOLLOW after removing a stale one, so a link planted
    /// under its name in a served directory is never followed.
    static func replace(_ path: String, with bytes: [UInt8], mode: mode_t = 0o644) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let folder = directory.isEmpty ? "." : directory
        let name = (path as NSString).lastPathComponent
        let temporary = folder + "/.\(name).\(getpid()).tmp"
        unlink(temporary)
        let fd = try SystemCall.check("open", temporary) {
            open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        }
        var closed = false
        defer { if !closed { close(fd) } }
        do {
            var offset = 0
            while offset < bytes.count {
                offset += try SystemCall.check("write", temporary) {
                    bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
                }
            }
            _ = try SystemCall.check("fchmod") { fchmod(fd, mode) }
            _ = try SystemCall.check("fsync", temporary) { fsync(fd) }
            closed = true
            _ = try SystemCall.check("close") { close(fd) }
            _ = try SystemCall.check("rename", path) { rename(temporary, path) }
        } catch {
            unlink(temporary)
            throw error
        }
        let directoryFD = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryFD >= 0 {
            fsync(directoryFD)
            close(directoryFD)
        }
    }
}
