import Foundation
@preconcurrency import Glibc
import XCTest

/// The repository, for the helper scripts under scripts/testing.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    static func script(_ name: String) -> String { root + "/scripts/testing/" + name }
}

/// A helper server from scripts/testing, running until the test ends.
final class HelperServer {
    let process = Process()
    let port: Int

    init(_ script: String, portFile: String, arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Repository.script(script), portFile] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var port: Int?
        for _ in 0..<500 {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8), let value = Int(text) { port = value; break }
            usleep(20_000)
        }
        guard let port else { process.terminate(); throw XCTSkip("\(script) did not start (is aiosmtpd installed? run scripts/setup.sh)") }
        self.port = port
    }

    deinit {
        if process.isRunning { process.terminate(); process.waitUntilExit() }
    }
}

/// aiosmtpd on 127.0.0.1 and an msmtp configuration that sends to it.
final class MailSink {
    let server: HelperServer
    let directory: String
    let sendmail: String

    init(scratch: Scratch) throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/msmtp") else { throw XCTSkip("msmtp is missing; run scripts/setup.sh") }
        directory = scratch.file("mail")
        server = try HelperServer("smtp_sink.py", portFile: scratch.file("smtp.port"), arguments: [directory])
        let config = scratch.file("msmtprc")
        try """
            defaults
            auth off
            tls off
            account default
            host 127.0.0.1
            port \(server.port)
            from portalops@laocai.gov.vn
            """.write(toFile: config, atomically: true, encoding: .utf8)
        chmod(config, 0o600)
        sendmail = "/usr/bin/msmtp -C \(config) -t"
    }

    /// The messages received so far, decoded by Python's email library.
    func received() -> [[String: Any]] {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".eml") }.sorted()
        return files.compactMap { file in
            Run.process("/usr/bin/env", ["python3", Repository.script("decode_mail.py"), directory + "/" + file]).json as? [String: Any]
        }
    }
}

/// The webhook receiver, answering the given statuses in turn.
final class WebhookSink {
    let server: HelperServer
    let log: String
    var url: String { "http://127.0.0.1:\(server.port)/hook" }

    /// `body` answers every request; `location` goes with 3xx answers.
    init(scratch: Scratch, statuses: [Int], body: String = "", location: String? = nil,
         name: String = "webhook") throws {
        log = scratch.file("\(name).log")
        server = try HelperServer("webhook_sink.py", portFile: scratch.file("\(name).port"),
                                  arguments: [log, statuses.map(String.init).joined(separator: ","), body]
                                      + (location.map { [$0] } ?? []))
    }

    var requests: [[String: Any]] {
        ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }
}

extension Daemon {
    /// Waits until `condition` holds for `outbox show ID --json`.
    @discardableResult
    func waitForDelivery(_ id: Int, seconds: Double = 20, file: StaticString = #filePath, line: UInt = #line,
                         until condition: ([String: Any]) -> Bool) -> [String: Any] {
        let deadline = Date().addingTimeInterval(seconds)
        var last: [String: Any] = [:]
        while Date() < deadline {
            last = opsctl("outbox", "show", String(id), "--json").object
            if condition(last) { return last }
            usleep(100_000)
        }
        XCTFail("delivery \(id) never reached the expected state; last: \(last)", file: file, line: line)
        return last
    }

    func deliveries(state: String? = nil) -> [[String: Any]] {
        var arguments = ["outbox", "list", "--limit", "10000", "--json"]
        if let state { arguments += ["--state", state] }
        return opsctl(arguments).object["deliveries"] as? [[String: Any]] ?? []
    }
}
