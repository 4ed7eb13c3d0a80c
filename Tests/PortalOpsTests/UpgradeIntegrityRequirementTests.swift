import Foundation
import OpsProtocol
@testable import PortalOps
import SQLite
import XCTest

/// Issue 14, item 6: an upgrade names the portal's database or declares, on record, that it changes no data;
/// nothing completes without evidence.
final class UpgradeIntegrityRequirementTests: XCTestCase {
    private func desk() throws -> CommandHarness {
        let h = try CommandHarness(start: "2026-12-01 09:00")
        try h.run("component.add", ["key": "portal", "name": "Cổng"])
        try h.run("recipient.add", ["key": "stp", "name": "Sở Tư pháp", "email": "stp@example.vn", "group": "agencies"])
        return h
    }

    private func plan(_ h: CommandHarness, kind: String = "upgrade", _ extra: [String: JSON]) throws -> Response {
        var arguments: [String: JSON] = ["title": "Nâng cấp phiên bản 3.2", "kind": .string(kind),
                                         "start": "2026-12-09 22:00", "end": "2026-12-10 02:00",
                                         "component": ["portal"], "group": "agencies"]
        arguments.merge(extra) { $1 }
        return try h.run("maintenance.plan", arguments)
    }

    func testAnUpgradeNamesATargetOrDeclaresNoDataChangeWithAReason() throws {
        let h = try desk()
        for kind in ["upgrade", "version-update"] {
            XCTAssertThrowsError(try plan(h, kind: kind, [:])) { error in
                XCTAssertEqual((error as? OpsError)?.exitCode, 2)
                XCTAssertTrue("\(error)".contains("must name the portal's database with --target KEY"), "\(error)")
            }
        }
        h.assertRefused("maintenance.plan", ["title": "x", "kind": "upgrade", "start": "2026-12-09 22:00",
                                             "end": "2026-12-10 02:00", "component": ["portal"],
                                             "no-data-change": true],
                        code: 2, saying: "--no-data-change needs --reason")
        h.assertRefused("maintenance.plan", ["title": "x", "kind": "maintenance", "start": "2026-12-09 22:00",
                                             "end": "2026-12-10 02:00", "component": ["portal"],
                                             "no-data-change": true, "reason": "r"], code: 2,
                        saying: "for upgrades and version updates")
        XCTAssertEqual(try MaintenanceStore(h.db).windows(from: nil, to: nil).count, 0, "nothing was written")

        let why = "chỉ thay giao diện trang chủ, không đổi lược đồ và dữ liệu"
        let ref = try XCTUnwrap(try plan(h, ["no-data-change": true, "reason": .string(why)]).data["ref"]?.stringValue)
        let show = try h.run("maintenance.show", ["window": .string(ref)])
        XCTAssertEqual(show.data["no_data_change"]?["reason"]?.stringValue, why)
        XCTAssertTrue(show.fields.contains { $0.first == "no data change" && $0[1].hasPrefix(why) })
        XCTAssertEqual(show.data["reason"], .null, "not the window's public reason")
        try h.run("maintenance.announce", ["window": .string(ref)])
        let notice = try h.run("maintenance.notice", ["window": .string(ref)])
        XCTAssertEqual(notice.data["draft"], .bool(false))
        XCTAssertFalse(notice.output?.contains("giao diện trang chủ") ?? true, "never in the public notice")
    }

    /// A window from before the rule (an upgrade with neither target nor declaration) neither starts nor
    /// completes on its own; a supervisor may complete it with --accept-diff --reason.
    func testAnUpgradeWithoutEvidenceDoesNotStartOrComplete() throws {
        let h = try desk()
        let ref = try XCTUnwrap(try plan(h, ["no-data-change": true, "reason": "r"]).data["ref"]?.stringValue)
        try h.run("maintenance.announce", ["window": .string(ref)])
        try h.run("policy.set", ["key": "maintenance.start_requires", "value": "none"])
        try h.db.run("DELETE FROM maintenance_no_data_change")   // as if planned before migration 44
        try h.advance("8d")
        try h.advance("13h")
        h.assertRefused("maintenance.start", ["window": .string(ref)], saying: "no target and no --no-data-change")
        try h.db.run("UPDATE maintenance_windows SET state = 'in-progress', actual_start = start_at")
        h.assertRefused("maintenance.complete", ["window": .string(ref)], saying: "nothing would prove the database")
        try h.become("sup", role: .supervisor)
        try h.run("maintenance.complete", ["window": .string(ref), "accept-diff": true,
                                           "reason": "cửa sổ cũ, đã kiểm tra bằng tay"])
    }

    /// A target without evidence from before: nothing to compare with, so no completion.
    func testCompleteWithoutEvidenceFromBeforeIsRefused() throws {
        let h = try desk()
        let path = h.directory + "/portal.db"
        try Connection(path: path).execute("CREATE TABLE dossier(id INTEGER PRIMARY KEY)")
        try h.run("target.add", ["target": "portal-db", "sqlite": .string(path)])
        let ref = try XCTUnwrap(try plan(h, ["target": ["portal-db"]]).data["ref"]?.stringValue)
        try h.run("maintenance.announce", ["window": .string(ref)])
        try h.db.run("UPDATE maintenance_windows SET state = 'in-progress', actual_start = start_at")
        h.assertRefused("maintenance.complete", ["window": .string(ref)],
                        saying: "no evidence from before the work for portal-db")
    }
}
