import XCTest
@testable import OpsClient
import OpsProtocol

final class CommandLineParserTests: XCTestCase {
    let parser = CommandLineParser()

    private func run(_ arguments: [String]) throws -> (String, [String: JSON], GlobalOptions) {
        let result = try parser.parse(arguments)
        guard case .run(let command, let values) = result.invocation else {
            XCTFail("expected a command, got \(result.invocation)")
            return ("", [:], result.options)
        }
        return (command, values, result.options)
    }

    func testNounVerbPositionalsAndOptions() throws {
        let (command, values, options) = try run(["user", "add", "lan", "--uid", "1001", "--role=operator", "--full-name", "Nguyễn Thị Lan", "--json"])
        XCTAssertEqual(command, "user.add")
        XCTAssertEqual(values, ["name": "lan", "uid": "1001", "role": "operator", "full-name": "Nguyễn Thị Lan"])
        XCTAssertTrue(options.json)
    }

    func testOneWordCommandsAndGlobalOptionsAnywhere() throws {
        let (command, values, options) = try run(["--socket", "/tmp/x.sock", "status"])
        XCTAssertEqual(command, "status")
        XCTAssertEqual(values, [:])
        XCTAssertEqual(options.socket, "/tmp/x.sock")
        let (clock, clockValues, _) = try run(["clock", "advance", "15m"])
        XCTAssertEqual(clock, "clock.advance")
        XCTAssertEqual(clockValues, ["duration": "15m"])
    }

    func testHelpTopics() throws {
        XCTAssertEqual(try parser.parse(["--help"]).invocation, .help(topic: nil))
        XCTAssertEqual(try parser.parse(["user", "--help"]).invocation, .help(topic: "user"))
        XCTAssertEqual(try parser.parse(["user", "add", "--help"]).invocation, .help(topic: "user.add"))
        XCTAssertEqual(try parser.parse(["status", "-h"]).invocation, .help(topic: "status"))
    }

    func testMisspeltCommandsSuggestTheNearest() {
        XCTAssertThrowsError(try parser.parse(["usr", "list"])) { error in
            XCTAssertEqual(error as? OpsError, .usage("unknown command 'usr'; did you mean 'user'?"))
        }
        XCTAssertThrowsError(try parser.parse(["user", "lst"])) { error in
            XCTAssertEqual(error as? OpsError, .usage("unknown command 'user lst'; did you mean 'user list'?"))
        }
        XCTAssertThrowsError(try parser.parse(["user", "add", "x", "--rol", "admin"])) { error in
            XCTAssertTrue("\(error)".contains("did you mean --role?"), "\(error)")
        }
        XCTAssertThrowsError(try parser.parse([])) { error in
            XCTAssertEqual((error as? OpsError)?.exitCode, 2)
        }
        XCTAssertThrowsError(try parser.parse(["user"])) { error in
            XCTAssertTrue("\(error)".contains("needs a command: add, list"), "\(error)")
        }
    }

    func testValueMistakes() {
        XCTAssertThrowsError(try parser.parse(["user", "add", "x", "--uid"]))       // missing value
        XCTAssertThrowsError(try parser.parse(["user", "list", "extra"]))          // no positional
        XCTAssertThrowsError(try parser.parse(["user", "add", "x", "--uid", "1", "--uid", "2"]))
    }

    func testDoubleDashEndsOptions() throws {
        let (_, values, _) = try run(["policy", "set", "portal.name", "--", "--not-an-option"])
        XCTAssertEqual(values, ["key": "portal.name", "value": "--not-an-option"])
    }
}

/// Issue 13 item 5: common synonyms run the command they mean, and never hide a real one.
final class SynonymTests: XCTestCase {
    func testAcknowledgeMeansAckAndPluralNounsWork() throws {
        let result = try CommandLineParser().parse(["incident", "acknowledge", "7"])
        XCTAssertEqual(result.invocation, .run(command: "incident.ack", arguments: ["incident": "7"]))
        let list = try CommandLineParser().parse(["incidents", "ls"])
        XCTAssertEqual(list.invocation, .run(command: "incident.list", arguments: [:]))
        let oncall = try CommandLineParser().parse(["oncall", "who"])
        XCTAssertEqual(oncall.invocation, .run(command: "rota.who", arguments: [:]))
        XCTAssertThrowsError(try CommandLineParser().parse(["incident", "acknowledgement", "7"])) { error in
            XCTAssertTrue("\(error)".contains("did you mean"), "\(error)")
        }
    }
}
