import OpsProtocol
import Foundation
import SQLite

/// What a finished backup is on disk.
public struct BackupArtifact: Sendable {
    public let file: String
    public let size: Int64
    public let sha256: String
    public let manifest: String
    public let fingerprint: Fingerprint?
    public let copyFile: String?
}

extension BackupArtifact {
    /// How a job's work hands the artifact to its finish on the writer.
    var json: JSON {
        ["file": .string(file), "size": .int(size), "sha256": .string(sha256), "manifest": .string(manifest),
         "copy": JSON(copyFile), "fingerprint": fingerprint?.json ?? .null]
    }

    /// Read back from `json`; what is missing reads as empty (the work wrote it).
    init(json: JSON) {
        self.init(file: json["file"]?.stringValue ?? "", size: json["size"]?.intValue ?? 0,
                  sha256: json["sha256"]?.stringValue ?? "", manifest: json["manifest"]?.stringValue ?? "",
                  fingerprint: json["fingerprint"].flatMap(Fingerprint.init(json:)),
                  copyFile: json["copy"]?.stringValue)
    }
}

/// The file work of backups, run off the writer: take, verify, restore.
///
/// Taking a backup follows the order that makes a crash harmless (as
/// pgBackRest and Litestream do): the copy is written under a temporary
/// name, synced, checked and hashed; the manifest describing it is written
/// and synced under its final name; only then is the copy renamed into
/// place and the directory synced. A crash at any point leaves either
/// nothing that looks like a backup, or a complete one: a `.partial` file
/// has no manifest, and a manifest without its file fails `verify`.
public struct BackupEngine: Sendable {
    public let environment: JobEnvironment
    public let time: LocalTime

    public init(environment: JobEnvironment, time: LocalTime) {
        self.environment = environment
        self.time = time
    }

