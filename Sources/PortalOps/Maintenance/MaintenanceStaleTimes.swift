import OpsProtocol

/// Free text kept on a window (impact, advice) that names a time the window
/// no longer has. A replacement notice repeats that text, so a notice moving
/// the end to 04:00 would still say "sau 02 giờ 00" (issue 19): the command
/// that moves the times refuses until the text is given anew.
enum StaleTimes {
    /// The ways people write the hour and the date of `instant`: "02 giờ 00",
    /// "2 giờ", "02:00", "2h00", "02h", "04/12/2026", "4/12" and the like.
    static func forms(_ instant: Int64, time: LocalTime) -> Set<String> {
        let p = time.parts(instant)
        let hours = Set([String(p.hour), two(p.hour)])
        var forms = Set<String>()
        for h in hours {
            forms.formUnion(["\(h) giờ \(two(p.minute))", "\(h):\(two(p.minute))", "\(h)h\(two(p.minute))",
                             "\(h)g\(two(p.minute))"])
            if p.minute == 0 { forms.formUnion(["\(h) giờ", "\(h)h", "\(h)g"]) }
        }
        for d in Set([String(p.day), two(p.day)]) {
            for m in Set([String(p.month), two(p.month)]) { forms.formUnion(["\(d)/\(m)/\(p.year)", "\(d)/\(m)"]) }
        }
        return forms
    }

    /// The first way `text` names one of the `old` instants that is not also
    /// a way of naming one of the `new` ones, or nil.
    static func named(in text: String, old: [Int64], new: [Int64], time: LocalTime) -> String? {
        let current = new.reduce(into: Set<String>()) { $0.formUnion(forms($1, time: time)) }
        let stale = old.reduce(into: Set<String>()) { $0.formUnion(forms($1, time: time)) }.subtracting(current)
        // Longest first, so the message quotes "02 giờ 00" rather than "02 giờ".
        return stale.sorted { ($0.count, $0) > ($1.count, $1) }.first { contains(text, $0) }
    }

    /// Whether `form` occurs in `text` with no digit right before or after it,
    /// so "2h" is not found in "12h" nor "4/12" in "14/12"; a form ending in a
    /// letter ("2g") is not found inside a word ("2GB") either.
    static func contains(_ text: String, _ form: String) -> Bool {
        let chars = Array(text.lowercased())
        let needle = Array(form.lowercased())
        guard !needle.isEmpty, chars.count >= needle.count else { return false }
        for i in 0...(chars.count - needle.count) where Array(chars[i..<(i + needle.count)]) == needle {
            let before = i > 0 ? chars[i - 1] : " "
            let after = i + needle.count < chars.count ? chars[i + needle.count] : " "
            let wordGoesOn = needle.last?.isLetter == true && after.isLetter
            if !before.isNumber && !after.isNumber && !wordGoesOn { return true }
        }
        return false
    }

    /// Refuses when the window's impact or advice, not given anew, names an
    /// old time; `given` says which of them the command was given.
    static func check(_ window: MaintenanceWindow, old: MaintenanceWindow, impactGiven: Bool, adviceGiven: Bool,
                      command: String, time: LocalTime) throws {
        var moved: [Int64] = []
        if window.start != old.start { moved.append(old.start) }
        if window.end != old.end { moved.append(old.end) }
        guard !moved.isEmpty else { return }
        let texts: [(String, String?, Bool)] = [("impact", window.impact, impactGiven),
                                                 ("advice", window.advice, adviceGiven)]
        for (name, text, given) in texts where !given {
            guard let text, let form = named(in: text, old: moved, new: [window.start, window.end], time: time) else {
                continue
            }
            throw OpsError.refused("\(window.ref)'s \(name) names \"\(form)\", a time it will no longer have; "
                                   + "give the \(name) anew: 'opsctl maintenance \(command) \(window.ref) … "
                                   + "--\(name) TEXT'")
        }
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
