import Foundation
import XCTest

final class RecipientTests: XCTestCase {
    func testRecipientsAreValidatedListedUpdatedAndRemoved() throws {
        let daemon = try Daemon().start()
        XCTAssertEqual(daemon.opsctl("recipient", "add", "x", "--name", "X", "--email", "not-an-address").status, 2)
        let badURL = daemon.opsctl("recipient", "add", "x", "--name", "X", "--webhook", "ftp://example.vn/x")
        XCTAssertEqual(badURL.status, 2)
        XCTAssertTrue(badURL.stderr.contains("must start with https://"), badURL.stderr)
        XCTAssertEqual(daemon.opsctl("recipient", "add", "x", "--name", "X", "--kind", "ministry").status, 2)

        daemon.opsctl("recipient", "add", "so-tu-phap", "--name", "Sở Tư pháp tỉnh Lào Cai", "--email", "vanthu@stp.laocai.gov.vn",
                      "--email", "pho.giam.doc@stp.laocai.gov.vn", "--group", "agencies", "--group", "so-nganh").ok()
        daemon.opsctl("recipient", "add", "bhxh", "--name", "Bảo hiểm xã hội tỉnh", "--email", "bhxh@laocai.gov.vn", "--group", "agencies").ok()
        let bare = daemon.opsctl("recipient", "add", "luu-vt", "--name", "Lưu: VT").ok()
        XCTAssertTrue(bare.stderr.contains("receives nothing"), bare.stderr)
        XCTAssertEqual(daemon.opsctl("recipient", "add", "bhxh", "--name", "again").status, 1)

        let agencies = daemon.opsctl("recipient", "list", "--group", "agencies", "--json").ok().object["recipients"] as? [[String: Any]] ?? []
        XCTAssertEqual(agencies.compactMap { $0["key"] as? String }, ["bhxh", "so-tu-phap"])
        XCTAssertEqual((agencies.last?["emails"] as? [String])?.count, 2)
        let groups = daemon.opsctl("group", "list", "--json").ok().object["groups"] as? [[String: Any]] ?? []
        XCTAssertEqual(groups.first { $0["name"] as? String == "agencies" }?["members"] as? Int, 2)
        XCTAssertTrue(daemon.opsctl("recipient", "list").ok().stdout.contains("Sở Tư pháp tỉnh Lào Cai"))

        daemon.opsctl("recipient", "update", "bhxh", "--email", "vanphong@bhxh.laocai.gov.vn", "--group", "so-nganh").ok()
        let bhxh = daemon.opsctl("recipient", "show", "bhxh", "--json").ok().object
        XCTAssertEqual(bhxh["emails"] as? [String], ["vanphong@bhxh.laocai.gov.vn"])
        XCTAssertEqual(bhxh["groups"] as? [String], ["so-nganh"])
        XCTAssertEqual(daemon.opsctl("recipient", "update", "bhxh", "--webhook", "https://x.vn/h", "--no-webhook").status, 2)

        daemon.opsctl("recipient", "remove", "bhxh").ok()
        XCTAssertEqual(daemon.opsctl("recipient", "test", "bhxh").status, 1, "removed: no longer sent to")
        XCTAssertFalse(daemon.opsctl("recipient", "list").ok().stdout.contains("bhxh"))
        XCTAssertTrue(daemon.opsctl("recipient", "list", "--removed").ok().stdout.contains("bhxh (removed)"))
        XCTAssertEqual(daemon.opsctl("recipient", "add", "bhxh", "--name", "again").status, 1)
        daemon.opsctl("recipient", "update", "bhxh", "--restore").ok()
        XCTAssertTrue(daemon.opsctl("recipient", "list").ok().stdout.contains("bhxh"))
    }

    func testImportIsAllOrNothingWithLineNumbers() throws {
        let daemon = try Daemon().start()
        let bad = daemon.scratch.file("bad.csv")
        try """
            key,name,kind,emails,webhook,groups
            so-tu-phap,Sở Tư pháp tỉnh Lào Cai,agency,vanthu@stp.laocai.gov.vn;pgd@stp.laocai.gov.vn,,agencies
            so-y-te,"Sở Y tế, tỉnh Lào Cai",agency,not-an-email,,agencies
            Bad Key,Tên,agency,,,
            ubnd-bat-xat,UBND huyện Bát Xát,ministry,,,
            so-tu-phap,Trùng khóa,agency,,,

            """.write(toFile: bad, atomically: true, encoding: .utf8)
        let refused = daemon.opsctl("recipient", "import", bad)
        XCTAssertEqual(refused.status, 2)
        for fragment in ["line 3:", "not-an-email", "line 4:", "line 5:", "ministry", "line 6:", "already on line 2"] {
            XCTAssertTrue(refused.stderr.contains(fragment), "\(fragment) in \(refused.stderr)")
        }
        XCTAssertFalse(refused.stderr.contains("line 2:"), "the good row is not reported")
        XCTAssertEqual((daemon.opsctl("recipient", "list", "--json").ok().object["recipients"] as? [Any])?.count, 0, "nothing imported")

        let good = daemon.scratch.file("good.csv")
        try "\u{FEFF}key,name,emails,groups\r\nso-tu-phap,Sở Tư pháp tỉnh Lào Cai,vanthu@stp.laocai.gov.vn,agencies\r\nso-y-te,\"Sở Y tế, tỉnh Lào Cai\",vanthu@syt.laocai.gov.vn,agencies;so-nganh\r\n"
            .write(toFile: good, atomically: true, encoding: .utf8)
        daemon.opsctl("recipient", "import", good).ok()
        let list = daemon.opsctl("recipient", "list", "--json").ok().object["recipients"] as? [[String: Any]] ?? []
        XCTAssertEqual(list.compactMap { $0["name"] as? String }, ["Sở Tư pháp tỉnh Lào Cai", "Sở Y tế, tỉnh Lào Cai"])
        XCTAssertEqual(list.last?["groups"] as? [String], ["agencies", "so-nganh"])
        XCTAssertEqual(daemon.opsctl("recipient", "import", daemon.scratch.file("missing.csv")).status, 2)
    }
}
