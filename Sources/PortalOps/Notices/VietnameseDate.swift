import OpsProtocol
/// Dates and times as Vietnamese administrative documents write them
/// (Decree 30/2020/NĐ-CP): "Lào Cai, ngày 05 tháng 01 năm 2026" — a leading
/// zero for days below 10 and for months 1 and 2 only — and "22 giờ 00 ngày
/// 12/12/2026" in the body.
public enum VietnameseDate {
    public static func dateLine(place: String, _ milliseconds: Int64, time: LocalTime) -> String {
        let p = time.parts(milliseconds)
        let day = p.day < 10 ? "0\(p.day)" : "\(p.day)"
        let month = p.month <= 2 ? "0\(p.month)" : "\(p.month)"
        return "\(place), ngày \(day) tháng \(month) năm \(p.year)"
    }

    /// `22 giờ 00 ngày 12/12/2026`
    public static func moment(_ milliseconds: Int64, time: LocalTime) -> String {
        let p = time.parts(milliseconds)
        return "\(two(p.hour)) giờ \(two(p.minute)) ngày \(two(p.day))/\(two(p.month))/\(p.year)"
    }

    /// `từ 22 giờ 00 ngày 12/12/2026 đến 02 giờ 00 ngày 13/12/2026`
    public static func period(_ start: Int64, _ end: Int64, time: LocalTime) -> String {
        "từ \(moment(start, time: time)) đến \(moment(end, time: time))"
    }

    /// `12/12/2026`
    public static func shortDate(_ milliseconds: Int64, time: LocalTime) -> String {
        let p = time.parts(milliseconds)
        return "\(two(p.day))/\(two(p.month))/\(p.year)"
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
