import OpsProtocol
import PortalOps
@preconcurrency import Glibc

/// One timestamped line per event on stderr (journald adds its own fields).
/// Timestamps are UTC from the system clock: the log is about the process,
/// not the test clock.
public struct Log: Sendable {
    public init() {}

    public func event(_ message: String) {
        let now = SystemClock().now()
        var seconds = time_t(now / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String { String(value).leftPadded(to: width) }
        let stamp = "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(now % 1000), 3))Z"
        var line = Array("\(stamp) opsd: ".utf8)
        line.append(contentsOf: message.utf8.lazy.map { $0 == 0x0A || $0 == 0x0D ? 0x20 : $0 })
        line.append(0x0A)
        // One write(2) per line, so lines from several threads never interleave.
        _ = line.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }
}
