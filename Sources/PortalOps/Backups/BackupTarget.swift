import OpsProtocol
/// Something the console backs up: a SQLite database file (the console's
/// own `ops.db` is the target `ops` from the start), or any other database
/// through its own dump and restore commands (pg_dump, pg_restore…).
public struct BackupTarget: Sendable, Equatable {
    public enum Kind: String, Sendable { case sqlite, command }

    public let key: String
    public var kind: Kind
    public var path: String?
    public var dumpCommand: String?
    public var restoreCommand: String?
    public var checkCommand: String?
    /// Where its backups go; nil: `<data>/backups/<key>`.
    public var directory: String?
    /// A second directory each backup is copied to and verified in (3-2-1).
    public var copyTo: String?
    public var keepLast: Int = 7
    public var keepDaily: Int = 7
    public var keepWeekly: Int = 4
    public var keepMonthly: Int = 12
    /// `status` warns when the newest verified backup is older than this.
    public var maxAge: Int64?

    public func directory(data: String) -> String { directory ?? data + "/backups/" + key }

    /// A SQLite copy is a database; anything else is its tool's dump.
    var fileExtension: String { kind == .sqlite ? "sqlite" : "dump" }

    /// The target as `caller` may read it: its commands whole for admins,
    /// redacted for everyone else (see `Redaction`).
    public func json(shownTo caller: Caller) -> JSON {
        func shown(_ text: String?) -> JSON { JSON(text.map { Redaction.shown($0, to: caller) }) }
        return ["key": .string(key), "kind": .string(kind.rawValue), "path": JSON(path),
         "dump_command": shown(dumpCommand),
         "restore_command": shown(restoreCommand), "check_command": shown(checkCommand), "directory": JSON(directory),
         "copy_to": JSON(copyTo), "keep_last": .int(Int64(keepLast)), "keep_daily": .int(Int64(keepDaily)),
         "keep_weekly": .int(Int64(keepWeekly)), "keep_monthly": .int(Int64(keepMonthly)),
         "max_age": maxAge.map { .string(DurationText.milliseconds($0).description) } ?? .null]
    }
}

/// One backup: a file, its manifest, and what verification found.
public struct Backup: Sendable, Equatable {
    public let id: Int64
    public let ref: String
    public let target: String
    public var label: String?
    public var window: String?
    public var state: BackupState
    public var file: String?
    public var size: Int64?
    public var sha256: String?
    public var manifest: String?
    public var fingerprint: Fingerprint?
    public var startedAt: Int64
    public var finishedAt: Int64?
    public var error: String?
    public var verifiedAt: Int64?
    public var verifyOK: Bool?
    public var verifyDetail: String?
    public var copyFile: String?
    /// When retention removed its files.
    public var removedAt: Int64?

    public func json(time: LocalTime) -> JSON {
        func t(_ v: Int64?) -> JSON { v.map { .string(time.iso8601($0)) } ?? .null }
        return ["ref": .string(ref), "target": .string(target), "label": JSON(label), "window": JSON(window),
                "state": .string(state.rawValue),
                "file": JSON(file), "size": JSON(size), "sha256": JSON(sha256), "manifest": JSON(manifest),
                "fingerprint": fingerprint?.json ?? .null, "started_at": t(startedAt), "finished_at": t(finishedAt),
                "error": JSON(error), "verified_at": t(verifiedAt), "verify_ok": verifyOK.map(JSON.bool) ?? .null,
                "verify_detail": JSON(verifyDetail), "copy_file": JSON(copyFile), "removed_at": t(removedAt)]
    }
}
