import OpsProtocol
import Foundation

/// Renders an outgoing message as an RFC 5322 / MIME mail for a
/// sendmail-compatible command: UTF-8 everywhere, headers as RFC 2047
/// encoded words, bodies in base64 (safe for any transport), an HTML
/// alternative and attachments as multipart. Lines end in LF, as the local
/// sendmail interface expects; the MTA turns them into CRLF on the wire.
public struct MailMessage {
    public let from: MailAddress
    public let to: MailAddress
    /// UTC milliseconds, shown in `time`'s zone.
    public let date: Int64
    public let time: LocalTime
    /// The delivery's stable token: the Message-ID is built from it, so a
    /// retried send carries the same Message-ID and can be dropped as a repeat.
    public let token: String
    public let message: OutgoingMessage

    public init(from: MailAddress, to: MailAddress, date: Int64, time: LocalTime, token: String, message: OutgoingMessage) {
        self.from = from
        self.to = to
        self.date = date
        self.time = time
        self.token = token
        self.message = message
    }

    public var messageID: String { "<\(token)@\(from.domain)>" }

    public func rendered() -> String {
        var headers = [
            "From: \(from.header)",
            "To: \(to.header)",
            "Subject: \(Self.encodedWords(Self.oneLine(message.subject), prefixLength: 9))",
            "Date: \(time.rfc5322(date))",
            "Message-ID: \(messageID)",
            "MIME-Version: 1.0",
            "Auto-Submitted: auto-generated",
            "X-PortalOps-Delivery: \(token)",
        ]
        let body: MIMEPart
        let text = MIMEPart.text(message.text, subtype: "plain")
        let readable = message.html.map { MIMEPart.multipart("alternative", [text, .text($0, subtype: "html")], boundary: boundary("alt")) } ?? text
        if message.attachments.isEmpty {
            body = readable
        } else {
            body = .multipart("mixed", [readable] + message.attachments.map(MIMEPart.attachment), boundary: boundary("mix"))
        }
        headers += body.headers
        return headers.joined(separator: "\n") + "\n\n" + body.body
    }

    /// Header text on one line: CR, LF and every other control become a
    /// space before encoding, so not even a decoded encoded word holds a
    /// line end a mail program could take for the start of a header.
    static func oneLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map {
            $0.value < 0x20 || (0x7F...0x9F).contains($0.value) ? " " : $0
        }))
    }

    private func boundary(_ name: String) -> String { "=_portalops_\(name)_\(token)" }

    /// RFC 2047 `=?UTF-8?B?…?=` words, each at most 75 characters, folded
    /// onto continuation lines; plain ASCII without specials stays as it is.
    public static func encodedWords(_ text: String, prefixLength: Int = 0, alwaysEncode: Bool = false) -> String {
        let bytes = Array(text.utf8)
        let plain = !alwaysEncode && bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F } && !text.contains("=?")
            && text.count + prefixLength <= 78
        if plain { return text }
        var words: [String] = []
        var chunk: [UInt8] = []
        // 45 bytes encode to 60 base64 characters: with "=?UTF-8?B?" and
        // "?=" a word stays within 75. Characters are never split.
        for character in text {
            let encoded = Array(String(character).utf8)
            if chunk.count + encoded.count > 45 {
                words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=")
                chunk = []
            }
            chunk += encoded
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=") }
        return words.joined(separator: "\n ")
    }
}

/// A mailbox: an address with an optional display name.
public struct MailAddress: Sendable, Equatable {
    public let name: String?
    public let address: String

    public init(name: String?, address: String) {
        self.name = name
        self.address = address
    }

    /// Parses `Name <addr@domain>` or a bare `addr@domain`.
    public static func parse(_ text: String) throws -> MailAddress {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let open = trimmed.lastIndex(of: "<"), trimmed.hasSuffix(">") {
            let address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            let name = trimmed[..<open].trimmingCharacters(in: CharacterSet(charactersIn: " \""))
            return MailAddress(name: name.isEmpty ? nil : name, address: try Addresses.checkEmail(address))
        }
        return MailAddress(name: nil, address: try Addresses.checkEmail(trimmed))
    }

    public var domain: String { address.split(separator: "@").last.map(String.init) ?? "localhost" }

    public var header: String {
        guard let raw = name, !raw.isEmpty else { return address }
        let name = MailMessage.oneLine(raw)
        // Anything but a short plain name is encoded: a long one would make a header line over RFC 5322's
        // 998 octets, one holding "=?" would be decoded by readers as an encoded word it is not, and one with
        // a special (a comma) would read as more than one address (found by scripts/fuzz.sh).
        let simple = name.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F } && !name.contains(where: { "\"\\<>()[]:;@,.".contains($0) })
            && !name.contains("=?") && name.utf8.count <= 64
        return (simple ? name : MailMessage.encodedWords(name, alwaysEncode: true)) + " <\(address)>"
    }
}

/// One MIME entity: its headers and its encoded body.
enum MIMEPart {
    case text(String, subtype: String)
    case multipart(String, [MIMEPart], boundary: String)
    case attachment(OutgoingMessage.Attachment)

    var headers: [String] {
        switch self {
        case .text(_, let subtype):
            return ["Content-Type: text/\(subtype); charset=utf-8", "Content-Transfer-Encoding: base64"]
        case .multipart(let subtype, _, let boundary):
            return ["Content-Type: multipart/\(subtype); boundary=\"\(boundary)\""]
        case .attachment(let file):
            let ascii = String(file.filename.unicodeScalars.map {
                (0x20..<0x7F).contains($0.value) && $0 != "\"" && $0 != "\\" ? Character($0) : "_"
            })
            let encoded = file.filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ascii
            return ["Content-Type: \(file.contentType); name=\"\(ascii)\"",
                    "Content-Transfer-Encoding: base64",
                    "Content-Disposition: attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"]
        }
    }

    var body: String {
        switch self {
        case .text(let text, _):
            return Self.base64Lines(Array(text.utf8))
        case .attachment(let file):
            return Self.base64Lines(file.content)
        case .multipart(_, let parts, let boundary):
            let inner = parts.map { part in
                "--\(boundary)\n" + part.headers.joined(separator: "\n") + "\n\n" + part.body
            }.joined()
            return "This is a MIME message.\n\n" + inner + "--\(boundary)--\n"
        }
    }

    /// Base64 in lines of 76 characters (RFC 2045), each ending in a newline.
    static func base64Lines(_ bytes: [UInt8]) -> String {
        let encoded = Data(bytes).base64EncodedString(options: [.lineLength76Characters, .endLineWithLineFeed])
        return encoded.isEmpty ? "\n" : encoded + "\n"
    }
}
