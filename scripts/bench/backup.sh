#!/usr/bin/env bash
# Backup, integrity and hashing speed against the reference tools, in one run.
# Prints figures only.
#
#   scripts/bench/backup.sh [SIZE_MB]     size of the generated database (default 1024)
#
# Generates a portal-like SQLite database (dossiers, citizens, payments, with
# indexes), registers it as a target of a release-built opsd, and times:
#   - the copy part of 'opsctl backup run' (from its progress lines) beside
#     'sqlite3 .backup' and 'cp';
#   - the whole 'opsctl backup run' (copy, integrity_check, fingerprint, SHA-256,
#     manifest) beside 'sqlite3 .backup' + 'PRAGMA integrity_check' + 'sha256sum';
#   - 'opsctl integrity fingerprint' beside 'sqlite3 .sha3sum';
#   - the SHA-256 phase of a backup of the same file as a command target (a
#     dump and a hash, nothing beside it) beside 'sha256sum'; and the SHA-256
#     phase of the SQLite backup, which runs beside its integrity check.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
size_mb="${1:-1024}"
scripts/setup.sh
swift build -c release --product opsd >&2
swift build -c release --product opsctl >&2
bin="$(swift build -c release --show-bin-path)"
work="$(mktemp -d /tmp/portalops-backup-bench.XXXXXX)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

echo "generating a ${size_mb} MB portal-like database…" >&2
python3 - "$work/portal.db" "$size_mb" <<'PY'
import os, random, sqlite3, sys
path, target = sys.argv[1], int(sys.argv[2]) * 1024 * 1024
db = sqlite3.connect(path)
db.executescript('''
PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;
CREATE TABLE citizen(id INTEGER PRIMARY KEY, full_name TEXT, id_number TEXT, address TEXT, phone TEXT);
CREATE TABLE dossier(id INTEGER PRIMARY KEY, code TEXT, citizen INTEGER REFERENCES citizen(id), procedure TEXT,
                     status TEXT, submitted_at INTEGER, fee REAL, note TEXT);
CREATE TABLE payment(id INTEGER PRIMARY KEY, dossier INTEGER REFERENCES dossier(id), amount REAL, channel TEXT, paid_at INTEGER, receipt BLOB);
CREATE INDEX dossier_code ON dossier(code); CREATE INDEX dossier_citizen ON dossier(citizen);
CREATE INDEX payment_dossier ON payment(dossier); CREATE INDEX citizen_id_number ON citizen(id_number);
''')
rnd = random.Random(7)
names = ['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Hoàng Cường', 'Phạm Thị Dung', 'Hoàng Văn Em', 'Giàng A Páo', 'Lò Thị Mai']
batch = 0
while os.path.getsize(path) + (os.path.getsize(path + '-wal') if os.path.exists(path + '-wal') else 0) < target:
    base = batch * 10000
    db.executemany('INSERT INTO citizen VALUES (?,?,?,?,?)', ((base + i, rnd.choice(names), f'{rnd.randrange(10**11, 10**12)}',
                   f'Thôn {i % 90}, xã Tả Van, thị xã Sa Pa, tỉnh Lào Cai', f'09{rnd.randrange(10**7, 10**8)}') for i in range(10000)))
    db.executemany('INSERT INTO dossier VALUES (?,?,?,?,?,?,?,?)', ((base + i, f'HS-{base + i}', base + i, 'Cấp bản sao trích lục hộ tịch',
                   rnd.choice(['mới', 'đang xử lý', 'đã trả']), 1700000000 + i, rnd.random() * 100000, 'ghi chú ' * rnd.randrange(1, 20)) for i in range(10000)))
    db.executemany('INSERT INTO payment VALUES (?,?,?,?,?,?)', ((base + i, base + i, rnd.random() * 100000, 'VNPT Pay',
                   1700000000 + i, os.urandom(64)) for i in range(10000)))
    db.commit()
    batch += 1
db.execute('PRAGMA wal_checkpoint(TRUNCATE)')
db.close()
PY
size=$(stat -c %s "$work/portal.db")
# Every timed step starts with nothing left to write back, so that one step's
# dirty pages are not flushed on the next one's time.
sync

