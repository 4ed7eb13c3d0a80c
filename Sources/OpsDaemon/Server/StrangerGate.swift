import OpsProtocol
import PortalOps

/// What a uid without an enabled account may cost opsd: one short line read
/// (at most `lineLimit` bytes), a few connections at once, and one audit
/// entry per minute; further refusals in that minute are counted and written
/// as one summary entry when the minute is over. Without this, 100 refused
/// 1 MiB requests grew ops.db by 100 MiB and 1,000 idle connections locked
/// everyone out.
final class StrangerGate: Sendable {
    /// Bytes read from a stranger before refusing: enough for any command
    /// name, far below the 1 MiB a known account may send.
    static let lineLimit = 4_096
    /// Connections one stranger uid may hold at once.
    static let connectionsPerUID = 4
    /// Refusals of one uid recorded in full, at most one per this window.
    static let windowMilliseconds: Int64 = 60_000

    struct Window {
        var start: Int64
        var suppressed: Int
    }

    /// A count of refusals not written one by one.
    struct Summary {
        let uid: UInt32
        let count: Int
        let from: Int64
        let to: Int64
    }

    private let windows = Locked<[UInt32: Window]>([:])

    /// True if this refusal is written in full; false if it is only counted.
    func shouldRecord(uid: UInt32, now: Int64) -> Bool {
        windows.withLock { windows in
            if var window = windows[uid], now - window.start < Self.windowMilliseconds, now >= window.start {
                window.suppressed += 1
                windows[uid] = window
                return false
            }
            if let window = windows[uid], window.suppressed > 0 {
                // A new window while the old one's count is unwritten: keep counting
                // in the old one; `due` writes it at the next tick.
                windows[uid] = Window(start: window.start, suppressed: window.suppressed + 1)
                return false
            }
            windows[uid] = Window(start: now, suppressed: 0)
            return true
        }
    }

    /// Counts of suppressed refusals whose minute is over, removed from the gate.
    func due(now: Int64) -> [Summary] {
        windows.withLock { windows in
            var summaries: [Summary] = []
            for (uid, window) in windows where now - window.start >= Self.windowMilliseconds || now < window.start {
                if window.suppressed > 0 {
                    summaries.append(Summary(uid: uid, count: window.suppressed, from: window.start, to: now))
                }
                windows[uid] = nil
            }
            return summaries.sorted { $0.uid < $1.uid }
        }
    }
}
