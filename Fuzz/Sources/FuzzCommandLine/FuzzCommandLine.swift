import FuzzSupport
import Foundation
@testable import OpsClient
import OpsProtocol

/// opsctl's command line: the input cut at NUL bytes is argv. Invariants: the parser answers with an
/// invocation or an OpsError, never anything else; what it would send validates or is refused with an OpsError
/// (as opsd would); help renders for any topic it returns; the request's JSON survives the wire.
@_cdecl("FuzzCommandLine_main")
public func fuzzCommandLineMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    Fuzzer.run(argc, argv, fuzzCommandLine)
}

private let time = LocalTime(zone: TimeZone(identifier: LocalTime.defaultZoneIdentifier) ?? .gmt)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCommandLine(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Fuzzer.bytes(data, size)
    let argv = bytes.isEmpty ? [] : Fuzzer.fields(bytes, count: 0)
    let parsed: CommandLineParser.Result
    do {
        parsed = try CommandLineParser().parse(argv)
    } catch is OpsError {
        return 0
    } catch {
        Fuzzer.require(false, "the parser threw \(type(of: error)), not an OpsError: \(error)")
        return 0
    }
    switch parsed.invocation {
    case .version:
        break
    case .help(let topic):
        if let topic, let spec = ClientCatalog.shared.command(topic) {
            _ = HelpPrinter.command(spec)
        } else if let topic {
            _ = HelpPrinter.noun(topic)
        }
    case .run(let command, let arguments):
        guard let spec = ClientCatalog.shared.command(command) else {
            Fuzzer.require(false, "the parser returned '\(command)', which the catalog does not hold")
            return 0
        }
        let request = Request(command: command, arguments: arguments)
        let line = request.json.serialized()
        Fuzzer.require(!line.utf8.contains(0x0A), "a request line holds a newline: \(line)")
        let received = try? Request(json: JSON.parse(line))
        Fuzzer.require(received == request, "the request changed on the wire: \(line)")
        do {
            _ = try spec.validate(arguments, time: time)
        } catch is OpsError {
        } catch {
            Fuzzer.require(false, "validation threw \(type(of: error)), not an OpsError: \(error)")
        }
    }
    return 0
}
