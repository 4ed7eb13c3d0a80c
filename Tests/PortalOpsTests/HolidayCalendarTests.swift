import OpsProtocol
@testable import PortalOps
import XCTest

/// The built-in Vietnamese calendar: lunar holidays against the published dates, the proposal an operator
/// confirms, make-up days, and lead times across Tết 2027.
final class HolidayCalendarTests: XCTestCase {
    /// Mùng 1 Tết and Giỗ Tổ (10/3 âm lịch) 2020–2030, the table in REGULATION.md (python `holidays`, VN),
    /// except Tết 2030: the new moon falls at about 16:07 UT on 2 February 2030, 23:07 in Việt Nam (UTC+7) but
    /// 00:07 on 3 February in China (UTC+8); the table's 03/02 is the Chinese date (checked below), and
    /// `holidays` 0.109 itself says 02/02 (LunarCalendarPeerTests compares 1990–2099 with it).
    static let published: [Int: (tet: String, gioTo: String)] = [
        2020: ("01-25", "04-02"), 2021: ("02-12", "04-21"), 2022: ("02-01", "04-10"), 2023: ("01-22", "04-29"),
        2024: ("02-10", "04-18"), 2025: ("01-29", "04-07"), 2026: ("02-17", "04-26"), 2027: ("02-06", "04-16"),
        2028: ("01-26", "04-04"), 2029: ("02-13", "04-23"), 2030: ("02-02", "04-12"),
    ]

    func testTetAndGioToMatchThePublishedDates2020To2030() {
        for (year, expected) in Self.published.sorted(by: { $0.key < $1.key }) {
            let tet = LunarCalendar.solarDate(day: 1, month: 1, year: year)
            let gioTo = LunarCalendar.solarDate(day: 10, month: 3, year: year)
            XCTAssertEqual(String(format: "%02d-%02d", tet.month, tet.day), expected.tet, "Tết \(year)")
            XCTAssertEqual(String(format: "%02d-%02d", gioTo.month, gioTo.day), expected.gioTo, "Giỗ Tổ \(year)")
            let days = PublicHolidays.of(year: year)
            XCTAssertTrue(days.contains { $0.date == "\(year)-\(expected.tet)" && !$0.fixed }, "\(year)")
            XCTAssertTrue(days.contains { $0.date == "\(year)-\(expected.gioTo)" && $0.name.hasPrefix("Giỗ Tổ") })
        }
    }

    func testTet2030IsADayEarlierInVietNamThanInChina() {
        let vietnam = LunarCalendar.solarDate(day: 1, month: 1, year: 2030)
        let china = LunarCalendar.solarDate(day: 1, month: 1, year: 2030, zone: 8)
        XCTAssertEqual([vietnam.month, vietnam.day], [2, 2])
        XCTAssertEqual([china.month, china.day], [2, 3])
    }

    /// Leap years move months after the leap month: 2023 has a leap month 2, 2025 a leap month 6, 2028 a leap 5.
    /// 2033's leap 11 is the case that made the algorithm famous; Tết 2034 is 19/02.
    func testLeapYearsAndAReckoningInUTCPlus7() {
        let tet2034 = LunarCalendar.solarDate(day: 1, month: 1, year: 2034)
        XCTAssertEqual([tet2034.year, tet2034.month, tet2034.day], [2034, 2, 19])
        // Tết 2007 was 17/02 in Việt Nam (UTC+7), a day before China's 18/02 (UTC+8).
        let tet2007 = LunarCalendar.solarDate(day: 1, month: 1, year: 2007)
        XCTAssertEqual([tet2007.year, tet2007.month, tet2007.day], [2007, 2, 17])
    }

    func testFixedDaysAreKnownForAnyYearWithDaysInLieuOfWeekends() {
        let days = PublicHolidays.of(year: 2099)
        for date in ["2099-01-01", "2099-04-30", "2099-05-01", "2099-09-02"] {
            XCTAssertEqual(days.first { $0.date == date }?.fixed, true, date)
        }
        // 2023: 2/9 is a Saturday: the day before (Friday 1/9) and Monday 4/9 in lieu, as the government placed them.
        let dates2023 = Set(PublicHolidays.of(year: 2023).map(\.date))
        XCTAssertTrue(dates2023.isSuperset(of: ["2023-09-01", "2023-09-02", "2023-09-04"]), "\(dates2023.sorted())")
        // 30/4/2022 was a Saturday: Monday 2/5 is off in lieu, Tuesday 3/5 in lieu of Sunday 1/5.
        let dates2022 = Set(PublicHolidays.of(year: 2022).map(\.date))
        XCTAssertTrue(dates2022.isSuperset(of: ["2022-05-02", "2022-05-03"]), "\(dates2022.sorted())")
    }

    private func has(_ row: JSON, _ date: String, _ status: String) -> Bool {
        row["date"]?.stringValue == date && row["status"]?.stringValue == status
    }

