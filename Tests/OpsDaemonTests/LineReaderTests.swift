@preconcurrency import Glibc
@testable import OpsDaemon
import XCTest

/// The line reader over a real socket pair: lines split across writes,
/// pipelined lines, a line over the limit, and a closed peer.
final class LineReaderTests: XCTestCase {
    func pair() -> (Int32, Int32) {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds), 0)
        return (fds[0], fds[1])
    }

    func write(_ fd: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        XCTAssertEqual(bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }, bytes.count)
    }

    func testLinesAcrossWritesAndPipelinedLines() {
        let (a, b) = pair()
        defer { close(a); close(b) }
        var reader = LineReader(fd: a, limit: 1024)
        write(b, "{\"command\":")
        write(b, "\"status\"}\nsecond\nthird\npart")
        guard case .line(let first) = reader.next() else { return XCTFail("no first line") }
        XCTAssertEqual(String(decoding: first, as: UTF8.self), "{\"command\":\"status\"}")
        XCTAssertEqual(reader.buffered(limit: 10).map { String(decoding: $0, as: UTF8.self) }, ["second", "third"])
        write(b, "ial\n")
        guard case .line(let last) = reader.next() else { return XCTFail("no partial line completed") }
        XCTAssertEqual(String(decoding: last, as: UTF8.self), "partial")
        close(b)
        guard case .closed = reader.next() else { return XCTFail("peer closed") }
    }

    func testALineOverTheLimitIsRefusedWithoutReadingItAll() {
        let (a, b) = pair()
        defer { close(a); close(b) }
        var reader = LineReader(fd: a, limit: 100)
        write(b, String(repeating: "x", count: 500))
        guard case .tooLong = reader.next() else { return XCTFail("a 500-byte line passed a 100-byte limit") }
    }

    /// Reads start small (a connection keeps its read chunk for life) and grow for a client that fills them:
    /// a line of several chunks, written at once, arrives whole, and so do the small lines after it.
    func testALargeLineArrivesWholeAsTheReadsGrow() {
        let (a, b) = pair()
        defer { close(a); close(b) }
        let large = String((0..<300_000).map { _ in "abcdefghij".randomElement()! })
        var reader = LineReader(fd: a, limit: 400_000)
        let bytes = Array((large + "\nsmall\n").utf8)
        let writing = Thread {   // the socket holds less than the line: the reader drains it meanwhile
            let written = bytes.withUnsafeBytes { Glibc.write(b, $0.baseAddress, $0.count) }
            XCTAssertEqual(written, bytes.count)
        }
        writing.start()
        guard case .line(let line) = reader.next() else { return XCTFail("the large line did not arrive") }
        XCTAssertEqual(line.count, 300_000)
        XCTAssertEqual(String(decoding: line, as: UTF8.self), large)
        guard case .line(let small) = reader.next() else { return XCTFail("the line after it did not arrive") }
        XCTAssertEqual(String(decoding: small, as: UTF8.self), "small")
    }
}
