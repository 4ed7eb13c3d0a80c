import OpsProtocol
@testable import OpsDaemon
@testable import PortalOps
import SQLite
import XCTest

/// A capability registered nowhere but in the list the daemon is built from
/// is fully served: its tables, its commands (validated and typed), its help
/// in the catalog, its settings in `policy list`, its section in `status`.
final class CapabilityRegistrationTests: XCTestCase {
    enum Mood: String, CaseIterable, Sendable { case calm, busy }

    enum AddNote {
        static let text = Required.positional("text", .text, "what to note", valueName: "TEXT")
        static let mood = Option.named("mood", .choice(Mood.self), "how it feels")
        static let loud = Flag.named("loud", "shout it")
        static let command = Command("probe.note", "Write a probe note", roles: .staff, audit: .changes,
                                     arguments: [text, mood, loud]) { context in
            let mood: Mood = try context[mood] ?? .calm   // an enum, not a string
            let text = try context[text]
            try context.db.run("INSERT INTO probe_notes(text, mood) VALUES (?, ?)",
                               context[loud] ? text.uppercased() : text, mood.rawValue)
            return Response(message: "Noted (\(mood.rawValue))")
        }
    }

    static let limit = PolicyDefinition("probe.limit", .integer(1...9), default: "3", "how many probes")

    static let probe = Capability(
        "probe",
        migrations: [Migration(version: 900, name: "probe notes",
                               sql: "CREATE TABLE probe_notes(id INTEGER PRIMARY KEY, text TEXT NOT NULL, mood TEXT);")],
        commands: [AddNote.command],
        nouns: ["probe": "a capability that exists only in this test"],
        policies: [limit],
        status: { context in
            let count = try context.db.queryRow("SELECT count(*) AS n FROM probe_notes")?.int("n") ?? 0
            return StatusSection(fields: [["probe notes", String(count)]], data: ["probe_notes": .int(count)])
        })

    func testACapabilityInTheListIsServedEverywhere() throws {
        let engine = try EngineFixture(extra: [Self.probe])
        let noted = engine.send("probe.note", ["text": "xin chào", "mood": "busy", "loud": true])
        XCTAssertNil(noted.error, "\(noted)")
        XCTAssertEqual(noted.message, "Noted (busy)")
        let refused = engine.send("probe.note", ["text": "x", "mood": "angry"])
        XCTAssertEqual(refused.error?.exitCode, 2)
        XCTAssertTrue(refused.error?.message.contains("--mood must be one of calm, busy") == true, "\(refused)")

        let status = engine.send("status")
        XCTAssertEqual(status.data["probe_notes"], .int(1), "\(status.data)")
        XCTAssertTrue(status.fields.contains(["probe notes", "1"]))

        let policies = engine.send("policy.list")
        let keys = policies.data["policies"]?.arrayValue?.compactMap { $0["key"]?.stringValue } ?? []
        XCTAssertTrue(keys.contains("probe.limit"), "\(keys)")
        XCTAssertNil(engine.send("policy.set", ["key": "probe.limit", "value": "5"]).error)
        XCTAssertEqual(engine.send("policy.set", ["key": "probe.limit", "value": "10"]).error?.exitCode, 2)

        // Help comes from the catalog opsctl is built with: the same JSON the build hands over.
        let catalog = try CommandCatalog(json: JSON.parse(engine.registry.catalog.json.serialized()))
        let spec = try XCTUnwrap(catalog.command("probe.note"))
        XCTAssertEqual(spec.summary, "Write a probe note")
        XCTAssertEqual(spec.arguments.map(\.name), ["text", "mood", "loud"])
        XCTAssertEqual(catalog.nounSummaries["probe"], "a capability that exists only in this test")
    }

    func testTwoCapabilitiesClaimingOneMigrationVersionAreRefused() {
        let clash = Capability("clash", migrations: [Migration(version: 1, name: "again", sql: "SELECT 1;")])
        XCTAssertThrowsError(try Registry(Capabilities.all + [clash])) { error in
            XCTAssertTrue("\(error)".contains("share version 1"), "\(error)")
        }
    }

    func testANounWithoutASummaryIsRefused() {
        var silent = Self.probe
        silent.nouns = [:]
        XCTAssertThrowsError(try Registry(Capabilities.all + [silent])) { error in
            XCTAssertTrue("\(error)".contains("has no summary"), "\(error)")
        }
    }
}
