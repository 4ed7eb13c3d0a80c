@preconcurrency import Glibc

/// A value guarded by a pthread mutex, shaped like `Synchronization.Mutex`
/// (`withLock { $0 … }`) so that swapping one for the other changes only a
/// declaration.
///
/// Why not `Mutex`: on Linux, when it is contended, it waits in the kernel
/// (a priority-inheriting futex) and is handed the lock there, so
/// ThreadSanitizer sees no acquire and reports every value passed between
/// threads under it as a data race (the writer's queue of tickets, the socket
/// server's counters). ThreadSanitizer intercepts `pthread_mutex_lock` and
/// `pthread_mutex_unlock`, so with this lock its reports are about real races
/// only (`scripts/sanitize.sh thread`). Uncontended, both cost about the same.
public final class Locked<Value: ~Copyable>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    public init(_ initialValue: consuming sending Value) {
        value = initialValue
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        // Default attributes cannot fail to initialise on Linux (no allocation).
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with the value while holding the lock. Not reentrant,
    /// like `Mutex`: calling `withLock` again from `body` deadlocks.
    public func withLock<Result: ~Copyable, E: Error>(
        _ body: (inout sending Value) throws(E) -> sending Result
    ) throws(E) -> sending Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
