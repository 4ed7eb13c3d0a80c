import OpsProtocol
import PortalOps

/// Hands a rendered mail to the configured sendmail-compatible command
/// (`sendmail -t -i`, msmtp, postfix…), which reads the recipients from the
/// headers. A non-zero exit is a failure carrying the command's stderr.
struct SendmailTransport: Sendable {
    let command: String

    func send(_ mail: String, timeoutMilliseconds: Int64) -> Outbox.Outcome {
        do {
            let result = try ChildProcess.shell(command, input: Array(mail.utf8), timeoutMilliseconds: timeoutMilliseconds)
            if result.timedOut {
                return .failed(error: "the sendmail command did not finish within \(DurationText.milliseconds(timeoutMilliseconds)) and was killed with its process group")
            }
            if let signal = result.signal {
                return .failed(error: "the sendmail command was killed by signal \(signal)")
            }
            if result.status == 0 {
                return .sent(detail: "accepted by '\(command)'")
            }
            let stderr = result.stderrText.isEmpty ? "no message" : String(result.stderrText.prefix(500))
            return .failed(error: "the sendmail command exited \(result.status ?? -1): \(stderr)")
        } catch {
            return .failed(error: "cannot run the sendmail command '\(command)': \(error)")
        }
    }
}
