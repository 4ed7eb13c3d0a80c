import Foundation
@preconcurrency import Glibc
import XCTest

/// A real second database: PostgreSQL on 127.0.0.1, backed up with pg_dump
/// as a command target, verified, restored into a scratch database.
final class PostgresBackupTests: XCTestCase {
    private var bin = ""
    private var port = 0

    private func postgresBin() -> String? {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        return versions.sorted().reversed().map { "/usr/lib/postgresql/\($0)/bin" }.first {
            FileManager.default.isExecutableFile(atPath: $0 + "/initdb")
        }
    }

    private func asPostgres(_ arguments: [String]) -> CommandResult {
        Run.process("/usr/sbin/runuser", ["-u", "postgres", "--"] + arguments)
    }

    func testPgDumpBackupVerifiesAndRestoresIntoAScratchDatabase() throws {
        guard getuid() == 0, let bin = postgresBin(), FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser") else {
            throw XCTSkip("needs root and PostgreSQL (scripts/setup.sh installs it)")
        }
        self.bin = bin
        let daemon = try Daemon().start()
        let pgdata = daemon.scratch.file("pgdata"), sockets = daemon.scratch.file("pgsock")
        for directory in [sockets, pgdata] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            Run.process("/bin/chown", ["postgres:postgres", directory]).ok()
        }
        asPostgres([bin + "/initdb", "-D", pgdata, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8"]).ok()
        port = 20_000 + Int(getpid() % 20_000)
        // Started through Python, which closes every other descriptor: the
        // server must not inherit (and hold open) the pipes this test reads.
        Run.process("/usr/bin/env", ["python3", "-c", """
            import subprocess, sys
            log = open(sys.argv[1], 'wb')
            sys.exit(subprocess.call(sys.argv[2:], stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, close_fds=True))
            """, daemon.scratch.file("pg_ctl.out"), "runuser", "-u", "postgres", "--", bin + "/pg_ctl", "-D", pgdata, "-w", "-l", pgdata + "/log",
            "-o", "-c listen_addresses=127.0.0.1 -p \(port) -k \(sockets)", "start"]).ok()
        // Stopped before the scratch directory holding its data goes away.
        defer { _ = asPostgres([bin + "/pg_ctl", "-D", pgdata, "-m", "immediate", "-w", "stop"]) }
        let connection = "-h 127.0.0.1 -p \(port) -U postgres"
        func psql(_ database: String, _ sql: String) -> String {
            Run.process("/bin/sh", ["-c", "psql \(connection) -d \(database) -At -c \"\(sql)\""]).ok().stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        Run.process("/bin/sh", ["-c", "createdb \(connection) portal"]).ok()
        _ = psql("portal", "CREATE TABLE dossier(id serial PRIMARY KEY, citizen text); INSERT INTO dossier(citizen) SELECT 'Công dân ' || g FROM generate_series(1, 2500) g;")

        daemon.opsctl("target", "add", "pg", "--dump-command", "pg_dump \(connection) -Fc portal",
                      "--restore-command", "createdb \(connection) {path} && pg_restore \(connection) -d {path}",
                      "--check-command", "pg_restore -l > /dev/null").ok()
        daemon.opsctl("backup", "run", "pg", "--label", "pg_dump").ok()
        daemon.opsctl("backup", "verify", "BK-2026-0001").ok()
        daemon.opsctl("backup", "restore", "BK-2026-0001", "--to", "portal_restore").ok()
        XCTAssertEqual(psql("portal_restore", "SELECT count(*) FROM dossier"), psql("portal", "SELECT count(*) FROM dossier"))
        XCTAssertEqual(psql("portal_restore", "SELECT citizen FROM dossier WHERE id = 7"), "Công dân 7")
        daemon.opsctl("backup", "drill", "pg").ok()

        // A dump command that fails is a failed backup, with the command's stderr.
        daemon.opsctl("target", "add", "pg-wrong", "--dump-command", "pg_dump \(connection) -Fc no_such_db",
                      "--restore-command", "true").ok()
        let failed = daemon.opsctl("backup", "run", "pg-wrong")
        XCTAssertEqual(failed.status, 1)
        XCTAssertTrue(failed.stderr.contains("no_such_db"), failed.stderr)
    }
}
