import Synchronization

/// The request data opsd holds at once across all connections (partial lines
/// and lines read but not yet run). With a thread per connection, each line
/// up to 1 MiB, 990 slow clients once held 1.1 GB; the budget bounds that
/// total, and a connection that would pass it is answered "busy" and closed.
final class RequestBudget: Sendable {
    let limit: Int
    private let held = Atomic<Int>(0)

    init(limit: Int) { self.limit = limit }

    /// Reserves `count` bytes, or returns false if that would pass the limit.
    func take(_ count: Int) -> Bool {
        var current = held.load(ordering: .relaxed)
        while true {
            guard current + count <= limit else { return false }
            let (exchanged, original) = held.compareExchange(expected: current, desired: current + count,
                                                              ordering: .acquiringAndReleasing)
            if exchanged { return true }
            current = original
        }
    }

    func give(_ count: Int) {
        if count > 0 { held.subtract(count, ordering: .releasing) }
    }

    var inUse: Int { held.load(ordering: .acquiring) }
}
