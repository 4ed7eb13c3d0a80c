import OpsProtocol
import Foundation
import PortalOps

/// The bootstrap settings of `opsd`: what must be known before the
/// database is open. Everything else is runtime configuration in the
/// database, changed through audited commands.
///
/// Precedence: command-line flag, then environment, then `--config` file,
/// then the embedded default (a local `./.portalops` directory).
public struct DaemonOptions: Sendable {
    public var dataDirectory = ".portalops"
    public var socketPath: String?
    public var zone = LocalTime.defaultZoneIdentifier
    public var socketMode: UInt32 = 0o660
    public var socketGroup: String?
    public var testClock = false
    public var synchronous = "FULL"
    /// The sendmail-compatible command mail is piped to; it reads the
    /// recipients from the headers (-t) and ignores lone dots (-i).
    public var sendmail = "/usr/sbin/sendmail -t -i"
    /// Where the Prometheus metrics are rewritten every tick, for node_exporter's textfile collector.
    public var metricsFile: String?
    /// Where the public status site is kept (`index.html`, `status.json`, `feed.atom`, `maintenance.ics`).
    public var publishDirectory: String?

    public static let help = """
        opsd — the PortalOps daemon: owns ops.db and serves opsctl over a Unix socket.

        Usage: opsd [--data DIR] [--socket PATH] [--zone TZ] [--config FILE]
                    [--socket-mode MODE] [--socket-group GROUP] [--synchronous full|normal]
                    [--sendmail COMMAND] [--metrics-file PATH] [--publish DIR]
                    [--test-clock] [--version] [--help]

          --data DIR           data directory (created 0700): $PORTALOPS_DATA, else ./.portalops
          --socket PATH        socket: $PORTALOPS_SOCKET, else DIR/opsd.sock
          --zone TZ            zone for reading and showing times (default Asia/Ho_Chi_Minh)
          --config FILE        'key = value' lines: data, socket, zone, socket_mode, socket_group,
                               synchronous, sendmail, metrics_file, publish (flags and environment win)
          --socket-mode MODE   octal permissions of the socket (default 0660)
          --socket-group NAME  group that owns the socket, so its members may connect
          --synchronous MODE   full (default): every confirmed write survives power loss;
                               normal: survives a crash of opsd, ~10x the write rate
          --sendmail COMMAND   where mail goes: $PORTALOPS_SENDMAIL, else '/usr/sbin/sendmail -t -i'
                               (any sendmail-compatible command: msmtp -t, postfix's sendmail…)
          --metrics-file PATH  rewrite PATH every second with the metrics of 'opsctl metrics'
                               (Prometheus text, written to a temporary file and renamed: point
                               node_exporter's --collector.textfile.directory at its directory;
                               the name must end in .prom); security incidents are not counted
          --publish DIR        keep the public status site in DIR for the portal's web server:
                               index.html, status.json, feed.atom, maintenance.ics, notices/*.pdf,
                               rewritten atomically when something public changes
          --test-clock         let 'opsctl clock set/advance' move time (tests only)
          --version            print the version
          --help               print this help

        Runs in the foreground and logs one line per event to stderr. The uid that starts it on a
        new data directory, and root, become admins. SIGTERM or SIGINT: finish requests in flight,
        checkpoint the database, remove the socket, exit 0.
        """

    public struct UsageError: Error, CustomStringConvertible {
        public let description: String
    }

    public enum Action { case run(DaemonOptions), help, version }