    public func take(_ target: BackupTarget, ref: String, label: String?, window: String?, startedAt: Int64,
                     limits: BackupLimits, progress: @escaping @Sendable (String) -> Void) throws -> BackupArtifact {
        let directory = target.directory(data: environment.dataDirectory)
        // Every directory written is checked before anything is written.
        let folder = try OpenDirectory(directory, strict: true)
        let copyFolder = try target.copyTo.map { try OpenDirectory($0, strict: true) }
        let staging = target.kind == .command ? try OpenDirectory(stagingDirectory, strict: true) : nil
        let finalName = "\(ref).\(target.fileExtension)", manifestName = "\(ref).manifest.json"
        let final = folder.full(finalName), manifestPath = folder.full(manifestName)
        let (partial, manifestPartial) = Self.partialFiles(ref: ref, target: target, directory: directory)
        let partialName = (partial as NSString).lastPathComponent
        let manifestPartialName = (manifestPartial as NSString).lastPathComponent
        let stagedName = Self.stagedName(ref: ref, target: target)
        guard !folder.exists(finalName), !folder.exists(manifestName) else {
            throw OpsError.refused("\(final) already exists; a backup never overwrites another")
        }
        var created: [(OpenDirectory, String)] = []
        do {
            var details: [String: JSON] = [:]
            var fingerprint: Fingerprint?
            let sha: String
            // Hashing reads the finished file and reports its own progress.
            let hash: @Sendable () throws -> String = {
                let start = DispatchTime.now().uptimeNanoseconds
                let size = Files.size(partial)
                let sha = try Files.sha256(partial) { progress("\(ref): hashed \(Self.percent($0, of: size))") }
                progress("\(ref): hashed \(size) bytes in \((DispatchTime.now().uptimeNanoseconds - start) / 1_000_000) ms")
                return sha
            }
            switch target.kind {
            case .sqlite:
                guard let source = target.path else { throw OpsError.refused("target \(target.key) has no path") }
                let from = try Connection.scanning(source)
                let pages = try from.queryRow("PRAGMA page_count")?.int(0) ?? 0
                let pageSize = try from.queryRow("PRAGMA page_size")?.int(0) ?? 4096
                // One step: in WAL mode writers keep going while it copies a
                // consistent snapshot; stepping in pieces would restart the
                // copy at every write made through another connection. The
                // copy's progress is read off the file's growth.
                try Files.ensureRoom(for: pages * pageSize, in: directory, keepFree: limits.keepFreeBytes, what: ref)
                // Created here, exclusively; SQLite then writes into it by name.
                try folder.createEmpty(partialName)
                created.append((folder, partialName))
                progress("\(ref): copying \(pages) pages (\(pages * pageSize / 1_048_576) MiB) from \(source)")
                try withTicks(every: 1, { progress("\(ref): copied \(Self.percent(Files.size(partial), of: pages * pageSize))") }) {
                    try from.backup(to: partial, pagesPerStep: -1)
                }
                progress("\(ref): copied 100% (\(Files.size(partial)) bytes)")
                try Files.fsync(partial)
                let copy = try Connection.scanning(partial)
                // The integrity check (one thread in SQLite) runs beside the
                // hash and then the fingerprint (two threads), on a
                // connection of its own: on two cores the slowest part sets
                // the time, and the hash runs while a core is free.
                progress("\(ref): checking integrity, hashing and fingerprinting")
                let ((copyFingerprint, copySHA), report) = try concurrently({ () throws -> (Fingerprint, String) in
                    let sha = try hash()
                    let fingerprint = try Fingerprint.of(copy)
                    progress("\(ref): fingerprinted \(fingerprint.tables.count) table\(fingerprint.tables.count == 1 ? "" : "s")")
                    return (fingerprint, sha)
                }, beside: {
                    let report = try Connection.scanning(partial).integrityCheck()
                    progress("\(ref): integrity check \(report.isOK ? "ok" : "failed")")
                    return report
                })
                guard report.isOK else { throw OpsError.internalError("the copy fails integrity_check: \(report.problems.prefix(3).joined(separator: "; "))") }
                (fingerprint, sha) = (copyFingerprint, copySHA)
                details = ["sqlite_version": .string(Connection.libraryVersion),
                           "page_size": .int(try copy.queryRow("PRAGMA page_size")?.int(0) ?? 0),
                           "page_count": .int(try copy.queryRow("PRAGMA page_count")?.int(0) ?? pages),
                           "fingerprint": copyFingerprint.json, "integrity_check": "ok"]
            case .command:
                guard let dump = target.dumpCommand, let staging else {
                    throw OpsError.refused("target \(target.key) has no dump command")
                }
                // A dump's size is unknown before it runs: the reserve at least.
                try Files.ensureRoom(for: 0, in: directory, keepFree: limits.keepFreeBytes, what: ref)
                // The shell's redirection opens the file by name, following
                // links: it writes only into opsd's private staging directory,
                // where no one else can plant one, into a file made here.
                try staging.createEmpty(stagedName)
                created.append((staging, stagedName))
                let staged = staging.full(stagedName)
                progress("\(ref): running the dump command")
                try environment.run(dump, stdinFile: nil, stdoutFile: staged,
                                    timeoutMilliseconds: limits.timeoutMilliseconds)
                try Files.fsync(staged)
                // Moved into place: a link on one file system, else a copy.
                do {
                    try staging.place(stagedName, as: partialName, in: folder)
                } catch is Files.CrossDevice {
                    try folder.copy(from: staged, as: partialName)
                    staging.remove(stagedName)
                }
                created.append((folder, partialName))
                if let check = target.checkCommand {
                    progress("\(ref): running the check command and hashing")
                    let environment = environment
                    (sha, _) = try concurrently(hash, beside: {
                        try environment.run(check, stdinFile: partial, stdoutFile: nil, timeoutMilliseconds: limits.timeoutMilliseconds)
                    })
                } else {
                    progress("\(ref): hashing")
                    sha = try hash()
                }
                details = ["dump_command": .string(dump)]
            }
            let size = Files.size(partial)
            let manifest: JSON = .object(details.merging([
                "format": "portalops-backup/1", "ref": .string(ref), "target": .string(target.key), "kind": .string(target.kind.rawValue),
                "source": JSON(target.path ?? target.dumpCommand.map(Redaction.redact)),
                "file": .string((final as NSString).lastPathComponent),
                "size": .int(size), "sha256": .string(sha), "label": JSON(label), "window": JSON(window),
                "started_at": .string(time.iso8601(startedAt)),
            ]) { _, new in new })
            let manifestFile = try folder.createExclusive(manifestPartialName)
            created.append((folder, manifestPartialName))
            try Files.writeAll(Array(manifest.pretty().utf8), to: manifestFile, path: manifestPartial)
            try folder.place(manifestPartialName, as: manifestName)
            try folder.place(partialName, as: finalName)
            try folder.sync()
            var copyFile: String?
            if let copyTo = target.copyTo, let copyFolder {
                progress("\(ref): copying to \(copyTo)")
                try Files.ensureRoom(for: size, in: copyTo, keepFree: limits.keepFreeBytes, what: "the copy of \(ref)")
                let copy = copyFolder.full(finalName)
                try copyFolder.copy(from: final, as: finalName)
                try copyFolder.copy(from: manifestPath, as: manifestName)
                guard try Files.sha256(copy) == sha else { throw OpsError.internalError("the copy in \(copyTo) does not match its hash") }
                copyFile = copy
            }
            return BackupArtifact(file: final, size: size, sha256: sha, manifest: manifestPath, fingerprint: fingerprint, copyFile: copyFile)
        } catch {
            for (place, name) in created { place.remove(name) }
            throw error
        }
    }

