import Foundation
import OpsProtocol
@preconcurrency import Glibc

/// The process groups of running commands, written down in a directory
/// (`DATA/children`, one file per group holding the leader's start time) so
/// that a start after kill -9 can stop what the dead opsd left running: a
/// `pg_dump` or restore must not go on writing with no one to record it.
/// The start time (from /proc) tells a still-running group from a new
/// process that happens to have reused the number.
enum ChildGroups {
    private static let directory = Locked<String?>(nil)

    /// Where groups are recorded from now on; called once at start.
    static func record(in path: String) {
        mkdir(path, 0o700)
        directory.withLock { $0 = path }
    }

    static func started(_ pgid: pid_t) {
        guard let path = directory.withLock({ $0 }), let start = startTime(pgid) else { return }
        let file = "\(path)/\(pgid)"
        _ = FileManager.default.createFile(atPath: file, contents: Data(String(start).utf8),
                                           attributes: [.posixPermissions: 0o600])
    }

    static func ended(_ pgid: pid_t) {
        guard let path = directory.withLock({ $0 }) else { return }
        unlink("\(path)/\(pgid)")
    }

    /// Kills every recorded group whose leader is still the process that was
    /// recorded; removes the records. Returns the groups killed.
    static func killLeftovers(in path: String) -> [pid_t] {
        var killed: [pid_t] = []
        for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
            let file = "\(path)/\(name)"
            defer { unlink(file) }
            guard let pgid = pid_t(name), pgid > 1,
                  let recorded = (try? String(contentsOfFile: file, encoding: .utf8)).flatMap({ UInt64($0) }),
                  startTime(pgid) == recorded else { continue }
            if kill(-pgid, SIGKILL) == 0 { killed.append(pgid) }
        }
        return killed
    }

    /// Field 22 of /proc/PID/stat: when the process started, in clock ticks since boot.
    static func startTime(_ pid: pid_t) -> UInt64? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // Fields after the command name (which may hold spaces) start at field 3.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 19 ? UInt64(fields[19]) : nil
    }
}
