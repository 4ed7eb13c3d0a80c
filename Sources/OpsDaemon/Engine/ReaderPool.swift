import Dispatch
import Foundation
import OpsProtocol
import SQLite

/// Read-only connections to ops.db for admission and for plain reads, at
/// most `limit` of them: a connection is used by one thread at a time, and
/// WAL lets them read while the writer writes.
///
/// Bounded, so 500 clients reading at once hold `limit` connections (two
/// descriptors and one page cache each), not 500; the others wait for a free
/// one. More readers than cores would only take turns on the CPU.
final class ReaderPool: @unchecked Sendable {
    private let path: String
    private let idle = Locked<[Reader]>([])
    /// One per reader the pool may hold; a caller waits here when all are in use.
    private let slots: DispatchSemaphore

    /// Pages each reader keeps cached (SQLite's `cache_size`, in KiB when
    /// negative): the default 2 MiB each grew opsd's memory with the database
    /// for as long as it grew; the kernel's page cache holds the file anyway.
    static let cacheKiB = 1_024

    /// `@unchecked Sendable`: a reader is in the pool or in one thread's hands, never both.
    private final class Reader: @unchecked Sendable {
        let db: Connection
        init(_ db: Connection) { self.db = db }
    }

    init(path: String, limit: Int = ReaderPool.defaultLimit) {
        self.path = path
        self.slots = DispatchSemaphore(value: max(1, limit))
    }

    /// Twice the cores, between 4 and 16.
    static var defaultLimit: Int { min(16, max(4, 2 * ProcessInfo.processInfo.activeProcessorCount)) }

    /// Runs `body` with a reader of its own, waiting for one to be free.
    func with<T>(_ body: (Connection) throws -> T) throws -> T {
        slots.wait()
        defer { slots.signal() }
        let reader = try idle.withLock { $0.popLast() } ?? open()
        defer { idle.withLock { $0.append(reader) } }
        return try body(reader.db)
    }

    private func open() throws -> Reader {
        Reader(try Connection.readOnly(path, cacheKiB: Self.cacheKiB))
    }
}