"$bin/opsd" --data "$work/data" --socket "$work/opsd.sock" 2>"$work/opsd.log" &
for _ in $(seq 1 500); do [ -S "$work/opsd.sock" ] && break; sleep 0.02; done
export PORTALOPS_SOCKET="$work/opsd.sock"
"$bin/opsctl" target add portal --sqlite "$work/portal.db" >/dev/null
# The same file as a command target: its backup only dumps and hashes, so the
# hash is timed with nothing else running beside it.
"$bin/opsctl" target add raw --dump-command "cat '$work/portal.db'" --restore-command "cat > {path}" >/dev/null

now() { date +%s.%N; }
# opsctl backup run, with a timestamp on each progress line it prints:
# prints the copy time, the hashing time and the whole time.
backup_phases() {
python3 - "$bin/opsctl" "$1" <<'PY'
import subprocess, sys, time
start = time.time()
p = subprocess.Popen([sys.argv[1], 'backup', 'run', sys.argv[2]], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, bufsize=0)
marks = {}
hashing = 0.0
for line in iter(p.stderr.readline, b''):   # line by line, as each arrives
    text = line.decode()
    sys.stderr.write(f"{time.time() - start:7.2f} s  {text}")
    marks.setdefault(text.split(': ', 1)[-1].split(' ')[0], time.time() - start)
    if ': hashed ' in text and ' bytes in ' in text:
        hashing = int(text.rsplit(' in ', 1)[1].split(' ')[0]) / 1000
p.wait()
total = time.time() - start
copy = marks.get('checking', total)
print(f"{copy:.2f} {hashing:.2f} {total:.2f}")
PY
}
backup_phases portal > "$work/phases"; sync
backup_phases raw > "$work/raw-phases"; sync
read -r _ raw_hash _ < "$work/raw-phases"
read -r opsd_copy opsd_hash opsd_total < "$work/phases"

sync; t=$(now); sqlite3 "$work/portal.db" ".backup '$work/ref.db'"; sqlite_backup=$(echo "$(now) - $t" | bc)
sync; t=$(now); cp "$work/portal.db" "$work/cp.db"; cp_time=$(echo "$(now) - $t" | bc)
t=$(now); sqlite3 "$work/ref.db" "PRAGMA integrity_check" >/dev/null; sqlite_check=$(echo "$(now) - $t" | bc)
t=$(now); sha256sum "$work/ref.db" >/dev/null; sha_time=$(echo "$(now) - $t" | bc)
t=$(now); "$bin/opsctl" integrity fingerprint portal >/dev/null 2>&1; opsd_fp=$(echo "$(now) - $t" | bc)
t=$(now); sqlite3 "$work/portal.db" ".sha3sum" >/dev/null; sqlite_sha3=$(echo "$(now) - $t" | bc)

python3 - "$size" "$opsd_copy" "$sqlite_backup" "$cp_time" "$opsd_total" "$sqlite_check" "$sha_time" "$opsd_fp" "$sqlite_sha3" "$raw_hash" "$opsd_hash" <<'PY'
import sys
size, oc, sb, cp, ot, sc, sh, fp, s3, oh, ob = (float(x) for x in sys.argv[1:])
mb = size / 1048576
def row(name, ours, ref, refname):
    print(f"{name:<44} {ours:>8.2f} s {ref:>8.2f} s  {refname:<40} {ref / ours if ours else 0:>6.2f}x")
print(f"PortalOps backup benchmark: a {mb:.0f} MiB portal-like SQLite database")
print()
print(f"{'measurement':<44} {'opsd':>10} {'reference':>10}  {'reference tool':<40} {'speed':>7}")
row("backup copy (online backup API)", oc, sb, "sqlite3 .backup", )
row("backup copy vs a plain file copy", oc, cp, "cp")
row("full backup: copy, check, fingerprint, hash", ot, sb + sc + sh, "sqlite3 .backup + integrity_check + sha256sum")
row("fingerprint of the database", fp, s3, "sqlite3 .sha3sum")
row("SHA-256 of the file", oh, sh, "sha256sum")
row("SHA-256 of the file beside integrity_check", ob, sh, "sha256sum (alone)")
print()
print(f"SHA-256 throughput: opsd {mb / oh if oh else 0:.0f} MiB/s alone, {mb / ob if ob else 0:.0f} MiB/s during a backup's"
      f" integrity check; sha256sum {mb / sh if sh else 0:.0f} MiB/s")
PY
