import FuzzSupport
import Foundation
import OpsProtocol
@testable import PortalOps

/// CSV import: the input is a file as `recipient import` receives it. Invariants: the reader and the
/// recipient import answer with records or a typed error; and what the reader returned, written back by
/// `CSV.format` (the exports' writer), reads back as the same fields, a formula-looking value behind a `'`.
@_cdecl("FuzzCSV_main")
public func fuzzCSVMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    Fuzzer.run(argc, argv, fuzzCSV)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: Fuzzer.bytes(data, size), as: UTF8.self)
    do {
        _ = try RecipientImport.parse(text)
    } catch is OpsError {
    } catch {
        Fuzzer.require(false, "recipient import threw \(type(of: error)), not an OpsError: \(error)")
    }
    guard let records = try? CSV.parse(text) else { return 0 }
    // A record of one empty unquoted field is a blank line, which the reader skips: leave those out.
    let rows = records.map(\.fields).filter { $0 != [""] }
    let written = CSV.format(rows)
    guard let reread = try? CSV.parse(written) else {
        Fuzzer.require(false, "CSV.format wrote text its reader refuses: \(written.debugDescription)")
        return 0
    }
    let expected = rows.map { fields in
        fields.map { field in
            // A leading U+FEFF is guarded too: first in the file, a reader would drop it as a byte-order mark.
            let formula = field.unicodeScalars.first.map { "=+-@\t\r\u{FEFF}".unicodeScalars.contains($0) } ?? false
            return formula ? "'" + field : field
        }
    }
    Fuzzer.require(reread.map(\.fields) == expected,
                   "written and read back, the rows changed: \(rows) → \(reread.map(\.fields))")
    return 0
}
