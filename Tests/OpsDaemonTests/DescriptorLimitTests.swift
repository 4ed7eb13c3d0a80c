@preconcurrency import Glibc
@testable import OpsDaemon
import XCTest

/// opsd started under the usual soft limit of 1,024 descriptors raises it, so that its connection cap
/// leaves room for ops.db's readers and a backup's files (the soak of issue 18 saw a backup fail with
/// "unable to open database file" at 990 connections).
final class DescriptorLimitTests: XCTestCase {
    func testRaisesTheSoftLimitFromSystemdsDefaultSoThatPastItDescriptorsOpen() throws {
        let (original, hard) = DescriptorLimit.current()
        defer {
            var limit = rlimit(rlim_cur: original, rlim_max: hard)
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        var low = rlimit(rlim_cur: min(1_024, hard), rlim_max: hard)
        XCTAssertEqual(setrlimit(Int32(RLIMIT_NOFILE.rawValue), &low), 0)

        let warning = DescriptorLimit.raise()

        let expected = min(DescriptorLimit.wanted, hard)
        XCTAssertEqual(DescriptorLimit.current().soft, expected)
        XCTAssertGreaterThan(DescriptorLimit.wanted, rlim_t(SocketServer.maximumConnections + 1_000))
        if hard >= DescriptorLimit.wanted {
            XCTAssertNil(warning)
            // What failed before: descriptors past the 1,024th.
            var opened: [Int32] = []
            defer { opened.forEach { close($0) } }
            for _ in 0..<1_100 {
                let fd = open("/dev/null", O_RDONLY | O_CLOEXEC)
                XCTAssertGreaterThanOrEqual(fd, 0, "descriptor \(opened.count + 1) failed: errno \(errno)")
                guard fd >= 0 else { break }
                opened.append(fd)
            }
            XCTAssertGreaterThan(opened.max() ?? 0, 1_024)
        } else {
            XCTAssertEqual(warning?.contains("LimitNOFILE=\(DescriptorLimit.wanted)"), true)
        }
    }
}
