import Foundation
@preconcurrency import Glibc
import XCTest

final class BackupTests: XCTestCase {
    /// A portal-like SQLite database made with Python's sqlite3.
    private func portalDatabase(_ path: String, rows: Int) {
        Run.process("/usr/bin/env", ["python3", "-c", """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1]); db.execute('pragma journal_mode=wal')
            db.executescript('''CREATE TABLE dossier(id INTEGER PRIMARY KEY, code TEXT, citizen TEXT, fee REAL, body BLOB);
                                CREATE INDEX dossier_code ON dossier(code);''')
            db.executemany('INSERT INTO dossier(code, citizen, fee, body) VALUES (?, ?, ?, ?)',
                           ((f'HS-{i}', f'Công dân {i}', i * 1.5, bytes(200)) for i in range(int(sys.argv[2]))))
            db.commit()
            """, path, String(rows)]).ok()
    }

    /// Makes a portal database of `rows` rows as target KEY.
    private func sqliteTarget(_ daemon: Daemon, _ key: String, rows: Int) {
        let source = daemon.scratch.file(key + ".db")
        portalDatabase(source, rows: rows)
        daemon.opsctl("target", "add", key, "--sqlite", source).ok()
    }

    /// Starts `opsctl backup run KEY` without waiting for it (its standard
    /// error into `stderr` if given) and returns once the copy or dump has
    /// begun (a `.partial` file exists).
    private func backupUnderWay(_ daemon: Daemon, _ key: String, stderr: Pipe? = nil) throws -> Process {
        let run = Process()
        run.executableURL = URL(fileURLWithPath: Binaries.opsctl)
        run.arguments = ["backup", "run", key]
        run.environment = ["PORTALOPS_SOCKET": daemon.socket]
        run.standardOutput = FileHandle.nullDevice
        run.standardError = stderr ?? FileHandle.nullDevice
        try run.run()
        let directory = daemon.dataDirectory + "/backups/" + key
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            if files.contains(where: { $0.hasSuffix(".partial") }) { break }
            usleep(2_000)
        }
        return run
    }

    func testABackupTakenWhileAWriterCommitsIsConsistentAndVerifies() throws {
        let daemon = try Daemon().start()
        let source = daemon.scratch.file("portal.db")
        portalDatabase(source, rows: 2_000)
        daemon.opsctl("target", "add", "portal", "--sqlite", source).ok()
        // Another process keeps committing to the source during the backups.
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        writer.arguments = ["python3", "-c", """
            import sqlite3, sys, time
            db = sqlite3.connect(sys.argv[1], timeout=10)
            i = 0
            while True:
                db.execute('INSERT INTO dossier(code, citizen, fee, body) VALUES (?, ?, ?, ?)', (f'W-{i}', 'ghi', 1.0, bytes(200))); db.commit(); i += 1
                time.sleep(0.002)
            """, source]
        try writer.run()
        defer { writer.terminate(); writer.waitUntilExit() }
        Wait.until("the outside writer committing rows") {
            let count = Run.process("/usr/bin/sqlite3", [source, "SELECT count(*) FROM dossier WHERE code LIKE 'W-%'"])
            return Int(count.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 >= 10
        }
        for n in 1...2 {
            let run = daemon.opsctl("backup", "run", "portal", "--label", "lần \(n)").ok()
            for phase in ["copying ", "copied 100%", "checking integrity, hashing and fingerprinting", " bytes in ",
                          "integrity check ok", "fingerprinted 1 table\n"] {
                XCTAssertTrue(run.stderr.contains(phase), "progress shows '\(phase)': \(run.stderr)")
            }
            let ref = "BK-2026-000\(n)"
            XCTAssertTrue(daemon.opsctl("backup", "verify", ref).ok().stdout.contains("verified"))
        }
        let backups = daemon.opsctl("backup", "list", "portal", "--json").ok().object["backups"] as? [[String: Any]] ?? []
        XCTAssertEqual(backups.count, 2)
        let rows = backups.compactMap { (($0["fingerprint"] as? [String: Any])?["tables"] as? [String: Any])?["dossier"] as? [String: Any] }
            .compactMap { $0["rows"] as? Int }
        XCTAssertEqual(rows.count, 2)
        XCTAssertTrue(rows.allSatisfy { $0 > 2_000 } && rows[1] > rows[0], "the writer kept writing between backups: \(rows)")
        let files = try FileManager.default.contentsOfDirectory(atPath: daemon.dataDirectory + "/backups/portal").sorted()
        XCTAssertEqual(files, ["BK-2026-0001.manifest.json", "BK-2026-0001.sqlite", "BK-2026-0002.manifest.json", "BK-2026-0002.sqlite"],
                       "no leftovers, nothing overwritten")
    }

    func testABitFlippedInABackupFileIsCaughtByVerify() throws {
        let daemon = try Daemon().start()
        daemon.opsctl("component", "add", "portal", "--name", "Cổng").ok()
        daemon.opsctl("backup", "run", "ops").ok()
        let file = try XCTUnwrap(daemon.opsctl("backup", "show", "BK-2026-0001", "--json").ok().object["file"] as? String)
        let handle = try XCTUnwrap(FileHandle(forUpdatingAtPath: file))
        try handle.seek(toOffset: 5_000)
        let byte = handle.readData(ofLength: 1)[0]
        try handle.seek(toOffset: 5_000)
        handle.write(Data([byte ^ 0x01]))
        try handle.close()
        let verify = daemon.opsctl("backup", "verify", "BK-2026-0001")
        XCTAssertEqual(verify.status, 1)
        XCTAssertTrue(verify.stderr.contains("FAILED verification") && verify.stderr.contains("the file changed"), verify.stderr)
        let shown = daemon.opsctl("backup", "show", "BK-2026-0001", "--json").ok().object
        XCTAssertEqual(shown["verify_ok"] as? Bool, false)
        XCTAssertEqual(daemon.opsctl("backup", "restore", "BK-2026-0001", "--to", daemon.scratch.file("x.db")).status, 1, "a bad backup is not restored")
        XCTAssertFalse(FileManager.default.fileExists(atPath: daemon.scratch.file("x.db")))

        // A header so damaged SQLite will not open the file is still
        // reported as a changed file, not as an error of the check.
        daemon.opsctl("backup", "run", "ops").ok()
        let second = try XCTUnwrap(daemon.opsctl("backup", "show", "BK-2026-0002", "--json").ok().object["file"] as? String)
        let header = try XCTUnwrap(FileHandle(forUpdatingAtPath: second))
        header.write(Data(repeating: 0, count: 100))
        try header.close()
        let damaged = daemon.opsctl("backup", "verify", "BK-2026-0002")
        XCTAssertEqual(damaged.status, 1)
        XCTAssertTrue(damaged.stderr.contains("the file changed"), damaged.stderr)
    }

    func testKill9DuringABackupLeavesNothingThatLooksLikeAGoodBackup() throws {
        let daemon = try Daemon().start()
        sqliteTarget(daemon, "big", rows: 200_000)
        let run = try backupUnderWay(daemon, "big")
        let directory = daemon.dataDirectory + "/backups/big"
        daemon.kill9()
        run.waitUntilExit()
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        XCTAssertFalse(files.contains("BK-2026-0001.sqlite") && files.contains("BK-2026-0001.manifest.json"),
                       "a data file with its manifest would look complete: \(files)")
        XCTAssertTrue(files.contains { $0.hasSuffix(".partial") }, "killed while copying: \(files)")
        // As a drill cut by the same kill would leave its restored copy:
        let drills = daemon.dataDirectory + "/drills"
        try FileManager.default.createDirectory(atPath: drills + "/big-1764400000", withIntermediateDirectories: true)
        XCTAssertTrue(FileManager.default.createFile(atPath: drills + "/big-1764400000/restored.sqlite", contents: Data(count: 4096)))
        try daemon.start()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: drills), [], "the restart clears the drill scratch")
        XCTAssertTrue(daemon.log.contains("removed what drills cut short by a stop left: \(drills)/big-1764400000"), daemon.log)
        let backup = daemon.opsctl("backup", "show", "BK-2026-0001", "--json").ok().object
        XCTAssertEqual(backup["state"] as? String, "failed")
        let after = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        XCTAssertEqual(after, [], "the restart removes what the cut backup left")
        XCTAssertTrue(daemon.log.contains("backup BK-2026-0001 was running when opsd stopped; marked failed, removed"), daemon.log)
        XCTAssertEqual(daemon.opsctl("backup", "verify", "BK-2026-0001").status, 1)
        daemon.opsctl("backup", "run", "ops").ok()   // the next one is fine
        daemon.opsctl("backup", "verify", "BK-2026-0002").ok()
    }

    /// SIGTERM while a backup is still dumping: opsd waits its 10 s for it,
    /// then stops the dump command, records the backup failed and says so;
    /// nothing of it is left in the backup directory.
    func testSigtermDuringALongBackupStopsItsCommandAndRecordsIt() throws {
        let daemon = try Daemon().start()
        daemon.opsctl("target", "add", "slow", "--dump-command", "sleep 60; echo dump",
                      "--restore-command", "cat > {path}").ok()
        let stderr = Pipe()
        let run = try backupUnderWay(daemon, "slow", stderr: stderr)
        let directory = daemon.dataDirectory + "/backups/slow"
        XCTAssertEqual(daemon.stop(), 0)
        run.waitUntilExit()
        let told = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertNotEqual(run.terminationStatus, 0)
        XCTAssertTrue(told.contains("opsd is shutting down"), told)
        XCTAssertTrue(daemon.log.contains("1 command(s) terminated, 1 recorded as failed"), daemon.log)
        XCTAssertEqual((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? ["?"], [])
        try daemon.start()
        let backup = daemon.opsctl("backup", "show", "BK-2026-0001", "--json").ok().object
        XCTAssertEqual(backup["state"] as? String, "failed")
        XCTAssertTrue((backup["error"] as? String ?? "").contains("opsd is shutting down"), "\(backup)")
    }

    /// A backup or drill that would leave less free than the policy keeps is
    /// refused before it writes anything.
    func testABackupThatWouldFillTheDiskIsRefusedBeforeItWrites() throws {
        let daemon = try Daemon().start()
        daemon.opsctl("backup", "run", "ops").ok()
        daemon.opsctl("policy", "set", "backup.keep_free_mib", "1000000000").ok()   // about 1 EiB must stay free
        let refused = daemon.opsctl("backup", "run", "ops")
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("not enough room for BK-2026-0002") && refused.stderr.contains("backup.keep_free_mib"), refused.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: daemon.dataDirectory + "/backups/ops").sorted(),
                       ["BK-2026-0001.manifest.json", "BK-2026-0001.sqlite"])
        XCTAssertEqual(daemon.opsctl("backup", "show", "BK-2026-0002", "--json").ok().object["state"] as? String, "failed")
        let drill = daemon.opsctl("backup", "drill", "ops")
        XCTAssertEqual(drill.status, 1)
        XCTAssertTrue(drill.stderr.contains("not enough room for the drill of BK-2026-0001"), drill.stderr)
        daemon.opsctl("policy", "set", "backup.keep_free_mib", "0").ok()
        daemon.opsctl("backup", "run", "ops").ok()
    }

    /// Ctrl-C on opsctl (or a lost connection) does not stop the job: opsd
    /// finishes the backup and records it with its audit entry.
    func testABackupGoesOnWhenOpsctlIsInterrupted() throws {
        let daemon = try Daemon().start()
        sqliteTarget(daemon, "portal", rows: 20_000)
        let run = try backupUnderWay(daemon, "portal")
        run.interrupt()
        run.waitUntilExit()
        XCTAssertEqual(run.terminationReason, .uncaughtSignal, "opsctl was stopped before the backup finished")
        var state = ""
        let finished = Date().addingTimeInterval(120)
        while Date() < finished {
            state = daemon.opsctl("backup", "show", "BK-2026-0001", "--json").ok().object["state"] as? String ?? ""
            if state != "running" { break }
            usleep(100_000)
        }
        XCTAssertEqual(state, "complete")
        daemon.opsctl("backup", "verify", "BK-2026-0001").ok()
        let entries = daemon.opsctl("audit", "list", "--json").ok().object["entries"] as? [[String: Any]] ?? []
        XCTAssertTrue(entries.contains { $0["command"] as? String == "backup.run" }, "the backup is in the audit trail: \(entries)")
    }

    func testRestoreToANewFileAndOverTheLiveDatabase() throws {
        let daemon = try Daemon().start()
        let source = daemon.scratch.file("portal.db")
        portalDatabase(source, rows: 1_000)
        daemon.opsctl("target", "add", "portal", "--sqlite", source).ok()
        daemon.opsctl("backup", "run", "portal").ok()
        let restored = daemon.scratch.file("restored.db")
        daemon.opsctl("backup", "restore", "BK-2026-0001", "--to", restored).ok()
        XCTAssertEqual(daemon.opsctl("backup", "restore", "BK-2026-0001", "--to", restored).status, 1, "never over an existing file")
        XCTAssertEqual(Run.process("/usr/bin/env", ["sqlite3", restored, "SELECT COUNT(*) FROM dossier"]).ok().stdout, "1000\n")

        Run.process("/usr/bin/env", ["sqlite3", source, "DELETE FROM dossier WHERE id <= 300"]).ok()
        daemon.opsctl("integrity", "fingerprint", "portal").ok()
        let compared = daemon.opsctl("integrity", "compare", "BK-2026-0001", "FP-1", "--json").ok().object
        let dossier = (compared["tables"] as? [[String: Any]])?.first { $0["table"] as? String == "dossier" }
        XCTAssertEqual(dossier?["change"] as? String, "rows removed")
        XCTAssertEqual(dossier?["rows_before"] as? Int, 1000)
        XCTAssertEqual(dossier?["rows_after"] as? Int, 700)

        let replaced = daemon.opsctl("backup", "restore", "BK-2026-0001", "--replace").ok()
        XCTAssertTrue(replaced.stdout.contains("what was there is backup BK-2026-0002"), replaced.stdout)
        XCTAssertEqual(Run.process("/usr/bin/env", ["sqlite3", source, "SELECT COUNT(*) FROM dossier"]).ok().stdout, "1000\n")
        XCTAssertEqual((daemon.opsctl("backup", "show", "BK-2026-0002", "--json").ok().object["fingerprint"] as? [String: Any]).map { _ in true }, true)
        XCTAssertEqual(daemon.opsctl("backup", "restore", "BK-2026-0001").status, 2, "--to or --replace")
        XCTAssertEqual(daemon.opsctl("integrity", "compare", "BK-2026-0001", "BK-2026-0003").status, 1, "no such backup")
    }

    func testIntegrityCheckFindsAnOrphanRow() throws {
        let daemon = try Daemon().start()
        let source = daemon.scratch.file("fk.db")
        Run.process("/usr/bin/env", ["sqlite3", source, """
            CREATE TABLE agency(id INTEGER PRIMARY KEY);
            CREATE TABLE dossier(id INTEGER PRIMARY KEY, agency INTEGER REFERENCES agency(id));
            INSERT INTO agency VALUES (1); INSERT INTO dossier VALUES (1, 1), (2, 42);
            """]).ok()
        daemon.opsctl("target", "add", "fk", "--sqlite", source).ok()
        let check = daemon.opsctl("integrity", "check", "fk", "--quick")
        XCTAssertEqual(check.status, 1)
        XCTAssertTrue(check.stderr.contains("foreign key: dossier row 2 has no parent in agency"), check.stderr)
        XCTAssertTrue(daemon.opsctl("integrity", "check", "ops").ok().stdout.contains("ops: ok"))
        XCTAssertEqual(daemon.opsctl("target", "add", "bad", "--sqlite", "relative.db").status, 2)
        XCTAssertEqual(daemon.opsctl("target", "add", "bad", "--dump-command", "pg_dump x").status, 2, "needs --restore-command")
    }
}
