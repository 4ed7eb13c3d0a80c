import Foundation
@testable import PortalOps
import XCTest

/// The lunar holidays against a real peer: the python `holidays` package (country VN), which REGULATION.md
/// names as a usable test peer. Installed by scripts/setup.sh.
final class LunarCalendarPeerTests: XCTestCase {
    static let script = """
        import holidays
        for year in range(1990, 2100):
            for day, name in sorted(holidays.VN(years=year).items()):
                if name == "Lunar New Year": print(day.isoformat(), "tet")
                if name == "Hung Kings' Commemoration Day": print(day.isoformat(), "gio-to")
        """

    func testTetAndGioToAgreeWithThePythonHolidaysPackage1990To2099() throws {
        let (status, output) = try Self.python(Self.script)
        guard status == 0 else {
            let message = "python3 with the 'holidays' package is needed (scripts/setup.sh installs it): \(output)"
            if ProcessInfo.processInfo.environment["CI"] == "true" { return XCTFail(message) }
            throw XCTSkip(message)
        }
        var compared = 0
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: " ")
            let date = parts[0].split(separator: "-").compactMap { Int($0) }
            guard parts.count == 2, date.count == 3 else { return XCTFail("unreadable line '\(line)'") }
            let (day, month) = parts[1] == "tet" ? (1, 1) : (10, 3)
            let ours = LunarCalendar.solarDate(day: day, month: month, year: date[0])
            XCTAssertEqual([ours.year, ours.month, ours.day], date, "\(parts[1]) \(date[0])")
            compared += 1
        }
        XCTAssertGreaterThan(compared, 150, "the peer listed too few days to prove anything")
    }

    /// Runs `/usr/bin/env python3 -c script`; the output is small, so reading it whole before waiting is safe.
    static func python(_ script: String) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