    /// Parses flags and environment; reads the config file if one is named.
    public static func parse(_ arguments: [String], environment: [String: String]) throws -> Action {
        var flags: [String: String] = [:]
        var index = 0
        let valued = ["--data", "--socket", "--zone", "--config", "--socket-mode", "--socket-group", "--synchronous",
                      "--sendmail", "--metrics-file", "--publish"]
        while index < arguments.count {
            var argument = arguments[index]
            var inlineValue: String?
            if let equals = argument.firstIndex(of: "="), argument.hasPrefix("--") {
                inlineValue = String(argument[argument.index(after: equals)...])
                argument = String(argument[..<equals])
            }
            switch argument {
            case "--help", "-h": return .help
            case "--version": return .version
            case "--test-clock": flags["test_clock"] = "true"
            case _ where valued.contains(argument):
                let value: String
                if let inlineValue { value = inlineValue } else {
                    index += 1
                    guard index < arguments.count else { throw UsageError(description: "\(argument) needs a value") }
                    value = arguments[index]
                }
                flags[String(argument.dropFirst(2)).replacingOccurrences(of: "-", with: "_")] = value
            default:
                let hint = Suggestion.nearest(to: argument, among: valued + ["--test-clock", "--help", "--version"])
                throw UsageError(description: "unknown option '\(argument)'" + (hint.map { "; did you mean \($0)?" } ?? "; see opsd --help"))
            }
            index += 1
        }
        var settings: [String: String] = [:]
        if let config = flags["config"] ?? environment["PORTALOPS_CONFIG"] {
            settings = try readConfig(config)
        }
        if let data = environment["PORTALOPS_DATA"], !data.isEmpty { settings["data"] = data }
        if let socket = environment["PORTALOPS_SOCKET"], !socket.isEmpty { settings["socket"] = socket }
        if let sendmail = environment["PORTALOPS_SENDMAIL"], !sendmail.isEmpty { settings["sendmail"] = sendmail }
        settings.merge(flags) { _, flag in flag }

        var options = DaemonOptions()
        if let data = settings["data"] { options.dataDirectory = data }
        options.socketPath = settings["socket"]
        if let zone = settings["zone"] {
            guard LocalTime(zoneIdentifier: zone) != nil else { throw UsageError(description: "unknown time zone '\(zone)'") }
            options.zone = zone
        }
        if let mode = settings["socket_mode"] {
            guard let value = UInt32(mode, radix: 8), value <= 0o777 else {
                throw UsageError(description: "--socket-mode must be octal permissions such as 0660, not '\(mode)'")
            }
            options.socketMode = value
        }
        options.socketGroup = settings["socket_group"]
        if let sync = settings["synchronous"] {
            guard ["full", "normal"].contains(sync.lowercased()) else {
                throw UsageError(description: "--synchronous must be full or normal, not '\(sync)'")
            }
            options.synchronous = sync.uppercased()
        }
        options.testClock = settings["test_clock"] == "true"
        if let sendmail = settings["sendmail"] {
            guard !sendmail.trimmingCharacters(in: .whitespaces).isEmpty else { throw UsageError(description: "--sendmail needs a command") }
            options.sendmail = sendmail
        }
        if let path = settings["metrics_file"] {
            var isDirectory: ObjCBool = false
            let directory = (path as NSString).deletingLastPathComponent
            guard path.hasSuffix(".prom"), !path.hasSuffix("/.prom") else {
                throw UsageError(description: "--metrics-file must name a file ending in .prom (node_exporter reads "
                                 + "only those), not '\(path)'")
            }
            guard FileManager.default.fileExists(atPath: directory.isEmpty ? "." : directory,
                                                 isDirectory: &isDirectory), isDirectory.boolValue else {
                throw UsageError(description: "--metrics-file: no directory \(directory); create it first")
            }
            options.metricsFile = path
        }
        if let directory = settings["publish"] {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory),
                  isDirectory.boolValue else {
                throw UsageError(description: "--publish: no directory \(directory); create it first (the web server "
                                 + "serves it)")
            }
            options.publishDirectory = directory
        }
        return .run(options)
    }

    static func readConfig(_ path: String) throws -> [String: String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw UsageError(description: "cannot read config file \(path)")
        }
        let known = ["data", "socket", "zone", "socket_mode", "socket_group", "synchronous", "sendmail", "test_clock",
                     "metrics_file", "publish"]
        var settings: [String: String] = [:]
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, known.contains(parts[0]) else {
                throw UsageError(description: "\(path):\(number + 1): expected 'key = value' with a key among \(known.joined(separator: ", "))")
            }
            settings[parts[0]] = parts[1]
        }
        return settings
    }

    public var resolvedSocketPath: String { socketPath ?? (dataDirectory as NSString).appendingPathComponent("opsd.sock") }
    public var databasePath: String { (dataDirectory as NSString).appendingPathComponent("ops.db") }
}
