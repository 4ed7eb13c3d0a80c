import Foundation
import XCTest
import OpsProtocol
@testable import PortalOps

final class SHA256Tests: XCTestCase {
    /// FIPS 180-4 / NIST example vectors.
    func testPublishedVectors() {
        XCTAssertEqual(SHA256.hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(SHA256.hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"),
                       "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
        XCTAssertEqual(SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Split points across block boundaries give the same digest as one call.
    func testIncrementalUpdatesMatchOneShot() {
        let bytes = (0..<1_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let whole = SHA256.hex(bytes)
        for split in [0, 1, 55, 56, 63, 64, 65, 127, 128, 999, 1_000] {
            var hasher = SHA256()
            hasher.update(Array(bytes[..<split]))
            hasher.update(Array(bytes[split...]))
            XCTAssertEqual(hasher.finalize().hexString, whole, "split at \(split)")
        }
    }

    /// Chunks hashed on the background thread, more of them than may wait at
    /// once and of uneven sizes, give the digest of their concatenation.
    func testBackgroundHasherMatchesInOrder() {
        let chunks = (0..<40).map { index in (0..<(index * 997 % 5_000)).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ index) } }
        let background = BackgroundSHA256()
        for chunk in chunks { background.update(chunk) }
        XCTAssertEqual(background.finalize().hexString, SHA256.hex(chunks.flatMap { $0 }))
        // Reversed order must not give the same digest: order is part of the contract.
        let reversed = BackgroundSHA256()
        for chunk in chunks.reversed() { reversed.update(chunk) }
        XCTAssertNotEqual(reversed.finalize().hexString, SHA256.hex(chunks.flatMap { $0 }))
    }

    /// Hashing a file reports its progress as it reads (here after every
    /// read, with no interval) and gives the digest of the whole file.
    func testHashingAFileReportsProgress() throws {
        let path = NSTemporaryDirectory() + "progress-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: path) }
        let bytes = (0..<(3 << 20) + 5).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        var reports: [Int64] = []
        XCTAssertEqual(try Files.sha256(path, every: 0) { reports.append($0) }, SHA256.hex(bytes))
        XCTAssertEqual(reports, [1 << 20, 2 << 20, 3 << 20, (3 << 20) + 5])
    }

    /// Against the system's `sha256sum` for lengths around the padding edges.
    func testAgreesWithSha256sum() throws {
        let directory = NSTemporaryDirectory() + "sha-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var paths: [String] = []
        var expected: [String] = []
        for length in [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 4_097, 100_003] {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: ($0 * 7919) ^ ($0 >> 3)) }
            let path = "\(directory)/\(length).bin"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            paths.append(path)
            expected.append(SHA256.hex(bytes))
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum"] + paths
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        let digests = output.split(separator: "\n").map { String($0.prefix(64)) }
        XCTAssertEqual(digests, expected)
    }
}
