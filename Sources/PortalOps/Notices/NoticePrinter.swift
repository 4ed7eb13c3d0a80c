import Foundation
import OpsProtocol
import SQLite

/// Prints a notice's HTML to an A4 PDF with the configured command
/// (policy `notice.pdf_command`, headless Chromium by default), the way mail
/// goes through sendmail: the console lays the page out, a real browser
/// prints it and embeds the fonts (Liberation Serif, metric-compatible with
/// Times New Roman). Takes seconds, so it runs in a job, off the writer.
public struct NoticePrinter: Sendable {
    /// `--js-flags=--jitless`: the shipped systemd unit sets
    /// MemoryDenyWriteExecute=yes, under which V8's JIT cannot reserve its
    /// code range and Chromium dies ("V8 process OOM"); notices hold no script,
    /// and without the JIT it prints (checked under prctl(PR_SET_MDWE)).
    /// HOME is the scratch directory: the service's own home is read-only.
    public static let defaultCommand = "HOME={dir} chromium --headless --no-sandbox --disable-gpu "
        + "--no-pdf-header-footer --js-flags=--jitless --user-data-dir={dir}/profile --print-to-pdf={pdf} "
        + "file://{html}"

    let command: String
    let timeoutMilliseconds: Int64
    let environment: any JobEnvironment

    static func load(_ db: Connection, environment: any JobEnvironment) throws -> NoticePrinter {
        let policies = PolicyStore(db)
        return NoticePrinter(command: try policies.value(.noticePDFCommand),
                             timeoutMilliseconds: try policies.milliseconds(.noticePDFTimeout),
                             environment: environment)
    }

    /// The PDF of `html`. Its scratch directory is removed whatever happens.
    func print(_ html: String) throws -> [UInt8] {
        try PrintingDirectory.with(environment, to: "print the notice") { directory in
            let files = FileManager.default
            let htmlPath = directory + "/thong-bao.html", pdfPath = directory + "/thong-bao.pdf"
            guard files.createFile(atPath: htmlPath, contents: Data(html.utf8)) else {
                throw OpsError.internalError("cannot write \(htmlPath) to print the notice")
            }
            let line = command.replacingOccurrences(of: "{html}", with: Shell.quoted(htmlPath))
                .replacingOccurrences(of: "{pdf}", with: Shell.quoted(pdfPath))
                .replacingOccurrences(of: "{dir}", with: Shell.quoted(directory))
            do {
                try environment.run(line, stdinFile: nil, stdoutFile: nil,
                                    timeoutMilliseconds: timeoutMilliseconds)
            } catch let error as OpsError {
                throw OpsError.refused("printing the notice to PDF failed (policy notice.pdf_command): "
                                       + error.message)
            }
            guard let pdf = files.contents(atPath: pdfPath), pdf.starts(with: Array("%PDF-".utf8)) else {
                throw OpsError.refused("the print command (policy notice.pdf_command) wrote no PDF to {pdf}")
            }
            return [UInt8](pdf)
        }
    }
}
