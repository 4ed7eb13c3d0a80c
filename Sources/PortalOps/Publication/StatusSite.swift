import OpsProtocol
import SQLite

/// The files of the public status site, built from `PublicState`: `index.html` (readable without
/// JavaScript, Vietnamese, no external assets), `status.json`, `feed.atom` (RFC 4287) and
/// `maintenance.ics` (RFC 5545), plus each upcoming notice's frozen PDF under `notices/`.
public enum StatusSite {
    public static func files(_ db: Connection, time: LocalTime, now: Int64,
                             bars: AvailabilityBars = AvailabilityBars()) throws -> [String: [UInt8]] {
        var state = try PublicState.read(db, now: now)
        for component in state.components {
            state.days[component.key] = try bars.days(component: component.key, db: db, now: now, time: time)
        }
        var files: [String: [UInt8]] = [
            "index.html": Array(page(state, time).utf8),
            "status.json": Array((json(state, time).serialized() + "\n").utf8),
            "feed.atom": Array(atom(state, time).utf8),
            "maintenance.ics": Array(ICalendar(time: time).render(state.maintenance.map(\.window),
                                                                  componentNames: state.componentNames, stamp: now,
                                                                  portal: state.portal).utf8),
        ]
        let notices = NoticeStore(db)
        for window in state.maintenance {
            for notice in window.notices {
                if let pdf = try notices.signedPDF(of: notice.id) ?? notices.pdf(of: notice.id) {
                    files["notices/" + pdfName(notice)] = pdf
                }
            }
        }
        return files
    }

    /// `15-TB-STTTT.pdf` for 15/TB-STTTT.
    static func pdfName(_ notice: Notice) -> String {
        notice.number.map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined() + ".pdf"
    }

    static func json(_ s: PublicState, _ time: LocalTime) -> JSON {
        ["title": .string(s.title), "generated_at": .string(time.iso8601(s.now)),
         "components": .array(s.components.map {
             ["key": .string($0.key), "name": .string($0.name), "state": .string($0.state),
              "days": .array((s.days[$0.key] ?? []).map { d in
                  ["date": .string(d.date), "share_up": d.share.map(JSON.double) ?? .null]
              })]
         }),
         "incidents": .array(s.incidents.map { i in
             ["ref": .string(i.ref), "title": .string(i.title), "components": .array(i.components.map(JSON.string)),
              "opened_at": .string(time.iso8601(i.openedAt)),
              "resolved_at": i.resolvedAt.map { .string(time.iso8601($0)) } ?? .null,
              "notes": .array(i.notes.map { ["at": .string(time.iso8601($0.at)), "text": .string($0.text)] })]
         }),
         "maintenance": .array(s.maintenance.map { w in
             ["ref": .string(w.window.ref), "title": .string(w.window.title), "kind": .string(w.window.kind.rawValue),
              "state": .string(w.window.state.rawValue), "start": .string(time.iso8601(w.window.start)),
              "end": .string(time.iso8601(w.window.end)), "components": .array(w.window.components.map(JSON.string)),
              "notices": .array(w.notices.map {
                  ["number": .string($0.number), "pdf": .string("notices/" + pdfName($0))]
              })]
         })]
    }

    static func page(_ s: PublicState, _ time: LocalTime) -> String {
        let e = HTML.escape
        let components = s.components.map {
            "<tr class=\"\(e($0.state))\"><td>\(e($0.name))</td><td>\(e(PublicState.stateText($0.state)))</td></tr>"
                + "<tr><td colspan=\"2\">\(bars(s.days[$0.key] ?? []))</td></tr>"
        }.joined(separator: "\n")
        let active = s.incidents.filter { $0.resolvedAt == nil }
        let recent = s.incidents.filter { $0.resolvedAt != nil }
        func incident(_ i: PublicIncident) -> String {
            let names = i.components.map { s.componentNames[$0] ?? $0 }.joined(separator: ", ")
            func moment(_ at: Int64) -> String { VietnameseDate.moment(at, time: time) }
            let notes = i.notes.map { "<li><time>\(e(moment($0.at)))</time>: \(e($0.text))</li>" }
            let state = i.resolvedAt.map { "Đã khắc phục lúc \(moment($0))" } ?? "Đang khắc phục"
            return "<article><h3>\(e(i.title))</h3><p>\(e(names)) — bắt đầu \(e(moment(i.openedAt)))"
                + ". \(e(state)).</p><ul>\(notes.joined())</ul></article>"
        }
        let windows = s.maintenance.map { w -> String in
            let names = w.window.components.map { s.componentNames[$0] ?? $0 }.joined(separator: ", ")
            let notices = w.notices.map { "<a href=\"notices/\(e(pdfName($0)))\">Thông báo số \(e($0.number))</a>" }
            let start = VietnameseDate.moment(w.window.start, time: time)
            let end = VietnameseDate.moment(w.window.end, time: time)
            return "<li>\(e(w.window.title)) (\(e(names))): từ \(e(start)) đến \(e(end)). "
                + "\(notices.joined(separator: ", "))</li>"
        }
        return """
            <!DOCTYPE html>
            <html lang="vi">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(e(s.title))</title>
            <link rel="alternate" type="application/atom+xml" href="feed.atom" title="\(e(s.title))">
            <style>
            body { font-family: "Times New Roman", "Liberation Serif", serif; max-width: 50rem; margin: 1rem auto;
                   padding: 0 1rem; color: #111; }
            table { border-collapse: collapse; width: 100%; }
            td { border-bottom: 1px solid #ccc; padding: 0.4rem; }
            tr.operational td:last-child { color: #0b6b0b; }
            tr.degraded td:last-child { color: #8a5a00; }
            tr.outage td:last-child { color: #b3261e; font-weight: bold; }
            tr.maintenance td:last-child { color: #1a4f9c; }
            article { border-left: 4px solid #b3261e; padding-left: 0.8rem; margin: 1rem 0; }
            footer { margin-top: 2rem; font-size: 0.9rem; color: #555; }
            </style>
            </head>
            <body>
            <h1>\(e(s.title))</h1>
            <p>Cập nhật lúc \(e(VietnameseDate.moment(s.now, time: time))).</p>
            <h2>Các thành phần</h2>
            <table>
            \(components)
            </table>
            <h2>Sự cố đang xử lý</h2>
            \(active.isEmpty ? "<p>Không có sự cố.</p>" : active.map(incident).joined(separator: "\n"))
            <h2>Lịch bảo trì, nâng cấp</h2>
            \(windows.isEmpty ? "<p>Không có lịch bảo trì sắp tới.</p>" : "<ul>\(windows.joined(separator: "\n"))</ul>")
            <h2>Sự cố trong \(PublicState.recentDays) ngày qua</h2>
            \(recent.isEmpty ? "<p>Không có sự cố.</p>" : recent.map(incident).joined(separator: "\n"))
            <footer><a href="feed.atom">Atom</a> · <a href="maintenance.ics">Lịch bảo trì (iCalendar)</a> ·
            <a href="status.json">status.json</a></footer>
            </body>
            </html>

            """
    }

