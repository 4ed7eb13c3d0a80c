import Foundation
@preconcurrency import Glibc
import XCTest
@testable import OpsClient
import OpsProtocol

final class SocketLocatorTests: XCTestCase {
    func testANamedPlaceIsTheOnlyOneTried() {
        let environment = ["PORTALOPS_SOCKET": "/b.sock", "PORTALOPS_DATA": "/d"]
        XCTAssertEqual(SocketLocator.candidates(flag: "/a.sock", environment: environment).map(\.path), ["/a.sock"])
        XCTAssertEqual(SocketLocator.candidates(flag: nil, environment: environment).map(\.path), ["/b.sock"])
        XCTAssertEqual(SocketLocator.candidates(flag: nil, environment: ["PORTALOPS_DATA": "/d/"]).map(\.path),
                       ["/d/opsd.sock"])
    }

    func testWithNoneNamedTheLocalDirectoryComesBeforeTheSystemService() {
        XCTAssertEqual(SocketLocator.candidates(flag: nil, environment: ["PORTALOPS_SOCKET": ""]).map(\.path),
                       [".portalops/opsd.sock", "/run/portalops/opsd.sock"])
    }

    func testTheFirstPlaceThatAnswersIsUsed() throws {
        let directory = try temporaryDirectory()
        let missing = SocketLocator.Candidate(path: directory + "/missing.sock", origin: "first")
        let stale = SocketLocator.Candidate(path: directory + "/stale.sock", origin: "second")
        let live = SocketLocator.Candidate(path: directory + "/live.sock", origin: "third")
        close(try listen(at: stale.path))            // bound, then closed: a socket file nobody answers on
        let listener = try listen(at: live.path)
        defer { close(listener) }
        let (fd, path) = try SocketClient.connect([missing, stale, live])
        close(fd)
        XCTAssertEqual(path, live.path)
    }

    func testWhenNoneAnswersTheErrorNamesEveryPlaceTried() throws {
        let directory = try temporaryDirectory()
        let stale = directory + "/stale.sock"
        close(try listen(at: stale))
        let places = [SocketLocator.Candidate(path: directory + "/missing.sock", origin: "the local data directory"),
                      SocketLocator.Candidate(path: stale, origin: "the system service")]
        XCTAssertThrowsError(try SocketClient.connect(places)) { error in
            guard let error = error as? OpsError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.exitCode, 4)
            XCTAssertTrue(error.message.hasPrefix("opsd is not running: no socket at \(directory)/missing.sock "
                                                  + "(the local data directory); \(stale) (the system service) "
                                                  + "refuses connections (stale socket); "), error.message)
        }
    }

    private func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "opsctl-locator-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    /// A listening Unix socket at `path`.
    private func listen(at path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = try UnixSocketConnect.address(path)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        XCTAssertEqual(bound, 0)
        XCTAssertEqual(Glibc.listen(fd, 4), 0)
        return fd
    }
}
