import OpsProtocol
@testable import PortalOps
import XCTest

/// Issue 14, item 5: `maintenance start` needs proof that the notice arrived; `proof` shows it per recipient.
final class MaintenanceArrivalTests: XCTestCase {
    /// Tuesday 2026-12-01 09:00: two agencies and the portal's news page (a public channel), a maintenance
    /// window on Thursday 22:00, announced at once.
    private func announced(_ h: CommandHarness, publicChannel: Bool = true) throws -> String {
        try h.run("component.add", ["key": "portal", "name": "Cổng"])
        for (key, name) in [("stp", "Sở Tư pháp"), ("sxd", "Sở Xây dựng")] {
            try h.run("recipient.add", ["key": .string(key), "name": .string(name),
                                        "email": .string("\(key)@example.vn"), "group": "agencies"])
        }
        if publicChannel {
            try h.run("recipient.add", ["key": "tin-tuc", "name": "Trang tin Cổng", "email": "tin@example.vn",
                                        "kind": "public-channel", "group": "agencies"])
        }
        let ref = try XCTUnwrap(try h.run("maintenance.plan", [
            "title": "Bảo trì", "kind": "maintenance", "start": "2026-12-03 22:00", "end": "2026-12-04 02:00",
            "component": ["portal"], "group": "agencies"]).data["ref"]?.stringValue)
        try h.run("maintenance.announce", ["window": .string(ref)])
        return ref
    }

    private func line(_ proof: Response, _ key: String) -> JSON? {
        proof.data["recipients"]?.arrayValue?.first { $0["recipient"]?.stringValue == key }
    }

    func testStartIsRefusedUntilEveryAgencyWasReachedAndASupervisorOverrideIsRecorded() throws {
        let h = try CommandHarness(start: "2026-12-01 09:00")
        let ref = try announced(h)
        try h.deliverAll(failing: ["sxd"])
        try h.run("maintenance.ack", ["window": .string(ref), "recipient": "stp", "by": "Văn thư, điện thoại"])
        try h.advance("2d")
        try h.advance("13h")   // Thursday 22:00
        h.assertRefused("maintenance.start", ["window": .string(ref)], saying: "has not reached sxd (Sở Xây dựng)")

        let proof = try h.run("maintenance.proof", ["window": .string(ref)])
        XCTAssertEqual(proof.data["missing"], .array(["sxd (Sở Xây dựng)"]))
        XCTAssertEqual(line(proof, "stp")?["accepted_at"]?.stringValue, "2026-12-01T09:00:00+07:00")
        XCTAssertEqual(line(proof, "stp")?["acknowledged_at"]?.stringValue, "2026-12-01T09:00:00+07:00")
        XCTAssertEqual(line(proof, "stp")?["lead_working_days"], .int(1), "Wednesday, between Tuesday and Thursday")
        XCTAssertEqual(line(proof, "sxd")?["accepted_at"], .null)
        XCTAssertEqual(line(proof, "tin-tuc")?["required"], .bool(false))
        let show = try h.run("maintenance.show", ["window": .string(ref)])
        XCTAssertEqual(show.table?.columns.suffix(2), ["ACCEPTED", "LEAD TIME"])
        XCTAssertTrue(show.table?.rows.contains { $0[1] == "stp" && $0[6] == "1 working day (2d 13h)" } == true,
                      "\(show.table?.rows ?? [])")

        try h.become("op", role: .operator)
        h.assertRefused("maintenance.start", ["window": .string(ref), "override": true, "reason": "gấp"], code: 3,
                        saying: "only a supervisor")
        try h.become("sup", role: .supervisor)
        h.assertRefused("maintenance.start", ["window": .string(ref), "override": true], code: 2, saying: "--reason")
        let started = try h.run("maintenance.start", ["window": .string(ref), "override": true,
                                                      "reason": "Sở Xây dựng đã được báo qua điện thoại"])
        XCTAssertTrue(started.message?.contains("started without reaching sxd (Sở Xây dựng)") == true,
                      started.message ?? "")
        let record = try h.run("maintenance.show", ["window": .string(ref)]).data["start_override"]
        XCTAssertEqual(record?["by"]?.stringValue, "sup")
        XCTAssertEqual(record?["reason"]?.stringValue, "Sở Xây dựng đã được báo qua điện thoại")
    }

    func testTheDefaultPolicyAlsoWantsAPublicChannel() throws {
        let h = try CommandHarness(start: "2026-12-01 09:00")
        let ref = try announced(h, publicChannel: false)
        try h.deliverAll()
        try h.advance("2d")
        try h.advance("13h")
        h.assertRefused("maintenance.start", ["window": .string(ref)], saying: "a public channel (the notice has none")
        try h.run("policy.set", ["key": "maintenance.start_requires", "value": "agencies"])
        try h.run("maintenance.start", ["window": .string(ref)])
    }

    func testAPublicChannelThatWasNeverReachedIsNamed() throws {
        let h = try CommandHarness(start: "2026-12-01 09:00")
        let ref = try announced(h)
        try h.deliverAll(failing: ["tin-tuc"])
        try h.advance("2d")
        try h.advance("13h")
        h.assertRefused("maintenance.start", ["window": .string(ref)],
                        saying: "a public channel (none reached: tin-tuc)")
    }

    /// An agency removed after the notice went out can never be reached: it is no longer required.
    func testARemovedRecipientIsNotRequired() throws {
        let h = try CommandHarness(start: "2026-12-01 09:00")
        let ref = try announced(h)
        try h.deliverAll(failing: ["sxd"])
        try h.advance("2d")
        try h.advance("13h")
        h.assertRefused("maintenance.start", ["window": .string(ref)], saying: "sxd (Sở Xây dựng)")
        try h.run("recipient.remove", ["key": "sxd"])
        try h.run("maintenance.start", ["window": .string(ref)])
    }

    /// Issued on Tuesday but accepted only on Wednesday: the lead time counts from acceptance, so no working
    /// day lies between it and Thursday's start, and `proof` warns.
    func testLeadTimeCountsFromAcceptanceNotFromIssue() throws {
        let h = try CommandHarness(start: "2026-12-01 09:00")
        let ref = try announced(h)
        try h.advance("1d")
        try h.advance("1h")
        try h.deliverAll()
        let proof = try h.run("maintenance.proof", ["window": .string(ref)])
        XCTAssertEqual(line(proof, "stp")?["accepted_at"]?.stringValue, "2026-12-02T10:00:00+07:00")
        XCTAssertEqual(line(proof, "stp")?["lead_working_days"], .int(0))
        XCTAssertTrue(proof.warnings.contains { $0.contains("stp got 0 working days (1d 12h) of notice") },
                      "\(proof.warnings)")
        XCTAssertEqual(proof.data["missing"], .array([]))
    }
}
