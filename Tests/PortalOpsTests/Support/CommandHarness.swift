import Foundation
import OpsProtocol
@testable import PortalOps
import SQLite
import XCTest

/// The middle layer of tests: a temporary database with every capability's
/// migrations, an adjustable clock and a caller; a command runs through the
/// same validation, role check and handler as in opsd, in a transaction that
/// a refusal rolls back. Rules are tested here in milliseconds; what only the
/// whole process shows stays in EndToEndTests.
final class CommandHarness {
    let db: Connection
    let registry: Registry
    let clock: AdjustableClock
    let time = LocalTime(zoneIdentifier: "Asia/Ho_Chi_Minh")!
    let directory: String
    private(set) var caller: Caller

    /// A clock that starts at `start` (local time) and moves only when told.
    init(start: String = "2026-12-01 09:00", capabilities: [Capability] = Capabilities.all) throws {
        directory = NSTemporaryDirectory() + "portalops-harness-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        db = try Connection(path: directory + "/ops.db")
        registry = try Registry(capabilities)
        clock = AdjustableClock(base: FixedClock())
        clock.set(try time.parseTime(start))
        try db.migrate(registry.migrations, now: clock.now())
        let admin = try UserStore(db).insert(name: "admin", uid: 1000, role: .admin, fullName: "Quản trị",
                                             email: "admin@example.vn", now: clock.now())
        caller = Caller(uid: 1000, pid: 1, user: admin)
        try configureNotices()
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// Adds an account and makes it the caller of the next commands.
    @discardableResult
    func become(_ name: String, role: Role, uid: UInt32? = nil) throws -> Caller {
        let store = UserStore(db)
        let user = try store.byName(name) ?? store.insert(name: name, uid: uid ?? UInt32(2000 + (try store.all().count)),
                                                          role: role, fullName: nil, email: "\(name)@example.vn",
                                                          now: clock.now())
        caller = Caller(uid: user.uid, pid: 1, user: user)
        return caller
    }

    func advance(_ duration: String) throws {
        guard case .milliseconds(let step) = try DurationText.parse(duration) else { return }
        clock.advance(by: step)
    }

    /// Runs `command` as the current caller; throws the `OpsError` a person would see.
    @discardableResult
    func run(_ name: String, _ raw: [String: JSON] = [:]) throws -> Response {
        guard let command = registry.command(name) else { throw OpsError.usage("unknown command '\(name)'") }
        guard let user = caller.user, command.spec.roles.contains(user.role) else {
            throw OpsError.permission("\(name) needs role \(command.spec.roles.sorted().map(\.rawValue))")
        }
        let context = CommandContext(db: db, caller: caller, now: clock.now(), time: time,
                                     arguments: try command.arguments(raw, time: time), registry: registry,
                                     environment: HarnessEnvironment(dataDirectory: directory))
        switch command.run {
        case .quick(let handler):
            return try db.transaction {
                let response = try handler(context)
                if let error = response.error { throw error }
                return response
            }
        case .job(let prepare):
            let job = try db.transaction { try prepare(context) }
            let result: Result<JSON, OpsError>
            do { result = .success(try job.work { _ in }) } catch let error as OpsError { result = .failure(error) }
            let response = try db.transaction { try job.finish(context, result) }
            if let error = response.error { throw error }
            return response
        }
    }

    /// Asserts that `name` is refused with exit code `code` and a message containing `text`.
    func assertRefused(_ name: String, _ raw: [String: JSON], code: Int32 = 1, saying text: String,
                       file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try run(name, raw), file: file, line: line) { error in
            XCTAssertEqual((error as? OpsError)?.exitCode, code, "\(error)", file: file, line: line)
            XCTAssertTrue("\(error)".contains(text), "'\(error)' should say '\(text)'", file: file, line: line)
        }
    }
}

private struct FixedClock: Clock {
    func now() -> Int64 { 0 }
}

/// Jobs in the harness run commands through the shell like opsd's would.
struct HarnessEnvironment: JobEnvironment {
    let dataDirectory: String

    func run(_ command: String, stdinFile: String?, stdoutFile: String?, timeoutMilliseconds: Int64) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        if let stdinFile { process.standardInput = FileHandle(forReadingAtPath: stdinFile) }
        if let stdoutFile {
            FileManager.default.createFile(atPath: stdoutFile, contents: nil)
            process.standardOutput = FileHandle(forWritingAtPath: stdoutFile)
        }
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw OpsError.refused("'\(command)' exited with \(process.terminationStatus)")
        }
    }
}
