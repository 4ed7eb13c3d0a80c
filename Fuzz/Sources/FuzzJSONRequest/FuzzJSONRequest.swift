import FuzzSupport
import Foundation
@testable import OpsClient
import OpsProtocol

/// One line off opsd's socket, decoded as Admission decodes it: JSON, then a Request, then the command's
/// arguments validated against its spec (the same catalog opsctl carries). Invariants: nothing but a typed
/// error comes out, and the canonical writer's text parses back to a value that writes the same text
/// (the audit chain hashes that text, so it must be a fixed point).
@_cdecl("FuzzJSONRequest_main")
public func fuzzJSONRequestMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    Fuzzer.run(argc, argv, fuzzJSONRequest)
}

private let time = LocalTime(zone: TimeZone(identifier: LocalTime.defaultZoneIdentifier) ?? .gmt)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONRequest(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Fuzzer.bytes(data, size)
    guard bytes.count <= Request.maximumBytes, let json = try? JSON.parse(bytes) else { return 0 }
    let text = json.serialized()
    guard let again = try? JSON.parse(text) else {
        Fuzzer.require(false, "the writer's text does not parse: \(text)")
        return 0
    }
    Fuzzer.require(again.serialized() == text, "written twice, the text changed: \(text) → \(again.serialized())")
    guard let request = try? Request(json: json), let spec = ClientCatalog.shared.command(request.command) else {
        return 0
    }
    do {
        _ = try spec.validate(request.arguments, time: time)
    } catch is OpsError {
    } catch {
        Fuzzer.require(false, "validation threw \(type(of: error)), not an OpsError: \(error)")
    }
    return 0
}
