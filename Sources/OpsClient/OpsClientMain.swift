import Foundation
@preconcurrency import Glibc
import OpsProtocol

/// The `opsctl` process: parse, send one request, print, exit with the
/// code DESIGN.md defines.
public enum OpsClientMain {
    public static func run() -> Never {
        signal(SIGPIPE, SIG_IGN)
        exit(execute(Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment))
    }

    static func execute(_ arguments: [String], environment: [String: String]) -> Int32 {
        var json = arguments.contains("--json")
        do {
            let parsed = try CommandLineParser().parse(arguments)
            json = parsed.options.json
            switch parsed.invocation {
            case .version:
                write("opsctl \(PortalOpsVersion.text)\n")
                return 0
            case .help(let topic):
                if let topic, let spec = ClientCatalog.shared.command(topic) {
                    write(HelpPrinter.command(spec))
                } else if let topic {
                    write(HelpPrinter.noun(topic))
                } else {
                    write(HelpPrinter.overview())
                }
                return 0
            case .run(let command, let rawArguments):
                // Check the shape here to fail fast; the daemon validates again
                // with its own zone and trusts nothing from us.
                let spec = ClientCatalog.shared.command(command)!
                var arguments = try FileArguments.load(rawArguments, for: spec)
                _ = try spec.validate(arguments, time: LocalTime(zone: TimeZone(secondsFromGMT: 0)!))
                let output = FileArguments.outputPath(&arguments, for: spec)
                let places = SocketLocator.candidates(flag: parsed.options.socket, environment: environment)
                let request = Request(command: command, arguments: arguments)
                let response = try SocketClient.send(request, toFirstOf: places) { progress in
                    writeError(Terminal.visible(progress) + "\n")
                }
                return render(response, json: json, outputPath: output)
            }
        } catch let error as OpsError {
            return fail(error, data: nil, json: json)
        } catch {
            return fail(.internalError("\(error)"), data: nil, json: json)
        }
    }

    private static func render(_ response: Response, json: Bool, outputPath: String?) -> Int32 {
        for warning in response.warnings { writeError("opsctl: warning: \(Terminal.visible(warning))\n") }
        if let error = response.error { return fail(error, data: response.data, json: json) }
        if let bytes = response.binaryOutput {
            guard let outputPath else {
                return fail(.usage("this output is binary; give --output FILE"), data: nil, json: json)
            }
            do {
                try Data(bytes).write(to: URL(fileURLWithPath: outputPath), options: .atomic)
            } catch {
                let reason = (error as NSError).localizedDescription
                return fail(.usage("cannot write \(outputPath): \(reason)"), data: nil, json: json)
            }
            writeError("Wrote \(outputPath) (\(bytes.count) bytes)\n")
            if !json { return 0 }
        } else if let output = response.output, let outputPath {
            do {
                try Data(output.utf8).write(to: URL(fileURLWithPath: outputPath), options: .atomic)
            } catch {
                return fail(.usage("cannot write \(outputPath): \((error as NSError).localizedDescription)"), data: nil, json: json)
            }
            writeError("Wrote \(outputPath) (\(output.utf8.count) bytes)\n")
            if !json { return 0 }
        }
        if json {
            write(response.data.pretty() + "\n")
            return 0
        }
        if let output = response.output {
            // A document on a terminal is shown safe; redirected, it is written as it is.
            write(isatty(1) == 1 ? Terminal.visible(output.replacingOccurrences(of: "\r\n", with: "\n")) : output)
            return 0
        }
        if let message = response.message { write(Terminal.visible(message) + "\n") }
        if !response.fields.isEmpty { write(TableRenderer.fields(response.fields)) }
        if let table = response.table { write(TableRenderer.table(columns: table.columns, rows: table.rows)) }
        return 0
    }

    private static func fail(_ error: OpsError, data: JSON?, json: Bool) -> Int32 {
        writeError("opsctl: \(Terminal.visible(error.message))\n")
        if json {
            var document: [String: JSON] = ["error": ["kind": .string(error.kind), "message": .string(error.message),
                                                      "exit_code": .int(Int64(error.exitCode))]]
            if let data, data != .null, data != .object([:]) { document["data"] = data }
            write(JSON.object(document).pretty() + "\n")
        }
        return error.exitCode
    }

    private static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    private static func writeError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
