import Foundation
@preconcurrency import Glibc
import OpsProtocol

/// A file replaced whole or not at all: written to a temporary name beside it and renamed over
/// it, so a reader (node_exporter, the portal's web server) never sees half a file.
enum AtomicFile {
    /// Writes `bytes` with `mode` (opsd's umask is 0077; these files are read by other users).
    static func replace(_ path: String, with bytes: [UInt8], mode: mode_t = 0o644) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let temporary = (directory.isEmpty ? "." : directory) + "/.\(name).\(getpid()).tmp"
        let fd = try SystemCall.check("open", temporary) {
            open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        }
        var closed = false
        defer { if !closed { close(fd) } }
        var offset = 0
        while offset < bytes.count {
            offset += try SystemCall.check("write", temporary) {
                bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            }
        }
        _ = try SystemCall.check("fchmod") { fchmod(fd, mode) }
        closed = true
        _ = try SystemCall.check("close") { close(fd) }
        do {
            _ = try SystemCall.check("rename", path) { rename(temporary, path) }
        } catch {
            unlink(temporary)
            throw error
        }
    }
}