    /// Where dump commands write before the dump is moved into place: a
    /// directory of opsd's own (0700) under the data directory.
    var stagingDirectory: String { environment.dataDirectory + "/staging" }

    static func stagedName(ref: String, target: BackupTarget) -> String { "\(ref).\(target.fileExtension).partial" }

    /// "42% (420 of 1000 MiB)"; never over 99% while work goes on.
    static func percent(_ part: Int64, of whole: Int64) -> String {
        let share = whole > 0 ? min(99, part * 100 / whole) : 0
        return "\(share)% (\(part / 1_048_576) of \(whole / 1_048_576) MiB)"
    }

    /// Where a backup is written before it is renamed into place.
    static func partialFiles(ref: String, target: BackupTarget, directory: String) -> (data: String, manifest: String) {
        ("\(directory)/.\(ref).\(target.fileExtension).partial", "\(directory)/.\(ref).manifest.json.partial")
    }

    /// Removes what a backup cut short by a stopped opsd left behind: its
    /// partial files (and the copy's journal), and a manifest whose data
    /// file never got into place (the manifest is placed first). A data file
    /// that did get into place is kept with its manifest: it is whole, only
    /// its record says failed. Returns the paths removed.
    public func removeLeftovers(of backup: Backup, target: BackupTarget) -> [String] {
        let directory = target.directory(data: environment.dataDirectory)
        let (partial, manifestPartial) = Self.partialFiles(ref: backup.ref, target: target, directory: directory)
        let final = "\(directory)/\(backup.ref).\(target.fileExtension)"
        // SQLite's online backup writes the copy through a rollback journal.
        var leftovers = [partial, partial + "-journal", manifestPartial,
                         stagingDirectory + "/" + Self.stagedName(ref: backup.ref, target: target)]
        // A dump copied in from staging on another file system, and the copies to --copy-to, are written under
        // temporary names of their own: a kill -9 during those copies leaves them, as big as the backup.
        let copyName = { (name: String) in OpenDirectory.temporaryName(for: name) }
        leftovers.append(directory + "/" + copyName((partial as NSString).lastPathComponent))
        if let copyTo = target.copyTo {
            leftovers += [copyTo + "/" + copyName("\(backup.ref).\(target.fileExtension)"),
                          copyTo + "/" + copyName("\(backup.ref).manifest.json")]
        }
        if !FileManager.default.fileExists(atPath: final) { leftovers.append("\(directory)/\(backup.ref).manifest.json") }
        return leftovers.filter { unlink($0) == 0 }
    }

    /// Where drills restore into, each in a directory of its own.
    var drillScratch: String { environment.dataDirectory + "/drills" }

