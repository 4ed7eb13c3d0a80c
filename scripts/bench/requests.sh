#!/usr/bin/env bash
# Request throughput and latency of opsd, beside the sqlite3 shell doing the
# same inserts, in one run. Prints figures; asserts nothing.
#
#   scripts/bench/requests.sh [N]      N requests per measurement (default 5000)
#
# Measured: audited writes/s and reads/s over one connection, one request at
# a time (each answered before the next is sent) and pipelined (sent back to
# back; opsd runs what is waiting in one transaction, one savepoint and audit
# entry per request, one fsync per batch), for --synchronous full (the
# default) and normal; p50/p99 of whole `opsctl
# whoami` runs (process start, connect, answer); the sqlite3 shell inserting
# the same rows one transaction each, with the same pragmas.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
n="${1:-5000}"
scripts/setup.sh
swift build -c release --product opsd >&2
swift build -c release --product opsctl >&2
bin="$(swift build -c release --show-bin-path)"
work="$(mktemp -d /tmp/portalops-bench.XXXXXX)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

start_daemon() {  # name, synchronous
  "$bin/opsd" --data "$work/$1" --socket "$work/$1.sock" --synchronous "$2" 2>"$work/$1.log" &
  for _ in $(seq 1 500); do [ -S "$work/$1.sock" ] && return 0; sleep 0.02; done
  echo "opsd did not start" >&2; cat "$work/$1.log" >&2; exit 1
}

one_connection() {  # socket, n → "writes/s reads/s pipelined-writes/s pipelined-reads/s"
  python3 - "$1" "$2" <<'PY'
import json, socket, sys, threading, time
path, n = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_UNIX); s.connect(path); f = s.makefile("rb")
def line(command, args): return (json.dumps({"command": command, "args": args}) + "\n").encode()
def sequential(make):
    t = time.perf_counter()
    for i in range(n):
        s.sendall(make(i))
        assert json.loads(f.readline())["ok"]
    return n / (time.perf_counter() - t)
def pipelined(make):
    data = b"".join(make(i) for i in range(n))
    t = time.perf_counter()
    sender = threading.Thread(target=s.sendall, args=(data,)); sender.start()
    for _ in range(n): assert json.loads(f.readline())["ok"]
    sender.join()
    return n / (time.perf_counter() - t)
w = sequential(lambda i: line("component.add", {"key": f"c{i}", "name": f"Thành phần {i}"}))
r = sequential(lambda i: line("whoami", {}))
pw = pipelined(lambda i: line("component.add", {"key": f"p{i}", "name": f"Thành phần {i}"}))
pr = pipelined(lambda i: line("whoami", {}))
print(f"{w:.0f} {r:.0f} {pw:.0f} {pr:.0f}")
PY
}

sqlite_reference() {  # synchronous → inserts/s
  python3 - "$work/ref-$1.db" "$1" "$n" <<'PY'
import subprocess, sys, time
db, sync, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
sql = [f"PRAGMA journal_mode=WAL; PRAGMA synchronous={sync};",
       "CREATE TABLE components(key TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT, created_at INTEGER NOT NULL);"]
sql += [f"BEGIN IMMEDIATE; INSERT INTO components VALUES ('c{i}', 'Thành phần {i}', NULL, {i}); COMMIT;" for i in range(n)]
script = "\n".join(sql).encode()
t = time.perf_counter()
subprocess.run(["sqlite3", db], input=script, check=True, stdout=subprocess.DEVNULL)
print(f"{n / (time.perf_counter() - t):.0f}")
PY
}

opsctl_latency() {  # socket → "p50 p99" in ms
  python3 - "$bin/opsctl" "$1" <<'PY'
import subprocess, sys, time
opsctl, sock = sys.argv[1], sys.argv[2]
times = []
for _ in range(300):
    t = time.perf_counter()
    subprocess.run([opsctl, "--socket", sock, "whoami"], check=True, stdout=subprocess.DEVNULL)
    times.append((time.perf_counter() - t) * 1000)
times.sort()
print(f"{times[len(times)//2]:.1f} {times[int(len(times)*0.99)]:.1f}")
PY
}

echo "PortalOps request benchmark: $n requests per figure, $(nproc) cores, SQLite $(sqlite3 --version | cut -d' ' -f1)"
echo
start_daemon full FULL
read -r wf rf pwf prf < <(one_connection "$work/full.sock" "$n")
read -r p50 p99 < <(opsctl_latency "$work/full.sock")
start_daemon normal NORMAL
read -r wn rn pwn prn < <(one_connection "$work/normal.sock" "$n")
ref_full="$(sqlite_reference FULL)"
ref_normal="$(sqlite_reference NORMAL)"

printf '%-52s %12s %12s\n' "measurement" "sync=full" "sync=normal"
printf '%-52s %12s %12s\n' "opsd audited writes/s, one connection, one at a time" "$wf" "$wn"
printf '%-52s %12s %12s\n' "opsd audited writes/s, one connection, pipelined" "$pwf" "$pwn"
printf '%-52s %12s %12s\n' "sqlite3 shell inserts/s, one per transaction (ref.)" "$ref_full" "$ref_normal"
printf '%-52s %12s %12s\n' "opsd reads/s, one connection, one at a time" "$rf" "$rn"
printf '%-52s %12s %12s\n' "opsd reads/s, one connection, pipelined" "$prf" "$prn"
echo
printf '%-52s %12s\n' "opsctl whoami, whole run p50 (ms)" "$p50"
printf '%-52s %12s\n' "opsctl whoami, whole run p99 (ms)" "$p99"
