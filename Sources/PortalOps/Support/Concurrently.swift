import OpsProtocol
import Dispatch

/// Runs `side` on another thread while `main` runs on this one, and returns
/// once both have finished — also when one of them throws, so nothing is
/// left working on files the caller is about to remove. `main`'s error is
/// thrown first. Backups check a copy beside fingerprinting and hashing it:
/// with two cores that costs the longest of them rather than their sum.
func concurrently<Main, Side: Sendable>(_ main: () throws -> Main,
                                        beside side: @escaping @Sendable () throws -> Side) throws -> (Main, Side) {
    let outcome = SideOutcome<Side>()
    DispatchQueue.global().async {
        outcome.result = Result { try side() }
        outcome.done.signal()
    }
    let mainResult = Result { try main() }
    outcome.done.wait()
    return (try mainResult.get(), try outcome.result!.get())
}

/// Written by the side thread before it signals, read after the wait.
private final class SideOutcome<Value>: @unchecked Sendable {
    var result: Result<Value, any Error>?
    let done = DispatchSemaphore(value: 0)
}

/// Runs `work`, calling `tick` every `seconds` on a queue of its own
/// meanwhile; no tick comes after it returns. For progress lines during work
/// that cannot report its own (SQLite's one-step backup).
func withTicks<T>(every seconds: Double, _ tick: @escaping @Sendable () -> Void, _ work: () throws -> T) rethrows -> T {
    let queue = DispatchQueue(label: "portalops.ticks")
    let timer = DispatchSource.makeTimerSource(queue: queue)
    timer.schedule(deadline: .now() + seconds, repeating: seconds)
    timer.setEventHandler(handler: tick)
    timer.resume()
    defer {
        timer.cancel()
        queue.sync {}   // a tick already running finishes before we return
    }
    return try work()
}