    func testAYearIsProposedUntilConfirmedAndMakeUpDaysAreListed() throws {
        let h = try CommandHarness(start: "2026-12-01 09:00")
        var list = try h.run("holiday.list", ["year": "2027"])
        let proposed = try XCTUnwrap(list.data["holidays"]?.arrayValue)
        XCTAssertTrue(proposed.contains { has($0, "2027-02-06", "proposed") })
        XCTAssertTrue(proposed.contains { has($0, "2027-01-01", "fixed") })
        XCTAssertTrue(list.warnings.contains { $0.contains("holiday confirm 2027") })
        XCTAssertEqual(list.data["confirmed"], .bool(false))

        h.assertRefused("holiday.workday", ["date": "2027-02-03"], saying: "is a weekday")
        try h.run("holiday.workday", ["date": "2027-02-20", "name": "Làm bù"])
        h.assertRefused("holiday.workday", ["date": "2027-02-20"], saying: "already a make-up working day")
        try h.become("operator", role: .operator)
        h.assertRefused("holiday.confirm", ["year": "2027"], code: 3, saying: "needs role")
        try h.become("sup", role: .supervisor)
        try h.run("holiday.confirm", ["year": "2027"])
        h.assertRefused("holiday.confirm", ["year": "2027"], saying: "already confirmed by sup")
        list = try h.run("holiday.list", ["year": "2027"])
        let confirmed = try XCTUnwrap(list.data["holidays"]?.arrayValue)
        XCTAssertFalse(confirmed.contains { $0["status"]?.stringValue == "proposed" })
        XCTAssertTrue(confirmed.contains { has($0, "2027-02-06", "confirmed") })
        XCTAssertTrue(confirmed.contains { has($0, "2027-02-20", "working day") })
        XCTAssertEqual(list.data["confirmed"], .bool(true))
        h.assertRefused("holiday.remove", ["date": "2027-04-30"], saying: "by law")

        let calendar = try HolidayStore(h.db).calendar(time: h.time)
        XCTAssertTrue(calendar.isWorkingDay(try h.time.parseTime("2027-02-20 09:00")), "a make-up Saturday")
        try h.run("holiday.remove", ["date": "2027-02-20"])
        let after = try HolidayStore(h.db).calendar(time: h.time)
        XCTAssertFalse(after.isWorkingDay(try h.time.parseTime("2027-02-20 09:00")))
    }

    /// Confirming with --entered: the government's announced days replace the proposal.
    func testConfirmingTheEnteredScheduleDropsTheProposal() throws {
        let h = try CommandHarness(start: "2026-12-01 09:00")
        h.assertRefused("holiday.confirm", ["year": "2027", "entered": true], saying: "no days of 2027 are entered")
        try h.run("holiday.add", ["date": "2027-02-04", "to": "2027-02-10", "name": "Tết Nguyên đán"])
        try h.run("holiday.confirm", ["year": "2027", "entered": true])
        let calendar = try HolidayStore(h.db).calendar(time: h.time)
        XCTAssertFalse(calendar.isWorkingDay(try h.time.parseTime("2027-02-04 09:00")))
        XCTAssertTrue(calendar.isWorkingDay(try h.time.parseTime("2027-02-11 09:00")), "proposed in lieu, not entered")
        XCTAssertFalse(calendar.isWorkingDay(try h.time.parseTime("2027-04-30 09:00")), "fixed by law")
    }

    /// Tết 2027 (mùng 1 on Saturday 6/2): proposed 5/2–9/2 and 10–11/2 in lieu of the weekend, so from Thursday
    /// 4/2 the next working day is Friday 12/2 and a maintenance may start on Saturday 13/2, not Saturday 6/2.
    func testLeadTimeAcrossTet2027() throws {
        let h = try CommandHarness(start: "2027-02-04 09:00")
        try h.run("component.add", ["key": "portal", "name": "Cổng"])
        try h.run("recipient.add", ["key": "stp", "name": "Sở Tư pháp", "email": "stp@example.vn", "group": "agencies"])
        let plan: (String, String) throws -> String = { start, end in
            let response = try h.run("maintenance.plan", ["title": "Bảo trì", "kind": "maintenance",
                                                          "start": .string(start), "end": .string(end),
                                                          "component": ["portal"], "group": "agencies"])
            return try XCTUnwrap(response.data["ref"]?.stringValue)
        }
        let tooSoon = try plan("2027-02-12 22:00", "2027-02-13 02:00")
        h.assertRefused("maintenance.announce", ["window": .string(tooSoon)], saying: "2027-02-13 00:00")
        try h.run("maintenance.announce", ["window": .string(try plan("2027-02-13 22:00", "2027-02-14 02:00"))])
        // Upgrades need 5 working days: 12, 15, 16, 17, 18 February.
        let earliest = try HolidayStore(h.db).calendar(time: h.time).earliestStart(issuedAt: h.clock.now(),
                                                                                     workingDays: 5)
        XCTAssertEqual(h.time.format(earliest), "2027-02-19 00:00:00 +07:00")
    }
}
