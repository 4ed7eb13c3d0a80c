import Foundation
import PortalOps
@preconcurrency import Glibc

/// One timestamped line per event on stderr (journald adds its own fields).
/// Timestamps are UTC from the system clock: the log is about the process,
/// not the test clock.
public struct Log: Sendable {
    public init() {}

    public func event(_ message: String) {
        let now = SystemClock().now()
        let seconds = time_t(now / 1000)
        var parts = tm()
        var copy = seconds
        gmtime_r(&copy, &parts)
        let millis = Int(now % 1000)
        let stamp = String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900, parts.tm_mon + 1,
                           parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec, millis)
        let line = "\(stamp) opsd: \(message.replacingOccurrences(of: "\n", with: " "))\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}
