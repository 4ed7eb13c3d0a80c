import OpsProtocol
import Foundation
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// A directory opened once, in which backup files are created and placed
/// relative to its descriptor (`openat`, `linkat`, `unlinkat`): every file
/// is created with `O_CREAT|O_EXCL|O_NOFOLLOW`, mode 0600, so a name someone
/// planted — a symlink to a file elsewhere — is never followed or reused.
///
/// A strict directory (where backups, copies and dumps go) must be owned by
/// opsd's user and writable by no one else, as ssh's StrictModes asks of
/// `~/.ssh`: whoever can write it could swap names under opsd.
final class OpenDirectory {
    let path: String
    let fd: Int32

    init(_ path: String, create: Bool = true, strict: Bool) throws {
        self.path = path
        if create { try Files.makeDirectory(path) }
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else {
            throw OpsError.refused("cannot open the directory \(path): \(Files.lastError)")
        }
        self.fd = fd
        guard strict else { return }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw OpsError.refused("cannot check the directory \(path): \(Files.lastError)")
        }
        if info.st_uid != geteuid() {
            throw OpsError.refused("\(path) is owned by uid \(info.st_uid), not by opsd's uid \(geteuid()); "
                                   + "nothing was written: run 'chown \(geteuid()) \(path)' or choose another one")
        }
        if info.st_mode & 0o022 != 0 {
            let mode = String(info.st_mode & 0o7777, radix: 8)
            throw OpsError.refused("\(path) can be written by group or others (mode \(mode)); "
                                   + "nothing was written: run 'chmod go-w \(path)'")
        }
    }

    deinit { close(fd) }

    func full(_ name: String) -> String { path + "/" + name }

    /// Whether anything, a symlink included, has this name.
    func exists(_ name: String) -> Bool {
        var info = stat()
        return fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0
    }

    /// A new file, opened for writing; fails if the name exists in any form.
    func createExclusive(_ name: String) throws -> Int32 {
        let file = openat(fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard file >= 0 else {
            throw OpsError.refused(errno == EEXIST
                ? "\(full(name)) already exists and was not made by this backup; nothing was written through it: "
                    + "remove it and try again"
                : "cannot create \(full(name)): \(Files.lastError)")
        }
        return file
    }

    /// Creates `name` empty, for a writer (SQLite, a shell redirection) that opens it by path.
    func createEmpty(_ name: String) throws {
        close(try createExclusive(name))
    }

    /// Gives `from` the name `to` in `directory` (this one by default)
    /// without ever replacing a file (link, then unlink): atomic, and a
    /// backup never replaces another. Throws with `crossDevice` on EXDEV.
    func place(_ from: String, as to: String, in directory: OpenDirectory? = nil) throws {
        let target = directory ?? self
        guard linkat(fd, from, target.fd, to, 0) == 0 else {
            if errno == EXDEV { throw Files.CrossDevice() }
            throw Files.Failure(description: errno == EEXIST
                ? "\(target.full(to)) already exists; a backup never overwrites another"
                : "cannot place \(target.full(to)): \(Files.lastError)")
        }
        unlinkat(fd, from, 0)
    }

    @discardableResult
    func remove(_ name: String) -> Bool { unlinkat(fd, name, 0) == 0 }

    /// Makes the names created or placed here durable.
    func sync() throws {
        guard Glibc.fsync(fd) == 0 else {
            throw Files.Failure(description: "fsync \(path): \(Files.lastError)")
        }
    }

    /// The hidden name `copy(from:as:)` writes `name` under until it is placed, so that what a stopped opsd
    /// left half-copied can be found and removed at the next start.
    static func temporaryName(for name: String) -> String { "." + name + ".partial" }

    /// Copies the file at `source` into this directory as `name`: written
    /// under a hidden temporary name created exclusively, synced, then placed.
    func copy(from source: String, as name: String) throws {
        let input = open(source, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard input >= 0 else { throw Files.Failure(description: "cannot read \(source): \(Files.lastError)") }
        defer { close(input) }
        let temporary = Self.temporaryName(for: name)
        let output = try createExclusive(temporary)
        do {
            defer { close(output) }
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
                if count < 0 { throw Files.Failure(description: "reading \(source): \(Files.lastError)") }
                if count == 0 { break }
                var written = 0
                while written < count {
                    let n = buffer.withUnsafeBytes { write(output, $0.baseAddress! + written, count - written) }
                    if n < 0 {
                        throw Files.Failure(description: "writing \(full(temporary)): \(Files.lastError)")
                    }
                    written += n
                }
            }
            guard Glibc.fsync(output) == 0 else {
                throw Files.Failure(description: "fsync \(full(temporary)): \(Files.lastError)")
            }
        } catch {
            remove(temporary)
            throw error
        }
        do {
            try place(temporary, as: name)
            try sync()
        } catch {
            remove(temporary)
            throw error
        }
    }
}
