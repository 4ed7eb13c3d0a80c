import XCTest
@testable import OpsClient
import OpsProtocol

final class OutputTests: XCTestCase {
    func testTableAlignsVietnameseByGrapheme() {
        let decomposed = "So\u{031B}\u{0309} Tu\u{031B} pha\u{0301}p"
        let text = TableRenderer.table(columns: ["KEY", "NAME", "UID"],
                                       rows: [["stp", decomposed, "1"], ["portal", "Cổng dịch vụ công", "22"]])
        let lines = text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3)
        // The third column starts at the same display column on every line.
        let starts = lines.map { line -> Int in
            let cells = line.components(separatedBy: "  ").filter { !$0.isEmpty }
            return Text.displayWidth(line) - Text.displayWidth(cells.last!.trimmingCharacters(in: .whitespaces))
        }
        XCTAssertEqual(Set(starts).count, 1, text)
    }

    func testEmptyTableSaysNone() {
        XCTAssertEqual(TableRenderer.table(columns: ["A"], rows: []), "(none)\n")
    }

    func testFieldsAlign() {
        XCTAssertEqual(TableRenderer.fields([["user", "lan"], ["full name", "Lê Văn\nAn"]]), "user:      lan\nfull name: Lê Văn An\n")
    }

    func testHelpComesFromTheCatalog() {
        let overview = HelpPrinter.overview()
        for noun in ClientCatalog.shared.nouns { XCTAssertTrue(overview.contains("  \(noun) "), noun) }
        let help = HelpPrinter.command(ClientCatalog.shared.command("user.add")!)
        XCTAssertTrue(help.contains("Usage: opsctl user add NAME --uid UID"), help)
        XCTAssertTrue(help.contains("Allowed roles: admin"), help)
    }

    /// Every command compiled into opsctl reads back as the spec of its name,
    /// and every noun has its summary: the build's hand-over is whole.
    func testTheCompiledCatalogIsWhole() throws {
        let catalog = ClientCatalog.shared
        XCTAssertGreaterThan(catalog.names.count, 80)
        XCTAssertEqual(Set(catalog.names).count, catalog.names.count)
        for name in catalog.names {
            let spec = try XCTUnwrap(catalog.command(name), name)
            XCTAssertEqual(spec.name, name)
            XCTAssertFalse(spec.roles.isEmpty, name)
            XCTAssertNotNil(catalog.nounSummaries[spec.noun], "\(spec.noun) has a summary")
        }
        XCTAssertEqual(catalog.verbs(noun: "incident").first, "open")
        XCTAssertNil(catalog.command("incident.nonsense"))
    }
}
