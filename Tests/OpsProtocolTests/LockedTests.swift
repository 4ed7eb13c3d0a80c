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

/// Keeps the sanitizer run meaningful: a `Synchronization.Mutex` brought back
/// anywhere in Sources would hide its hand-offs from ThreadSanitizer again
/// and draw false reports (see `Locked`). Reads the sources themselves.
final class LockChoiceTests: XCTestCase {
    func testNoSourceUsesSynchronizationMutex() throws {
        let sources = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources")
        let files = try XCTUnwrap(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        var swiftFiles = 0
        var offenders: [String] = []
        for case let file as URL in files where file.pathExtension == "swift" {
            swiftFiles += 1
            let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
            for line in lines where !line.trimmingCharacters(in: .whitespaces).hasPrefix("//")
                && (line.contains("Mutex<") || line.contains("Mutex(")) {
                offenders.append("\(file.lastPathComponent): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
        XCTAssertGreaterThan(swiftFiles, 100, "the Sources folder was not found from \(#filePath)")
        XCTAssertEqual(offenders, [], "use Locked (OpsProtocol/System/Locked.swift), which ThreadSanitizer can see")
    }
}
