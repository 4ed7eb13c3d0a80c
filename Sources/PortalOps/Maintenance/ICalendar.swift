import OpsProtocol
import Foundation

/// The maintenance calendar as iCalendar (RFC 5545): one VEVENT per window
/// with a stable UID, SEQUENCE raised on every change, STATUS:CANCELLED for
/// cancelled windows, times in the configured zone with its VTIMEZONE.
struct ICalendar {
    let time: LocalTime

    func render(_ windows: [MaintenanceWindow], componentNames: [String: String], stamp: Int64, portal: String) -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//PortalOps//Maintenance calendar//VI", "CALSCALE:GREGORIAN",
                     "METHOD:PUBLISH", "X-WR-CALNAME:\(escape("Lịch bảo trì – \(portal)"))", "X-WR-TIMEZONE:\(time.zone.identifier)"]
        lines += timezone()
        for w in windows {
            let status = switch w.state {
            case .cancelled: "CANCELLED"
            case .planned: "TENTATIVE"
            default: "CONFIRMED"
            }
            let names = w.components.map { componentNames[$0] ?? $0 }.joined(separator: ", ")
            var description = "\(w.title)\nDịch vụ bị ảnh hưởng: \(names)"
            if let impact = w.impact { description += "\n\(impact)" }
            if let advice = w.advice { description += "\n\(advice)" }
            lines += ["BEGIN:VEVENT",
                      "UID:\(w.ref.lowercased())@portalops",
                      "DTSTAMP:\(utc(stamp))",
                      "DTSTART;TZID=\(time.zone.identifier):\(local(w.start))",
                      "DTEND;TZID=\(time.zone.identifier):\(local(w.end))",
                      "SEQUENCE:\(w.revision)",
                      "STATUS:\(status)",
                      "SUMMARY:\(escape("[\(w.ref)] \(w.title)"))",
                      "DESCRIPTION:\(escape(description))",
                      "CATEGORIES:\(w.kind.rawValue.uppercased())",
                      "TRANSP:OPAQUE",
                      "END:VEVENT"]
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// A fixed-offset VTIMEZONE for the configured zone (Asia/Ho_Chi_Minh has
    /// had no daylight saving since 1975).
    private func timezone() -> [String] {
        let offset = LocalTime.offsetText(time.zone.secondsFromGMT()).replacingOccurrences(of: ":", with: "")
        return ["BEGIN:VTIMEZONE", "TZID:\(time.zone.identifier)", "BEGIN:STANDARD", "DTSTART:19700101T000000",
                "TZOFFSETFROM:\(offset)", "TZOFFSETTO:\(offset)", "TZNAME:\(time.zone.abbreviation() ?? offset)",
                "END:STANDARD", "END:VTIMEZONE"]
    }

    private func local(_ ms: Int64) -> String {
        let p = time.parts(ms)
        let seconds = Int((ms / 1000) % 60)
        return String(format: "%04d%02d%02dT%02d%02d%02d", p.year, p.month, p.day, p.hour, p.minute, seconds)
    }

    private func utc(_ ms: Int64) -> String {
        let utc = LocalTime(zone: TimeZone(secondsFromGMT: 0)!)
        let p = utc.parts(ms)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", p.year, p.month, p.day, p.hour, p.minute, Int((ms / 1000) % 60))
    }

    /// TEXT escaping (RFC 5545 §3.3.11). CRLF, CR alone and LF alone all
    /// become `\\n`: a bare CR is a line end to many readers and would start
    /// a new property. Other controls (TEXT allows only tab) become U+FFFD.
    /// CRLF is matched scalar by scalar: Foundation's replacingOccurrences missed a CRLF followed by a
    /// combining mark, which then read as two line ends (found by scripts/fuzz.sh).
    func escape(_ text: String) -> String {
        var out = ""
        var afterCR = false
        for scalar in text.unicodeScalars {
            defer { afterCR = scalar == "\r" }
            if scalar == "\n" && afterCR { continue }
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n", "\r": out += "\\n"
            case "\t": out.unicodeScalars.append(scalar)
            default:
                let control = scalar.value < 0x20 || scalar.value == 0x7F
                if control { out += "\u{FFFD}" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// Lines longer than 75 octets are folded (§3.1) between Unicode scalars, never inside one's UTF-8 bytes.
    /// Not only between Characters: one Character (a letter with many combining marks) can itself be longer
    /// than 75 octets (found by scripts/fuzz.sh); unfolding joins the marks back to their letter.
    private func fold(_ line: String) -> String {
        var out = String.UnicodeScalarView()
        var octets = 0
        for scalar in line.unicodeScalars {
            let size = UTF8.width(scalar)
            if octets + size > 75 {
                out.append(contentsOf: "\r\n ".unicodeScalars)
                octets = 1
            }
            out.append(scalar)
            octets += size
        }
        return String(out)
    }
}
