import OpsProtocol
/// Lays a notice out as Decree 30/2020/NĐ-CP's sample Mẫu 1.4 ("văn bản có
/// tên loại"): parent and issuing body top left, the national title and
/// motto top right, the number, the place and date line, the type name
/// THÔNG BÁO with its subject, the content, the signature block and the
/// list of recipients. The same fields make the text and the HTML.
public struct NoticeRenderer: Sendable {
    public let document: NoticeDocument
    public let settings: NoticeSettings
    /// `07/TB-STTTT`, or nil for a draft (the number is left blank).
    public let number: String?
    public let issuedAt: Int64
    public let time: LocalTime

    public init(document: NoticeDocument, settings: NoticeSettings, number: String?, issuedAt: Int64, time: LocalTime) {
        self.document = document
        self.settings = settings
        self.number = number
        self.issuedAt = issuedAt
        self.time = time
    }

    public static let nationalTitle = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    public static let motto = "Độc lập - Tự do - Hạnh phúc"

    var numberLine: String { "Số: " + (number ?? "      /TB-\(settings.issuerCode)") }
    var dateLine: String { VietnameseDate.dateLine(place: settings.place, issuedAt, time: time) }
    var subjectLine: String { "Về việc " + document.subject }
    var archiveLine: String { "- Lưu: \(settings.archive)." }

    var bodyParagraphs: [String] {
        var paragraphs: [String] = []
        if let replaces = document.replaces {
            paragraphs.append("Thông báo này thay thế Thông báo số \(replaces.number) ngày \(replaces.date) của \(settings.issuerName).")
        }
        paragraphs += document.paragraphs
        paragraphs.append("Mọi vướng mắc xin liên hệ đường dây nóng \(settings.hotline) hoặc thư điện tử \(settings.email).")
        paragraphs.append("\(settings.issuerName) trân trọng thông báo./.")
        return paragraphs
    }

    /// No number yet: the document is a draft and says so on every page.
    var isDraft: Bool { number == nil }

