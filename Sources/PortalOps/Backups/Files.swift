import OpsProtocol
import Foundation
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// File operations a backup relies on: durable writes (fsync of the file
/// and of its directory, so a rename survives a crash), atomic placement
/// that never overwrites, and streaming SHA-256.
enum Files {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Two directories on different file systems: a link cannot join them.
    struct CrossDevice: Error, CustomStringConvertible {
        var description: String { "the directories are on different file systems" }
    }

    static func fsync(_ path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw Failure(description: "cannot open \(path) to sync: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard Glibc.fsync(fd) == 0 else { throw Failure(description: "fsync \(path): \(String(cString: strerror(errno)))") }
    }

    static func fsyncDirectory(of path: String) throws {
        try fsync((path as NSString).deletingLastPathComponent)
    }

    /// Renames `from` to `to` only if `to` does not exist (link + unlink:
    /// atomic, and a backup never replaces another).
    static func placeWithoutOverwriting(_ from: String, _ to: String) throws {
        guard link(from, to) == 0 else {
            throw Failure(description: errno == EEXIST ? "\(to) already exists; a backup never overwrites another"
                                                      : "cannot place \(to): \(String(cString: strerror(errno)))")
        }
        unlink(from)
    }

    /// Writes all of `bytes` to the open file `fd`, syncs and closes it.
    static func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) throws {
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
            guard n >= 0 else { throw Failure(description: "writing \(path): \(String(cString: strerror(errno)))") }
            written += n
        }
        guard Glibc.fsync(fd) == 0 else { throw Failure(description: "fsync \(path): \(lastError)") }
    }

    /// Gives the file at `path` to `uid` (and its primary group), readable and writable by them
    /// only (issue 13: a restored copy belongs to whoever asked for it, not to opsd's user).
    /// Returns why not when the system refuses (opsd without CAP_CHOWN).
    static func giveTo(_ path: String, uid: UInt32) -> String? {
        let gid = getpwuid(uid).map { $0.pointee.pw_gid } ?? gid_t(uid)
        guard chown(path, uid, gid) == 0 else { return "chown \(path) to uid \(uid): \(lastError)" }
        guard chmod(path, 0o600) == 0 else { return "chmod \(path): \(lastError)" }
        return nil
    }

    /// The text of the last system call's errno.
    static var lastError: String { String(cString: strerror(errno)) }

    static func makeDirectory(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    static func size(_ path: String) -> Int64 {
        var status = stat()
        return stat(path, &status) == 0 ? Int64(status.st_size) : 0
    }

    /// SHA-256 of a file, read in 1 MiB blocks.
    /// Refuses, before anything is written, work that would leave less than
    /// `keepFree` bytes free on the disk holding `directory` (which may also
    /// hold the live databases). When the disk cannot be asked, the write
    /// itself will tell.
    static func ensureRoom(for bytes: Int64, in directory: String, keepFree: Int64, what: String) throws {
        var info = statvfs()
        guard statvfs(directory, &info) == 0 else { return }
        let free = Int64(info.f_bavail) * Int64(info.f_frsize)
        guard free - bytes >= keepFree else {
            throw OpsError.refused("not enough room for \(what) in \(directory): it needs about \(bytes >> 20) MiB and "
                                   + "\(keepFree >> 20) MiB must stay free (policy backup.keep_free_mib), but \(free >> 20) MiB are free; "
                                   + "remove old backups ('opsctl backup prune KEY --dry-run' first) or free space")
        }
    }

    /// The file's SHA-256; `progress`, if given, hears the bytes hashed so
    /// far about every `seconds` (once a second unless told).
    static func sha256(_ path: String, every seconds: Double = 1, progress: ((Int64) -> Void)? = nil) throws -> String {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw Failure(description: "cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var hasher = SHA256()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var hashed: Int64 = 0
        let interval = UInt64(seconds * 1_000_000_000)
        var nextReport = DispatchTime.now().uptimeNanoseconds + interval
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 { throw Failure(description: "reading \(path): \(String(cString: strerror(errno)))") }
            if count == 0 { break }
            buffer.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            hashed += Int64(count)
            if let progress, DispatchTime.now().uptimeNanoseconds >= nextReport {
                progress(hashed)
                nextReport = DispatchTime.now().uptimeNanoseconds + interval
            }
        }
        return hasher.finalize().hexString
    }

    /// Copies `from` to the new file `to` (never over an existing one):
    /// created exclusively under a hidden temporary name relative to the
    /// opened directory, synced, then placed, so no planted name is followed.
    static func copyDurably(_ from: String, _ to: String) throws {
        let directory = try OpenDirectory((to as NSString).deletingLastPathComponent, create: false, strict: false)
        try directory.copy(from: from, as: (to as NSString).lastPathComponent)
    }
}
