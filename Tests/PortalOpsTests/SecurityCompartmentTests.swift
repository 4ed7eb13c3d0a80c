import OpsProtocol
@testable import PortalOps
import XCTest

/// Issue 16 item 3: the security compartment has no side doors. A security
/// incident, and everything caused by or linked to it (its pages in the
/// outbox, feedback, requests and recommendations citing it), is seen only
/// by security, supervisors and admins.
final class SecurityCompartmentTests: XCTestCase {
    static let title = "Mã độc trên máy chủ CSDL-Bí-Mật"

    /// A database with one security incident, paged to the security staff, and a
    /// linked feedback, request and recommendations (one citing the feedback).
    struct Scene {
        let h: CommandHarness
        let ref: String
        let feedback: String
        let request: String
        let recommendations: [String]
        let deliveries: [Int64]
    }

    func scene() throws -> Scene {
        let h = try CommandHarness()
        try h.run("component.add", ["key": "portal", "name": "Cổng dịch vụ công"])
        try h.become("vanhanh", role: .operator)
        try h.become("an", role: .security)
        let opened = try h.run("incident.open", ["title": .string(Self.title), "severity": "sev2",
                                                  "component": ["portal"], "security": true])
        let ref = try XCTUnwrap(opened.data["ref"]?.stringValue)
        try h.run("incident.note", ["incident": .string(ref), "text": "cô lập máy chủ"])
        let feedback = try XCTUnwrap(try h.run("feedback.add", [
            "from": "Sở Tư pháp", "channel": "email", "category": "error", "summary": "Trang chậm",
            "incident": .string(ref)]).data["ref"]?.stringValue)
        let request = try XCTUnwrap(try h.run("request.add", [
            "from": "dic", "ref": "12/STTTT", "received": "2026-12-01 08:00", "title": "Rà soát mã độc",
            "due": "2026-12-20", "incident": .string(ref)]).data["ref"]?.stringValue)
        var recommendations: [String] = []
        for source in ["incident:\(ref)", "feedback:\(feedback)"] {
            recommendations.append(try XCTUnwrap(try h.run("recommendation.add", [
                "title": "Vá lỗ hổng", "source": .string(source), "owner": "an",
                "due": "2026-12-02"]).data["ref"]?.stringValue))
        }
        let deliveries = try Outbox(h.db).deliveries().map(\.id)
        XCTAssertFalse(deliveries.isEmpty, "the security incident should have paged 'an'")
        try h.advance("3d")  // everything overdue, so the overdue counts would count it
        return Scene(h: h, ref: ref, feedback: feedback, request: request, recommendations: recommendations,
                     deliveries: deliveries)
    }

    /// Every read command of the catalog (audit rule none or reads), run as a
    /// viewer and an operator with each id of the linked records: no output
    /// names the security incident or its title. An error may echo back an
    /// incident reference the caller typed, as "no incident …".
    func testNoReadCommandShowsASecurityIncidentToViewersOrOperators() throws {
        let s = try scene()
        var leaks: [String] = []
        var ran = 0
        for role in [Role.viewer, .operator] {
            try s.h.become(role == .viewer ? "xem" : "vanhanh", role: role)
            for command in s.h.registry.commands where command.spec.audit != .changes
                && command.spec.roles.contains(role) {
                for raw in argumentSets(command.spec, s) {
                    ran += 1
                    let label = "\(role.rawValue) \(command.name) \(JSON.object(raw).serialized())"
                    do {
                        let text = try s.h.run(command.name, raw).json.serialized()
                        if let found = leak(in: text, s) { leaks.append("\(label): \(found)") }
                    } catch {
                        let text = "\(error)"
                        // A usage error means the test could not run the command: that would hide a leak.
                        if (error as? OpsError)?.exitCode == 2 { leaks.append("\(label): could not run: \(text)") }
                        if text.contains(Self.title) || (text.contains(s.ref) && !text.contains("no incident \(s.ref)")) {
                            leaks.append("\(label): error '\(text)'")
                        }
                    }
                }
            }
            for section in s.h.registry.statusSections {
                let part = try section(s.h.context())
                let text = JSON.array(part.fields.map { .array($0.map(JSON.string)) }).serialized()
                    + JSON.object(part.data).serialized() + part.warnings.joined()
                if let found = leak(in: text, s) { leaks.append("\(role.rawValue) status: \(found)") }
            }
        }
        XCTAssertGreaterThan(ran, 40)
        XCTAssertTrue(leaks.isEmpty, "\(leaks.count) leaks:\n" + leaks.joined(separator: "\n"))
    }

