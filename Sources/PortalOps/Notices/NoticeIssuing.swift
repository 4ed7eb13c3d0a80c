import Foundation
import OpsProtocol
import SQLite

/// Runs a command that issues a notice as a job, so that printing its PDF
/// (seconds, in another program) happens off the writer.
///
/// The handler runs twice. On the writer, in a savepoint that is rolled back,
/// a rehearsal does every check and renders the notice exactly as it would be
/// issued, number included; the job prints that HTML to PDF; back on the
/// writer the handler runs for real, and the notice is issued only if it
/// renders to the very HTML that was printed. If anything changed meanwhile
/// (another notice took the number) the command is refused and changes
/// nothing: run it again. A handler that ends up issuing no notice (a
/// window never announced is cancelled) simply runs once.
public enum NoticeIssuing {
    /// What issuing does with the PDF during the current command.
    final class Session: @unchecked Sendable {
        enum Mode { case rehearsal, printed(html: String, pdf: [UInt8]) }
        let mode: Mode
        /// The HTML the rehearsal rendered (written on the writer's thread only).
        var rehearsedHTML: String?
        init(_ mode: Mode) { self.mode = mode }
    }

    /// Task-local so that the handlers keep their plain signature; read only
    /// by `pdf(for:)` during one command on the writer.
    @TaskLocal static var session: Session?

    private struct Rehearsed: Error {}

    /// The PDF to freeze with a notice rendered to `html`: what the job
    /// printed, checked to be of this very HTML.
    public static func pdf(for html: String) throws -> [UInt8] {
        guard let session else {
            throw OpsError.internalError("a notice is issued only by a command declared with NoticeIssuing.job")
        }
        switch session.mode {
        case .rehearsal:
            session.rehearsedHTML = html
            return []
        case .printed(let printed, let pdf):
            guard printed == html else {
                throw OpsError.refused("the notice changed while it was printed (another notice took its number "
                                       + "or its content moved); nothing was issued: run the command again")
            }
            return pdf
        }
    }

    /// `handler` as a job that prints the notice it issues.
    public static func job(_ handler: @escaping CommandHandler) -> JobHandler {
        { context in
            let rehearsal = Session(.rehearsal)
            var rehearsed: Response?
            do {
                try context.db.transaction {
                    rehearsed = try $session.withValue(rehearsal) { try handler(context) }
                    if rehearsal.rehearsedHTML != nil { throw Rehearsed() }
                }
            } catch is Rehearsed {}
            guard let html = rehearsal.rehearsedHTML else {
                let response = rehearsed ?? Response()
                return PreparedJob(work: { _ in .null }, finish: { _, _ in response })
            }
            let printer = try NoticePrinter.load(context.db, environment: context.environment)
            return PreparedJob(
                work: { progress in
                    progress("printing the notice to PDF")
                    return .string(Data(try printer.print(html)).base64EncodedString())
                },
                finish: { context, result in
                    let pdf: [UInt8]
                    switch result {
                    case .failure(let error): return Response(error: error)
                    case .success(let json):
                        guard let data = json.stringValue.flatMap({ Data(base64Encoded: $0) }) else {
                            return Response(error: .internalError("the printed notice came back unreadable"))
                        }
                        pdf = [UInt8](data)
                    }
                    do {
                        return try context.db.transaction {
                            let response = try $session.withValue(Session(.printed(html: html, pdf: pdf))) {
                                try handler(context)
                            }
                            if let error = response.error { throw error }
                            return response
                        }
                    } catch let error as OpsError {
                        return Response(error: error)
                    }
                })
        }
    }
}
