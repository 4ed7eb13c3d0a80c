import FuzzSupport
import Foundation
import OpsProtocol
@testable import PortalOps

/// The maintenance calendar (RFC 5545) as a round trip: a window built from fuzzed text is rendered, then read
/// back with the RFC's own rules. Invariants: lines end in CRLF and nothing else breaks a line; no line is
/// longer than 75 octets (§3.1); unfolded, the calendar has exactly the properties written (no text starts a
/// property or a component); SUMMARY, DESCRIPTION and X-WR-CALNAME unescape (§3.3.11) to the text given,
/// line ends as one newline and other controls as U+FFFD.
@_cdecl("FuzzICalendar_main")
public func fuzzICalendarMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    Fuzzer.run(argc, argv, fuzzICalendar)
}

private let time = LocalTime(zone: TimeZone(identifier: LocalTime.defaultZoneIdentifier) ?? .gmt)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzICalendar(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let f = Fuzzer.fields(Fuzzer.bytes(data, size), count: 5)
    let (title, impact, advice, portal, component) = (f[0], f[1], f[2], f[3], f[4])
    let start: Int64 = 1_800_000_000_000 + Int64(size) * 60_000
    let window = MaintenanceWindow(
        id: 1, ref: "MW-2026-0007", title: title, kind: .maintenance, state: .announced, start: start,
        end: start + 3_600_000, components: ["payment"], groups: [], impact: impact.isEmpty ? nil : impact,
        advice: advice.isEmpty ? nil : advice, emergency: false, reason: nil, approvedBy: nil,
        inServiceHours: false, actualStart: nil, actualEnd: nil, reminderSentAt: nil, revision: 2,
        createdAt: 0, createdBy: "admin")
    let calendar = ICalendar(time: time).render([window], componentNames: ["payment": component], stamp: start,
                                                portal: portal)
    Fuzzer.require(calendar.hasSuffix("\r\n"), "the calendar does not end in CRLF")
    let physical = Array(calendar.utf8).split(separator: 0x0A, omittingEmptySubsequences: false).dropLast()
    for line in physical {
        Fuzzer.require(line.last == 0x0D, "a line ends in a bare LF")
        Fuzzer.require(!line.dropLast().contains(0x0D), "a bare CR inside a line")
        Fuzzer.require(line.count - 1 <= 75,
                       "a line of \(line.count - 1) octets: \(String(decoding: line, as: UTF8.self))")
    }
    // Unfolded octet by octet, as readers do: a fold before a combining mark is no "\r\n " Character.
    var octets: [UInt8] = []
    for byte in calendar.utf8 {
        if byte == 0x20, octets.suffix(2) == [0x0D, 0x0A] { octets.removeLast(2) } else { octets.append(byte) }
    }
    let lines = String(decoding: octets, as: UTF8.self).components(separatedBy: "\r\n").dropLast()
    // By scalar: a combining mark after ':' makes one Character of the two, and readers work on octets.
    let names = lines.map { line in
        String(String.UnicodeScalarView(line.unicodeScalars.prefix { $0 != ":" && $0 != ";" }))
    }
    Fuzzer.require(names == expectedNames, "the properties are \(names), not \(expectedNames)")
    func value(_ name: String) -> String {
        let line = lines.first { $0.unicodeScalars.starts(with: (name + ":").unicodeScalars) } ?? ""
        return unescape(String(String.UnicodeScalarView(line.unicodeScalars.dropFirst(name.unicodeScalars.count + 1))))
    }
    var description = "\(title)\nDịch vụ bị ảnh hưởng: \(component)"
    if !impact.isEmpty { description += "\n\(impact)" }
    if !advice.isEmpty { description += "\n\(advice)" }
    for (name, given) in [("SUMMARY", "[MW-2026-0007] \(title)"), ("DESCRIPTION", description),
                          ("X-WR-CALNAME", "Lịch bảo trì – \(portal)")] {
        Fuzzer.require(value(name) == readable(given), "\(name) reads back as \(value(name).debugDescription), "
                       + "given \(given.debugDescription)")
    }
    return 0
}

private let expectedNames = [
    "BEGIN", "VERSION", "PRODID", "CALSCALE", "METHOD", "X-WR-CALNAME", "X-WR-TIMEZONE",
    "BEGIN", "TZID", "BEGIN", "DTSTART", "TZOFFSETFROM", "TZOFFSETTO", "TZNAME", "END", "END",
    "BEGIN", "UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "STATUS", "SUMMARY", "DESCRIPTION", "CATEGORIES",
    "TRANSP", "END", "END",
]

/// RFC 5545 §3.3.11 TEXT, read: `\\`, `\;`, `\,`, `\n` or `\N`; a backslash before anything else is an error.
private func unescape(_ text: String) -> String {
    var out = String.UnicodeScalarView()
    var escaped = false
    for scalar in text.unicodeScalars {
        if escaped {
            switch scalar {
            case "\\", ";", ",": out.append(scalar)
            case "n", "N": out.append("\n")
            default: Fuzzer.require(false, "a stray escape \\\(scalar) in \(text.debugDescription)")
            }
            escaped = false
        } else if scalar == "\\" {
            escaped = true
        } else {
            Fuzzer.require(scalar != ";" && scalar != ",", "an unescaped '\(scalar)' in \(text.debugDescription)")
            out.append(scalar)
        }
    }
    Fuzzer.require(!escaped, "a dangling backslash in \(text.debugDescription)")
    return String(out)
}

/// What a reader should see of `text`: each line end (CRLF, CR or LF) one newline; tab kept; other controls U+FFFD.
private func readable(_ text: String) -> String {
    var out = String.UnicodeScalarView()
    var previousCR = false
    for scalar in text.unicodeScalars {
        defer { previousCR = scalar == "\r" }
        if scalar == "\n" && previousCR { continue }
        if scalar == "\r" || scalar == "\n" { out.append("\n"); continue }
        let control = (scalar.value < 0x20 && scalar != "\t") || scalar.value == 0x7F
        out.append(control ? "\u{FFFD}" : scalar)
    }
    return String(out)
}
