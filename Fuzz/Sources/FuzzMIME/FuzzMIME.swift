import FuzzSupport
import Foundation
import OpsProtocol
@testable import PortalOps

/// The mail writer as a round trip: a message whose subject, recipient name, text, HTML and attachment come
/// from the input is rendered as opsd hands it to sendmail, then read back as a mail reader would.
/// Invariants: the header holds exactly the fields written (no input starts a header: no injection), no CR,
/// no line over RFC 5322's 998 octets; Subject and the recipient's name decode (RFC 2047) to the text given,
/// controls as spaces; every MIME part's body decodes to the bytes given; the attachment's filename* decodes
/// to its name.
@_cdecl("FuzzMIME_main")
public func fuzzMIMEMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    Fuzzer.run(argc, argv, fuzzMIME)
}

private let time = LocalTime(zone: TimeZone(identifier: LocalTime.defaultZoneIdentifier) ?? .gmt)
private let from = MailAddress(name: "Cổng dịch vụ công", address: "portal@example.vn")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMIME(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Fuzzer.bytes(data, size)
    let f = Fuzzer.fields(bytes, count: 6)
    let (subject, name, text, html) = (f[0], f[1], f[2], f[3])
    // Attachment names are the console's own (`07-TB-STTTT.pdf`, `thong-bao.html`), never long.
    let filename = String(String.UnicodeScalarView(f[4].unicodeScalars.prefix(40)))
    let content = Array(f[5].utf8)
    let attachments = filename.isEmpty ? [] : [OutgoingMessage.Attachment(filename: filename,
                                                                          contentType: "application/pdf",
                                                                          content: content)]
    let message = OutgoingMessage(kind: "test", subject: subject, text: text, html: html.isEmpty ? nil : html,
                                  attachments: attachments)
    let mail = MailMessage(from: from, to: MailAddress(name: name.isEmpty ? nil : name, address: "an@example.vn"),
                           date: 1_800_000_000_000 + Int64(size) * 86_400_000, time: time, token: "d-42-7f3a",
                           message: message)
    let top = Entity(mail.rendered())
    var expected = ["From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Auto-Submitted",
                    "X-PortalOps-Delivery", "Content-Type"]
    if html.isEmpty && attachments.isEmpty { expected.append("Content-Transfer-Encoding") }
    Fuzzer.require(top.fields.map(\.name) == expected, "the header fields are \(top.fields.map(\.name))")
    Fuzzer.require(top["Subject"].map(decodedWords) == MailMessage.oneLine(subject),
                   "Subject reads back as \(String(describing: top["Subject"].map(decodedWords)))")
    let to = top["To"] ?? ""
    let shownName = to == "an@example.vn" ? "" : decodedWords(String(to.dropLast(" <an@example.vn>".count)))
    Fuzzer.require((to == "an@example.vn" || to.hasSuffix(" <an@example.vn>"))
                   && shownName == MailMessage.oneLine(name),
                   "To reads back as \(to.debugDescription), name \(shownName.debugDescription)")
    // A name left unencoded must read as one plain phrase: no special would split or end it.
    let phrase = String(to.dropLast(" <an@example.vn>".count))
    Fuzzer.require(to == "an@example.vn" || phrase.hasPrefix("=?UTF-8?B?")
                   || !phrase.contains(where: { "\"\\<>()[]:;@,".contains($0) }),
                   "To holds an unencoded special: \(to.debugDescription)")
    var leaves: [[UInt8]] = [Array(text.utf8)]
    if !html.isEmpty { leaves.append(Array(html.utf8)) }
    if !attachments.isEmpty { leaves.append(content) }
    let found = top.leaves()
    Fuzzer.require(found.map(\.body) == leaves, "the parts decode to \(found.map(\.body)), not \(leaves)")
    if let attachment = found.last, !attachments.isEmpty {
        let disposition = attachment.entity["Content-Disposition"] ?? ""
        let encoded = disposition.components(separatedBy: "filename*=UTF-8''").last ?? ""
        Fuzzer.require(encoded.removingPercentEncoding == filename, "filename* reads back as \(encoded)")
    }
    return 0
}

/// One MIME entity read back: its header fields (unfolded) and its body.
private struct Entity {
    var fields: [(name: String, value: String)] = []
    let body: String

    init(_ text: String) {
        let split = text.range(of: "\n\n")
        let header = split.map { String(text[..<$0.lowerBound]) } ?? text
        body = split.map { String(text[$0.upperBound...]) } ?? ""
        Fuzzer.require(!header.utf8.contains(0x0D), "a CR in the header: \(header.debugDescription)")
        for line in header.components(separatedBy: "\n") {
            Fuzzer.require(line.utf8.count <= 998, "a header line of \(line.utf8.count) octets")
            if line.hasPrefix(" ") || line.hasPrefix("\t"), !fields.isEmpty {
                fields[fields.count - 1].value += line
                continue
            }
            guard let colon = line.range(of: ": ") else {
                Fuzzer.require(false, "a header line that is no field: \(line.debugDescription)")
                continue
            }
            let name = String(line[..<colon.lowerBound])
            Fuzzer.require(!name.isEmpty && name.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0 == "-" }
                           && name.utf8.allSatisfy { $0 < 0x80 }, "a field name \(name.debugDescription)")
            fields.append((name, String(line[colon.upperBound...])))
        }
    }

    subscript(name: String) -> String? { fields.first { $0.name == name }?.value }

    /// The decoded bodies of the leaf parts, in order.
    func leaves() -> [(entity: Entity, body: [UInt8])] {
        let type = self["Content-Type"] ?? ""
        guard type.hasPrefix("multipart/") else {
            Fuzzer.require(self["Content-Transfer-Encoding"] == "base64", "a part not in base64: \(type)")
            let decoded = Data(base64Encoded: body.replacingOccurrences(of: "\n", with: ""))
            Fuzzer.require(decoded != nil, "a body that is not base64: \(body.debugDescription)")
            return [(self, decoded.map { [UInt8]($0) } ?? [])]
        }
        let boundary = type.components(separatedBy: "boundary=\"").last?.dropLast() ?? ""
        var parts: [String] = []
        var current: [String]?
        var closed = false
        for line in body.components(separatedBy: "\n") {
            if line == "--\(boundary)" || line == "--\(boundary)--" {
                if let current { parts.append(current.joined(separator: "\n")) }
                if line == "--\(boundary)--" { closed = true; break }
                current = []
            } else {
                current?.append(line)
            }
        }
        Fuzzer.require(closed, "multipart without its closing boundary")
        return parts.flatMap { Entity($0).leaves() }
    }
}

/// A header value as a reader shows it: RFC 2047 `=?UTF-8?B?…?=` words decoded and joined (white space between
/// encoded words is not shown); any other value as it stands.
private func decodedWords(_ value: String) -> String {
    let words = value.split(separator: " ", omittingEmptySubsequences: true)
    let encoded = !words.isEmpty && words.allSatisfy { $0.hasPrefix("=?UTF-8?B?") && $0.hasSuffix("?=") }
    guard encoded else { return value }
    var bytes: [UInt8] = []
    for word in words {
        let base64 = word.dropFirst("=?UTF-8?B?".count).dropLast(2)
        guard let data = Data(base64Encoded: String(base64)) else { return value }
        bytes += data
    }
    return String(decoding: bytes, as: UTF8.self)
}
