import Foundation
import XCTest
@testable import OpsProtocol

/// `Locked`, the pthread lock that replaced `Synchronization.Mutex` so
/// ThreadSanitizer can see it: contended updates are all kept, and a value
/// written under it on one thread is read whole on another. Under
/// `scripts/sanitize.sh thread` this must pass with no report (a contended
/// `Mutex` draws "Swift access race" reports in the same situation).
final class LockedTests: XCTestCase {
    func testContendedUpdatesFromManyThreadsAreAllKept() {
        let counts = Locked([Int: Int]())
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for _ in 0..<2_000 {
                counts.withLock { $0[thread, default: 0] += 1 }
            }
        }
        XCTAssertEqual(counts.withLock { $0 }, Dictionary(uniqueKeysWithValues: (0..<8).map { ($0, 2_000) }))
    }

    func testAValueHandedOverIsReadWhole() {
        let box = Locked<[String]?>(nil)
        Thread.detachNewThread { box.withLock { $0 = (0..<100).map { "line \($0)" } } }
        let deadline = Date().addingTimeInterval(10)
        while box.withLock({ $0 == nil }), Date() < deadline { usleep(1_000) }
        XCTAssertEqual(box.withLock { $0?.count }, 100)
        XCTAssertEqual(box.withLock { $0?.last }, "line 99")
    }

    func testAnErrorThrownInsideReleasesTheLock() {
        struct Stop: Error {}
        let value = Locked(1)
        XCTAssertThrowsError(try value.withLock { (_: inout Int) throws(Stop) -> Void in throw Stop() })
        XCTAssertEqual(value.withLock { $0 += 1; return $0 }, 2, "the lock was released by the throw")
    }
}