    /// Removes what drills cut short by a stopped opsd left in their scratch
    /// directory (a whole restored copy each). Only called at start, when no
    /// drill can be running. Returns the paths removed.
    public func removeDrillLeftovers() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: drillScratch)) ?? []
        return names.sorted().map { drillScratch + "/" + $0 }.filter { (try? FileManager.default.removeItem(atPath: $0)) != nil }
    }

    /// Re-hashes the file, and for SQLite opens it read-only, runs the
    /// integrity check and compares its fingerprint to the manifest's.
    public func verify(_ backup: Backup, progress: @escaping @Sendable (String) -> Void = { _ in }) throws -> (ok: Bool, detail: String) {
        guard let file = backup.file, let manifestPath = backup.manifest else {
            return (false, "\(backup.ref) has no file (state \(backup.state.rawValue))")
        }
        guard FileManager.default.fileExists(atPath: file) else { return (false, "\(file) is missing") }
        guard let data = FileManager.default.contents(atPath: manifestPath), let manifest = try? JSON.parse(data) else {
            return (false, "the manifest \(manifestPath) is missing or unreadable")
        }
        let ref = backup.ref, size = Files.size(file)
        let hash = { try Files.sha256(file) { progress("\(ref): re-hashed \(Self.percent($0, of: size))") } }
        let sqlite = manifest["kind"]?.stringValue == "sqlite"
        // For SQLite the integrity check runs beside the hash and the
        // fingerprint; their findings are read in that order, so a changed
        // file is reported as such even when SQLite also chokes on it.
        let ((sha, fingerprint), report) = try concurrently({ () throws -> (String, Result<Fingerprint, any Error>?) in
            (try hash(), sqlite ? Result { try Fingerprint.of(try Connection.scanning(file)) } : nil)
        }, beside: { () -> Result<Connection.IntegrityReport, any Error>? in
            sqlite ? Result { try Connection.scanning(file).integrityCheck() } : nil
        })
        guard sha == manifest["sha256"]?.stringValue, sha == backup.sha256 else {
            return (false, "SHA-256 of \(file) is \(sha), the manifest says \(manifest["sha256"]?.stringValue ?? "nothing"): the file changed")
        }
        if let report, let fingerprint {
            let checked = try report.get()
            guard checked.isOK else { return (false, "integrity_check: \(checked.problems.prefix(3).joined(separator: "; "))") }
            guard let expected = manifest["fingerprint"].flatMap(Fingerprint.init(json:)) else { return (false, "the manifest has no fingerprint") }
            let actual = try fingerprint.get()
            guard actual == expected else {
                let changed = expected.compare(to: actual).tables.filter { $0.change != .unchanged }.map(\.table)
                return (false, "the content differs from the manifest in \(changed.joined(separator: ", "))")
            }
        }
        return (true, "hash, integrity check and fingerprint match the manifest")
    }

    /// Restores into a new file at `path` (never over an existing one); a SQLite copy is given to
    /// `owner`, the uid that asked. Returns a warning when it could not be given.
    @discardableResult
    public func restore(_ backup: Backup, target: BackupTarget, to path: String, timeoutMilliseconds: Int64,
                        owner: UInt32? = nil) throws -> String? {
        guard let file = backup.file else { throw OpsError.refused("\(backup.ref) has no file") }
        guard target.kind == .command || !FileManager.default.fileExists(atPath: path) else {
            throw OpsError.refused("\(path) exists; restore to a new path (or use --replace on the target's own path)")
        }
        switch target.kind {
        case .sqlite:
            try Files.copyDurably(file, path)
            guard try Files.sha256(path) == backup.sha256 else { throw OpsError.internalError("the restored file does not match the backup's hash") }
            if let owner, let refusal = Files.giveTo(path, uid: owner) {
                return "\(path) stays owned by opsd's user: \(refusal)"
            }
            return nil
        case .command:
            guard let restore = target.restoreCommand else { throw OpsError.refused("target \(target.key) has no restore command") }
            try environment.run(restore.replacingOccurrences(of: "{path}", with: Shell.quoted(path)), stdinFile: file,
                                stdoutFile: nil, timeoutMilliseconds: timeoutMilliseconds)
            return nil
        }
    }

    /// Replaces a live SQLite database with a backup through SQLite's online
    /// backup API (the file is never swapped under an open connection).
    public func restoreLive(_ backup: Backup, target: BackupTarget) throws {
        guard let file = backup.file, let live = target.path else { throw OpsError.refused("\(backup.ref) or its target has no file") }
        let source = try Connection.scanning(file)
        let destination = try Connection(path: live)
        try source.backup(into: destination)
        let report = try destination.integrityCheck()
        guard report.isOK else { throw OpsError.internalError("the restored database fails integrity_check: \(report.problems.first ?? "")") }
    }
}
