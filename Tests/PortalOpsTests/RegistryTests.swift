import XCTest
import OpsProtocol
@testable import PortalOps

final class RegistryTests: XCTestCase {
    let utc = LocalTime(zoneIdentifier: "UTC")!

    func testEveryCommandIsDeclaredOnceWithItsHandler() throws {
        let registry = try Registry(Capabilities.all)
        let names = registry.commands.map(\.name)
        XCTAssertEqual(Set(names).count, names.count)
        XCTAssertTrue(names.contains("backup.run") && registry.command("backup.run")!.isJob)
        XCTAssertFalse(registry.command("incident.open")!.isJob)
    }

    func testACommandDeclaredTwiceIsRefusedAtStart() {
        let twice = Capability("twice", commands: Capability.access.commands)
        XCTAssertThrowsError(try Registry(Capabilities.all + [twice])) { error in
            XCTAssertTrue("\(error)".contains("declared by both access and twice"), "\(error)")
        }
    }

    func testNamesAreUniqueAndEveryCommandHasHelpAndRoles() throws {
        let catalog = try Registry(Capabilities.all).catalog
        let names = catalog.commands.map(\.name)
        XCTAssertEqual(Set(names).count, names.count)
        for spec in catalog.commands {
            XCTAssertFalse(spec.summary.isEmpty, spec.name)
            XCTAssertFalse(spec.roles.isEmpty, spec.name)
            XCTAssertTrue(spec.roles.contains(.admin), "\(spec.name): admins may do everything")
            XCTAssertNotNil(catalog.nounSummaries[spec.noun], "\(spec.noun) has a summary")
            XCTAssertTrue(spec.words.count <= 2, spec.name)
        }
    }

    func testValidationAcceptsGoodArgumentsAndNormalises() throws {
        let command = try XCTUnwrap(Registry(Capabilities.all).command("user.add"))
        let args = try command.arguments(["name": "lan", "uid": "1001", "role": "operator",
                                          "full-name": "Nguye\u{0302}\u{0303}n Thị Lan"], time: utc)
        // Read back typed, with the constants the command declares.
        XCTAssertEqual(try args[AddUser.uid], 1001)
        XCTAssertEqual(try args[AddUser.role], .operator)
        XCTAssertEqual(try args[AddUser.fullName], "Nguyễn Thị Lan")
        XCTAssertNil(try args[AddUser.email])
        XCTAssertEqual(args.values["full-name"], "Nguyễn Thị Lan", "the audit trail records the normalised text")
    }

    func testValidationRefusesWithTheReason() throws {
        let spec = try XCTUnwrap(Registry(Capabilities.all).catalog.command("user.add"))
        let cases: [([String: JSON], String)] = [
            (["uid": "1", "role": "admin"], "missing NAME"),
            (["name": "lan", "role": "admin"], "missing --uid"),
            (["name": "lan", "uid": "x", "role": "admin"], "--uid must be a whole number"),
            (["name": "lan", "uid": "-1", "role": "admin"], "--uid must be a whole number"),
            (["name": "lan", "uid": "1", "role": "king"], "--role must be one of viewer, operator"),
            (["name": "Lan", "uid": "1", "role": "admin"], "is not a valid key"),
            (["name": "lan", "uid": "1", "role": "admin", "email": "nope"], "not a valid e-mail"),
            (["name": "lan", "uid": "1", "role": "admin", "colour": "red"], "takes no argument 'colour'"),
            (["name": "lan", "uid": ["1", "2"], "role": "admin"], "may be given only once"),
        ]
        for (raw, expected) in cases {
            XCTAssertThrowsError(try spec.validate(raw, time: utc), expected) { error in
                XCTAssertEqual((error as? OpsError)?.exitCode, 2)
                XCTAssertTrue("\(error)".contains(expected), "\(error) should say \(expected)")
            }
        }
        let list = try XCTUnwrap(Registry(Capabilities.all).catalog.command("audit.list"))
        XCTAssertThrowsError(try list.validate(["from": "yesterday"], time: utc))
    }

    func testPolicyValuesAreValidatedAndCanonical() throws {
        let timeout = PolicyDefinition("server.idle_timeout", .duration(1_000...86_400_000), default: "5m", "")
        XCTAssertEqual(try timeout.canonical("120s"), "2m")
        XCTAssertThrowsError(try timeout.canonical("0s"))
        XCTAssertThrowsError(try timeout.canonical("2d"))
        XCTAssertThrowsError(try timeout.canonical("5wd"))
        let bool = PolicyDefinition("x", .bool, default: "true", "")
        XCTAssertEqual(try bool.canonical("off"), "false")
        let integer = PolicyDefinition("y", .integer(1...10), default: "1", "")
        XCTAssertThrowsError(try integer.canonical("11"))
        for definition in try Registry(Capabilities.all).policies {
            XCTAssertEqual(try definition.canonical(definition.defaultValue), definition.defaultValue, "\(definition.key) default is valid")
        }
    }

    func testResponseRoundTripsThroughJSON() throws {
        var response = Response(message: "Added", data: ["a": 1], fields: [["k", "v"]],
                                table: .init(columns: ["A"], rows: [["1"]]), warnings: ["w"])
        response.output = "line\n"
        XCTAssertEqual(try Response(json: JSON.parse(response.json.serialized())), response)
        let failed = Response(error: .permission("no"))
        XCTAssertEqual(try Response(json: JSON.parse(failed.json.serialized())).error, .permission("no"))
    }
}