    public func text() -> String {
        var lines: [String] = []
        if isDraft { lines.append("[DỰ THẢO]") }
        lines.append(settings.parentBody.uppercased())
        lines.append(settings.issuer.uppercased())
        lines.append("")
        lines.append(Self.nationalTitle)
        lines.append(Self.motto)
        lines.append("")
        // Decree 30/2020: the number and the place and date stand on one line.
        lines.append("\(numberLine)    \(dateLine)")
        lines.append("")
        if let urgency = document.urgency { lines.append("[\(urgency.mark)]") }
        lines.append("THÔNG BÁO")
        lines.append(subjectLine)
        lines.append("")
        for paragraph in bodyParagraphs {
            lines.append(paragraph)
            lines.append("")
        }
        lines.append(settings.signerAuthority.uppercased())
        if settings.signerAuthority.uppercased() != settings.signerTitle.uppercased() { lines.append(settings.signerTitle.uppercased()) }
        lines.append("")
        lines.append(settings.signerName)
        lines.append("")
        lines.append("Nơi nhận:")
        lines += document.recipientNames.map { "- \($0);" }
        lines.append(archiveLine)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The A4 page of Decree 30/2020 (Appendix I): margins 20 mm top and
    /// bottom, 30 mm left, 15 mm right; Times New Roman or its metric twin
    /// Liberation Serif; the page number centred in the top margin from page
    /// 2 on, and a draft's "DỰ THẢO" in the margin of every page (Chromium
    /// prints @page margin boxes; checked with pdftotext in the tests).
    public func html() -> String {
        func e(_ s: String) -> String { HTML.escape(s) }
        let recipients = document.recipientNames.map { "<div>- \(e($0));</div>" }.joined(separator: "\n")
        let body = bodyParagraphs.map { "<p class=\"body\">\(e($0))</p>" }.joined(separator: "\n")
        let title = settings.signerAuthority.uppercased() == settings.signerTitle.uppercased()
            ? "" : "<div class=\"title\">\(e(settings.signerTitle.uppercased()))</div>"
        let draftMark = isDraft
            ? "@top-right { content: \"DỰ THẢO\"; font-family: \"Times New Roman\", \"Liberation Serif\", serif; "
                + "font-size: 13pt; font-weight: bold; border: 1.5pt solid #000; padding: 2pt 6pt; "
                + "vertical-align: middle; }"
            : ""
        let urgency = document.urgency.map { "<div class=\"urgency\"><span>\(e($0.mark))</span></div>" } ?? ""
        return """
            <!DOCTYPE html>
            <html lang="vi">
            <head>
            <meta charset="utf-8">
            <title>Thông báo \(e(number ?? "(dự thảo)")) – \(e(document.subject))</title>
            <style>
            @page {
              size: A4; margin: 20mm 15mm 20mm 30mm;
              @top-center {
                content: counter(page); font-family: "Times New Roman", "Liberation Serif", serif; font-size: 13pt;
              }
              \(draftMark)
            }
            @page :first { @top-center { content: none; } }
            body {
              font-family: "Times New Roman", "Liberation Serif", serif; font-size: 14pt; line-height: 1.3;
              margin: 0; color: #000;
            }
            table.head { width: 100%; border-collapse: collapse; }
            table.head td { vertical-align: top; text-align: center; padding: 0; }
            .parent { font-size: 13pt; text-transform: uppercase; }
            .issuer { font-size: 13pt; font-weight: bold; text-transform: uppercase; }
            .rule-short { width: 30%; margin: 2pt auto 0; border-top: 1px solid #000; }
            .nation { font-size: 13pt; font-weight: bold; text-transform: uppercase; white-space: nowrap; }
            .motto { font-size: 14pt; font-weight: bold; display: inline-block; border-bottom: 1px solid #000; padding-bottom: 1pt; }
            table.head tr.numbering td { padding-top: 6pt; vertical-align: baseline; }
            .number { font-size: 13pt; }
            .date { font-size: 14pt; font-style: italic; }
            .urgency { margin-top: 12pt; }
            .urgency span {
              display: inline-block; border: 1.5pt solid #000; padding: 2pt 8pt; font-weight: bold; font-size: 13pt;
            }
            .type { text-align: center; font-weight: bold; font-size: 14pt; margin-top: 18pt; }
            .subject { text-align: center; margin-bottom: 12pt; }
            .subject .text { display: inline-block; font-weight: bold; font-size: 14pt; }
            .subject .rule { width: 40%; margin: 2pt auto 0; border-top: 1px solid #000; }
            p.body { text-indent: 1cm; text-align: justify; margin: 0 0 6pt; }
            table.foot { width: 100%; border-collapse: collapse; margin-top: 12pt; page-break-inside: auto; }
            table.foot td { vertical-align: top; padding: 0; }
            .recipients { font-size: 11pt; width: 50%; }
            .recipients .label { font-size: 12pt; font-weight: bold; font-style: italic; }
            .sign { text-align: center; font-weight: bold; font-size: 14pt; }
            .sign .name { margin-top: 60pt; }
            </style>
            </head>
            <body>
            <table class="head">
            <tr>
            <td style="width: 40%">
            <div class="parent">\(e(settings.parentBody.uppercased()))</div>
            <div class="issuer">\(e(settings.issuer.uppercased()))</div>
            <div class="rule-short"></div>
            </td>
            <td style="width: 60%">
            <div class="nation">\(e(Self.nationalTitle))</div>
            <div class="motto">\(e(Self.motto))</div>
            </td>
            </tr>
            <tr class="numbering">
            <td class="number">\(e(numberLine))</td>
            <td class="date">\(e(dateLine))</td>
            </tr>
            </table>
            \(urgency)
            <div class="type">THÔNG BÁO</div>
            <div class="subject"><div class="text">\(e(subjectLine))<div class="rule"></div></div></div>
            \(body)
            <table class="foot"><tr>
            <td class="recipients">
            <div class="label">Nơi nhận:</div>
            \(recipients)
            <div>\(e(archiveLine))</div>
            </td>
            <td class="sign">
            <div>\(e(settings.signerAuthority.uppercased()))</div>
            \(title)
            <div class="name">\(e(settings.signerName))</div>
            </td>
            </tr></table>
            </body>
            </html>

            """
    }
}

/// HTML escaping for text placed in elements and attributes: markup
/// characters as references, line ends as LF, other controls as U+FFFD.
public enum HTML {
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            // CR alone and CRLF are line ends, as an HTML parser reads them.
            case "\r\n", "\r": out += "\n"
            default:
                // Other controls are parse errors in HTML: shown as U+FFFD.
                let control = c.unicodeScalars.contains {
                    ($0.value < 0x20 && $0 != "\t" && $0 != "\n") || (0x7F...0x9F).contains($0.value)
                }
                if control { out += "\u{FFFD}" } else { out.append(c) }
            }
        }
        return out
    }
}
