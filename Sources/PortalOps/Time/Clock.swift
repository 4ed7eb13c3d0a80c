import OpsProtocol
import Foundation

/// The source of "now" for everything time-dependent. Injected so tests (and
/// `opsd --test-clock`) can move time; nothing else reads the system time.
public protocol Clock: Sendable {
    /// Milliseconds since the Unix epoch, UTC.
    func now() -> Int64
}

/// The real clock.
public struct SystemClock: Clock {
    public init() {}
    public func now() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
}

/// A clock that runs with real time from an offset that `set` and `advance`
/// change, so a daemon under test keeps ticking but can jump days ahead.
public final class AdjustableClock: Clock {
    private let base: any Clock
    private let offset = Locked<Int64>(0)

    public init(base: any Clock = SystemClock()) { self.base = base }

    public func now() -> Int64 { base.now() + offset.withLock { $0 } }

    public func set(_ milliseconds: Int64) {
        let real = base.now()
        offset.withLock { $0 = milliseconds - real }
    }

    public func advance(by milliseconds: Int64) {
        offset.withLock { $0 += milliseconds }
    }
}
