import Foundation
@preconcurrency import Glibc
import XCTest

/// A running `opsd` on a scratch data directory and socket, and `opsctl`
/// pointed at it, as an operator would use them.
final class Daemon {
    let scratch: Scratch
    let dataDirectory: String
    let socket: String
    let extraArguments: [String]
    private(set) var process: Process?
    private var logHandle: FileHandle?

    var logPath: String { scratch.file("opsd.log") }
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    init(scratch: Scratch = Scratch(), arguments: [String] = ["--test-clock", "--socket-mode", "0666"]) {
        self.scratch = scratch
        self.dataDirectory = scratch.file("data")
        self.socket = scratch.file("opsd.sock")
        self.extraArguments = arguments
    }

    /// Starts opsd and waits until it answers.
    @discardableResult
    func start(file: StaticString = #filePath, line: UInt = #line) throws -> Daemon {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Binaries.opsd)
        process.arguments = ["--data", dataDirectory, "--socket", socket] + extraArguments
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PORTALOPS_") }
        if !FileManager.default.fileExists(atPath: logPath) { FileManager.default.createFile(atPath: logPath, contents: nil) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        handle.seekToEndOfFile()
        process.standardError = handle
        process.standardOutput = handle
        try process.run()
        self.process = process
        self.logHandle = handle
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            if !process.isRunning { break }
            if RawClient.canConnect(socket) { return self }
            usleep(20_000)
        }
        XCTFail("opsd did not start: \(log)", file: file, line: line)
        throw CocoaError(.fileNoSuchFile)
    }

    /// SIGTERM and wait; returns the exit status.
    @discardableResult
    func stop() -> Int32 {
        guard let process, process.isRunning else { return process?.terminationStatus ?? 0 }
        process.terminate()
        process.waitUntilExit()
        self.process = nil
        return process.terminationStatus
    }

    /// SIGKILL: the crash case.
    func kill9() {
        guard let process, process.isRunning else { return }
        let pid = process.processIdentifier
        Glibc.kill(pid, SIGKILL)
        // Reaped here rather than by Process.waitUntilExit, which was seen to
        // wait forever on an already dead opsd while another Process ran.
        var status: Int32 = 0
        Wait.until("opsd (pid \(pid)) gone after SIGKILL", seconds: 10, every: 10_000) {
            let reaped = waitpid(pid, &status, WNOHANG)
            return reaped == pid || (reaped < 0 && kill(pid, 0) != 0)
        }
        self.process = nil
    }

    /// Runs `opsctl ARGS` against this daemon.
    func opsctl(_ arguments: String..., input: String? = nil) -> CommandResult {
        opsctl(arguments, input: input)
    }

    func opsctl(_ arguments: [String], input: String? = nil) -> CommandResult {
        Run.process(Binaries.opsctl, arguments, environment: ["PORTALOPS_SOCKET": socket], input: input)
    }

    /// Runs opsctl as another uid (through setpriv), from a copy of the
    /// binary that uid can execute.
    func opsctl(asUID uid: UInt32, _ arguments: String...) throws -> CommandResult {
        try opsctl(asUID: uid, arguments)
    }

    func opsctl(asUID uid: UInt32, _ arguments: [String]) throws -> CommandResult {
        guard getuid() == 0 else { throw XCTSkip("running as another uid needs root") }
        let copy = scratch.file("opsctl")
        if !FileManager.default.fileExists(atPath: copy) {
            try FileManager.default.copyItem(atPath: Binaries.opsctl, toPath: copy)
            chmod(copy, 0o755)
        }
        return Run.process("/usr/bin/setpriv", ["--reuid", String(uid), "--regid", String(uid), "--clear-groups", copy] + arguments,
                           environment: ["PORTALOPS_SOCKET": socket])
    }

    deinit { if let process, process.isRunning { kill9() } }
}

extension CommandResult {
    /// Asserts success and returns self, printing what went wrong otherwise.
    @discardableResult
    func ok(file: StaticString = #filePath, line: UInt = #line) -> CommandResult {
        XCTAssertEqual(status, 0, "stdout: \(stdout)\nstderr: \(stderr)", file: file, line: line)
        return self
    }
}
