import XCTest
@testable import SQLite

final class MigrationTests: XCTestCase {
    let directory = TemporaryDirectory()

    let migrations = [
        Migration(version: 2, name: "second", sql: "ALTER TABLE a ADD COLUMN y TEXT"),
        Migration(version: 1, name: "first", sql: "CREATE TABLE a(x INTEGER)"),
    ]

    func testAppliesInVersionOrderAndRecordsEach() throws {
        let db = try Connection(path: directory.file("m.db"))
        XCTAssertEqual(try db.schemaVersion(), 0)
        XCTAssertEqual(try db.migrate(migrations, now: 1000), [1, 2])
        XCTAssertEqual(try db.schemaVersion(), 2)
        let recorded = try db.query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version")
        XCTAssertEqual(recorded.map { $0.string("name") }, ["first", "second"])
        XCTAssertEqual(recorded.first?.int("applied_at"), 1000)
        XCTAssertEqual(try db.migrate(migrations, now: 2000), [], "a second run applies nothing")
    }

    func testFailingMigrationLeavesNothingHalfApplied() throws {
        let db = try Connection(path: directory.file("m.db"))
        let broken = migrations + [Migration(version: 3, name: "broken", sql: "CREATE TABLE b(x); CREATE TABLE oops(")]
        XCTAssertThrowsError(try db.migrate(broken, now: 1))
        XCTAssertEqual(try db.schemaVersion(), 2, "versions before the failure stay applied")
        XCTAssertNil(try db.queryRow("SELECT 1 FROM sqlite_master WHERE name = 'b'"), "the failed migration's first statement was rolled back")
    }

    func testRefusesNewerDatabaseAndDuplicateVersions() throws {
        let db = try Connection(path: directory.file("m.db"))
        try db.migrate(migrations, now: 1)
        XCTAssertThrowsError(try db.migrate(Array(migrations.suffix(1)), now: 1)) { error in
            XCTAssertTrue("\(error)".contains("newer than this program"))
        }
        let duplicate = [Migration(version: 1, name: "a", sql: "SELECT 1"), Migration(version: 1, name: "b", sql: "SELECT 1")]
        XCTAssertThrowsError(try Connection(path: directory.file("n.db")).migrate(duplicate, now: 1))
    }
}