    /// What in `text` gives the incident or its linked records away.
    func leak(in text: String, _ s: Scene) -> String? {
        let secrets = [s.ref, Self.title, s.feedback, s.request] + s.recommendations
        return secrets.filter { text.contains($0) }.first.map { "shows \($0)" }
    }

    /// The argument sets a read command is run with: its required arguments
    /// filled from the scene (every linked id in turn), its optional ones left out.
    func argumentSets(_ spec: CommandSpec, _ s: Scene) -> [[String: JSON]] {
        var sets: [[String: JSON]] = [[:]]
        for argument in spec.arguments where argument.isRequired {
            let values: [JSON]
            switch (spec.noun, argument.name) {
            case (_, "incident"): values = [.string(s.ref)]
            case ("feedback", "id"): values = [.string(s.feedback)]
            case ("recommendation", "id"): values = s.recommendations.map(JSON.string)
            case ("request", "id"): values = [.string(s.request)]
            case ("outbox", "id"): values = s.deliveries.map { .string(String($0)) }
            case ("recipient", _): values = ["user-an"]
            case (_, "form"): values = ["initial"]
            default:
                switch argument.kind {
                case .integer: values = ["1"]
                case .choice(let choices): values = [.string(choices[0])]
                case .time: values = [argument.name == "to" ? "2026-12-31 10:00" : "2026-12-01 10:00"]
                case .date: values = ["2026-12-01"]
                case .duration: values = ["1d"]
                case .email: values = ["x@example.vn"]
                case .key: values = ["portal"]
                case .flag: values = [.bool(true)]
                default: values = ["X-1"]
                }
            }
            sets = sets.flatMap { set in values.map { set.merging([argument.name: $0]) { $1 } } }
        }
        return sets
    }

    func testSecurityIncidentsTakeTheirOwnSequence() throws {
        let s = try scene()
        XCTAssertTrue(s.ref.hasPrefix("SEC-2026-"), s.ref)
        let plain = try XCTUnwrap(try s.h.run("incident.open", ["title": "Chậm", "severity": "sev4",
                                                                "component": ["portal"]]).data["ref"]?.stringValue)
        XCTAssertEqual(plain, "INC-2026-0001", "a security incident must not use up an INC number")
        // SEC refs are accepted, in any case, by commands that take an incident.
        try s.h.run("incident.ack", ["incident": .string(s.ref.lowercased())])
        try s.h.become("vanhanh", role: .operator)
        s.h.assertRefused("incident.ack", ["incident": .string(s.ref)], saying: "no incident \(s.ref)")
        s.h.assertRefused("feedback.add", ["from": "x", "channel": "email", "category": "error", "summary": "y",
                                           "incident": .string(s.ref)], saying: "no incident \(s.ref)")
    }

    func testStatusCountsLeaveSecurityIncidentsOutForOthersAndSplitThemForSecurity() throws {
        let s = try scene()
        try s.h.run("incident.open", ["title": "Chậm", "severity": "sev3", "component": ["portal"]])
        func incidents() throws -> String {
            try IncidentStatus.section(s.h.context()).fields.first { $0[0] == "incidents" }?[1] ?? ""
        }
        func outbox() throws -> JSON? { try OutboxStatus.section(s.h.context()).data["outbox"] }
        XCTAssertEqual(try incidents(), "2 open: 0 sev1, 1 sev2, 1 sev3, 0 sev4 (1 security)")
        let all = try outbox()
        try s.h.become("vanhanh", role: .operator)
        XCTAssertEqual(try incidents(), "1 open: 0 sev1, 0 sev2, 1 sev3, 0 sev4")
        let forOperator = try outbox()
        XCTAssertNotEqual(all?["queued"], forOperator?["queued"], "security pages must not count for operators")
        let stats = try s.h.run("incident.stats")
        XCTAssertEqual(stats.data["total"], .int(1))
    }

