import OpsProtocol
import Dispatch

/// SHA-256 computed on a second thread. `update` hands a chunk over and
/// returns at once (at most two chunks wait), so whoever produces the bytes —
/// SQLite stepping through a table for a fingerprint — goes on while the
/// previous chunk is hashed. With two cores a fingerprint costs the slower of
/// the two, not their sum. Chunks are hashed in the order they were given.
final class BackgroundSHA256: @unchecked Sendable {
    // Only touched on `queue`: that is what makes the class Sendable.
    private var hasher = SHA256()
    private let queue = DispatchQueue(label: "portalops.sha256")
    private let slots = DispatchSemaphore(value: 2)

    init() {}

    func update(_ chunk: [UInt8]) {
        slots.wait()
        queue.async { [self] in
            hasher.update(chunk)
            slots.signal()
        }
    }

    /// Waits for the chunks handed over so far and returns their digest.
    func finalize() -> [UInt8] {
        queue.sync { hasher.finalize() }
    }
}
