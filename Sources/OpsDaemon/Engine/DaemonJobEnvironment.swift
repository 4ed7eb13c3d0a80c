import OpsProtocol
import PortalOps

/// What jobs get from the daemon: running dump, check and restore commands
/// in their own process group with a timeout, and the data directory.
struct DaemonJobEnvironment: JobEnvironment {
    let dataDirectory: String
    /// The probes `check run` uses, the same the prober schedules.
    var prober: (any CheckProber)?

    func run(_ command: String, stdinFile: String?, stdoutFile: String?, timeoutMilliseconds: Int64) throws {
        // Redirections are the shell's: no dump ever passes through opsd's memory.
        var line = "(\(command))"
        line += " < " + (stdinFile.map(Shell.quoted) ?? "/dev/null")
        if let stdoutFile { line += " > " + Shell.quoted(stdoutFile) } else { line += " > /dev/null" }
        let result = try ChildProcess.shell(line, input: [], timeoutMilliseconds: timeoutMilliseconds)
        // The command may carry a password (PGPASSWORD=…): errors name it redacted,
        // since they reach the backup's record, the audit trail and non-admin screens.
        let command = Redaction.redact(command)
        if result.timedOut {
            throw OpsError.refused("'\(command)' did not finish within \(DurationText.milliseconds(timeoutMilliseconds)) and was stopped")
        }
        if result.stoppedByShutdown {
            throw OpsError.refused("'\(command)' was stopped: opsd is shutting down")
        }
        guard result.status == 0 else {
            let stderr = result.stderrText.isEmpty ? "no message" : String(result.stderrText.prefix(500))
            throw OpsError.refused("'\(command)' exited \(result.status.map(String.init) ?? "by a signal"): \(stderr)")
        }
    }
}