    /// The pages of a security incident are not in the outbox for others: not
    /// listed, "no delivery N" when named, not retried by `--dead`.
    func testSecurityPagesAreOutOfTheOutboxForOthers() throws {
        let s = try scene()
        let id = try XCTUnwrap(s.deliveries.first)
        XCTAssertEqual(try s.h.run("outbox.list").data["deliveries"]?.arrayValue?.count, s.deliveries.count)
        XCTAssertTrue(try s.h.run("outbox.show", ["id": .string(String(id))]).json.serialized().contains(s.ref))
        try s.h.become("vanhanh", role: .operator)
        XCTAssertEqual(try s.h.run("outbox.list").data["deliveries"]?.arrayValue?.count, 0)
        s.h.assertRefused("outbox.show", ["id": .string(String(id))], saying: "no delivery \(id)")
        try s.h.db.run("UPDATE deliveries SET state = 'dead'")
        XCTAssertEqual(try s.h.run("outbox.retry", ["dead": true]).data["retried"], .int(0))
    }

    func testARecommendationOnASecurityIncidentNeedsAnOwnerWhoMaySeeIt() throws {
        let s = try scene()
        s.h.assertRefused("recommendation.add", ["title": "t", "source": .string("incident:\(s.ref)"),
                                                 "owner": "vanhanh", "due": "2026-12-30"],
                          saying: "may not see security incidents")
    }

    func testAnEmergencyWindowKeepsItsInternalReasonOutOfTheNotice() throws {
        let h = try CommandHarness()
        try h.run("component.add", ["key": "portal", "name": "Cổng dịch vụ công"])
        try h.run("recipient.add", ["key": "stp", "name": "Sở Tư pháp", "email": "stp@example.vn", "group": "so-nganh"])
        let planned = try h.run("maintenance.plan", [
            "title": "Vá khẩn cấp", "kind": "maintenance", "start": "2026-12-01 22:00", "end": "2026-12-01 23:00",
            "component": ["portal"], "emergency": true, "reason": "khắc phục lỗi bảo mật",
            "internal-reason": "CVE-2026-9999 đang bị khai thác, xem SEC-2026-0001", "group": ["so-nganh"]])
        let ref = try XCTUnwrap(planned.data["ref"]?.stringValue)
        XCTAssertFalse(planned.json.serialized().contains("CVE-2026-9999"))
        let shown = try h.run("maintenance.show", ["window": .string(ref)])
        XCTAssertTrue(shown.json.serialized().contains("CVE-2026-9999"), "admins see the internal reason")
        try h.run("maintenance.approve", ["window": .string(ref)])
        let notice = try h.run("maintenance.notice", ["window": .string(ref)])
        XCTAssertTrue(notice.json.serialized().contains("khắc phục lỗi bảo mật"))
        XCTAssertFalse(notice.json.serialized().contains("CVE-2026-9999"))
        try h.run("maintenance.announce", ["window": .string(ref)])
        for id in try Outbox(h.db).deliveries().map(\.messageID) {
            let message = try Outbox(h.db).message(id)
            XCTAssertFalse((message.subject + message.text + (message.html ?? "")).contains("CVE-2026-9999"))
        }
        try h.become("vanhanh", role: .operator)
        let forOperator = try h.run("maintenance.show", ["window": .string(ref)]).json.serialized()
        XCTAssertFalse(forOperator.contains("CVE-2026-9999"), forOperator)
        XCTAssertTrue(forOperator.contains("khắc phục lỗi bảo mật"))
    }
}

extension CommandHarness {
    /// A handler context for the current caller, for status sections.
    func context() throws -> CommandContext {
        CommandContext(db: db, caller: caller, now: clock.now(), time: time,
                       arguments: try Command("x.y", "", roles: .everyone, audit: .none) { _ in Response() }
                           .arguments([:], time: time),
                       registry: registry, environment: HarnessEnvironment(dataDirectory: directory))
    }
}