    /// 90 small bars, oldest first: green when fully up, amber below 99.9%, red below 99%, grey unknown;
    /// each says its day and share on hover (an SVG title, no script).
    static func bars(_ days: [AvailabilityBars.Day]) -> String {
        let rects = days.enumerated().map { index, day -> String in
            let colour = day.share.map { $0 >= 0.999 ? "#2e7d32" : $0 >= 0.99 ? "#f9a825" : "#c62828" } ?? "#bdbdbd"
            let label = day.share.map { String(format: "%.2f%%", $0 * 100) } ?? "không có số liệu"
            return "<rect x=\"\(index * 6)\" y=\"0\" width=\"4\" height=\"24\" fill=\"\(colour)\">"
                + "<title>\(HTML.escape(day.date)): \(label)</title></rect>"
        }.joined()
        let known = days.compactMap(\.share)
        let average = known.isEmpty ? nil : String(format: "%.2f%%", known.reduce(0, +) / Double(known.count) * 100)
        let caption = average.map { "90 ngày qua: \($0) thời gian hoạt động" }
            ?? "90 ngày qua: chưa có số liệu giám sát"
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(days.count * 6) 24\" width=\"100%\" "
            + "height=\"24\" role=\"img\" aria-label=\"\(caption)\">\(rects)</svg><small>\(caption)</small>"
    }

    /// One entry per published incident and per upcoming window, updated when they change.
    static func atom(_ s: PublicState, _ time: LocalTime) -> String {
        let e = HTML.escape
        let base = s.baseURL.hasSuffix("/") ? s.baseURL : s.baseURL + "/"
        var entries: [(updated: Int64, xml: String)] = s.incidents.map { i in
            let notes = i.notes.map { "\(VietnameseDate.moment($0.at, time: time)): \($0.text)" }
                .joined(separator: "\n")
            let state = i.resolvedAt == nil ? "Đang khắc phục" : "Đã khắc phục"
            return (i.updatedAt, """
                <entry><id>\(e(base))#\(e(i.ref))</id><title>\(e(state)): \(e(i.title))</title>\
                <updated>\(time.iso8601(i.updatedAt))</updated><link href="\(e(base))"/>\
                <content type="text">\(e(notes.isEmpty ? state : notes))</content></entry>
                """)
        }
        entries += s.maintenance.map { w in
            let updated = max(w.notices.last?.issuedAt ?? w.window.createdAt, w.window.createdAt)
            let numbers = w.notices.map { "Thông báo số \($0.number)" }.joined(separator: ", ")
            return (updated, """
                <entry><id>\(e(base))#\(e(w.window.ref))</id><title>Bảo trì: \(e(w.window.title))</title>\
                <updated>\(time.iso8601(updated))</updated><link href="\(e(base))"/>\
                <content type="text">Từ \(e(VietnameseDate.moment(w.window.start, time: time))) đến \
                \(e(VietnameseDate.moment(w.window.end, time: time))). \(e(numbers))</content></entry>
                """)
        }
        entries.sort { $0.updated > $1.updated }
        let updated = entries.first?.updated ?? s.now
        return """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
            <id>\(e(base))feed.atom</id><title>\(e(s.title))</title><updated>\(time.iso8601(updated))</updated>
            <link rel="self" href="\(e(base))feed.atom"/><link href="\(e(base))"/>
            <author><name>\(e(s.portal))</name></author>
            \(entries.map(\.xml).joined(separator: "\n"))
            </feed>

            """
    }
}

typealias PublicIncident = PublicState.PublicIncident
