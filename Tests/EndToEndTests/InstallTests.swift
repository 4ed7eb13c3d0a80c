import Foundation
import XCTest

final class InstallTests: XCTestCase {
    /// `DESTDIR=… scripts/install.sh` lays out the binaries, the unit and
    /// the docs without touching the system.
    func testInstallStagesBinariesUnitAndDocs() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let scratch = Scratch()
        let stage = scratch.file("stage")
        Run.process("/bin/bash", [root.path + "/scripts/install.sh"],
                    environment: ["DESTDIR": stage, "PORTALOPS_BIN": Binaries.directory]).ok()
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: stage + "/usr/local/bin/opsd"))
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: stage + "/usr/local/bin/opsctl"))
        let unit = try String(contentsOfFile: stage + "/etc/systemd/system/portalops.service", encoding: .utf8)
        for line in ["User=portalops", "--socket /run/portalops/opsd.sock", "--socket-group portalops", "--socket-mode 0660",
                     "StateDirectoryMode=0700", "NoNewPrivileges=yes", "ProtectSystem=strict"] {
            XCTAssertTrue(unit.contains(line), line)
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: stage + "/var/lib/portalops")
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o700)
        XCTAssertTrue(FileManager.default.fileExists(atPath: stage + "/usr/local/share/doc/portalops/runbooks/access-and-audit.md"))
        // The unit's ExecStart flags are ones opsd accepts.
        let execStart = try XCTUnwrap(unit.split(separator: "\n").first { $0.hasPrefix("ExecStart=") })
        let flags = execStart.split(separator: " ").dropFirst().map(String.init)
        let help = Run.process(Binaries.opsd, ["--help"]).ok().stdout
        for flag in flags where flag.hasPrefix("--") { XCTAssertTrue(help.contains(flag), flag) }
    }
}
