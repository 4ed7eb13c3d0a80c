#!/usr/bin/env bash
# A soak: opsd under 500 concurrent clients of mixed roles for MINUTES, then proof that nothing was lost.
#
#   sudo scripts/soak.sh [MINUTES] [CLIENTS]     (default 10 minutes, 500 clients; must run as root)
#
# Builds release opsd and opsctl, starts opsd on a scratch data directory (socket mode 0666, mail to a
# sink, synchronous full), a local HTTP target for 20 HTTP checks every 10 s, and scripts/testing/
# soak_driver.py: accounts of every role bound to uids 60001…, one process per uid dropping to it, one
# thread and connection per client, about one request a second each (incidents opened, noted,
# acknowledged, resolved; feedback; heartbeats and submitted results; lists, shows, status), 8% of
# them requests that must be refused (a role that may not, bad arguments, an unknown command) and a
# few uids with no account at all; `backup run ops` every minute. Then `opsctl audit verify`, a clean
# stop, `PRAGMA quick_check` with the sqlite3 shell and scripts/testing/soak_verify.py, which finds
# every write opsd acknowledged in ops.db (opened read-only).
#
# Prints per minute: requests/s, p50/p99 latency, unexpected answers, provoked refusals, opsd's RSS (anon, stacks),
# descriptors (sockets+ops.db's+others) and threads; then latency by command and one PASS/FAIL line per
# verdict. Asserts (exit 1 otherwise): no unexpected answer, failed connect or failed backup; RSS at the
# end within 5% of RSS at the end of minute 1; descriptors other than sockets and ops.db's no more at the
# end than after minute 1, ops.db's no higher in the second half (and after) than in the first, sockets back
# to their number before the clients and threads within 16 of it; the audit chain intact; quick_check ok;
# every acknowledged write found.
# opsd runs under the soft descriptor limit systemd gives a service (1,024), not this shell's, and with
# the GLIBC_TUNABLES the unit sets (SOAK_TUNABLES=... to try another, SOAK_TUNABLES= for glibc's defaults).
# Takes MINUTES, plus the release build (10 minutes from scratch on 2 shared cores) and about a minute
# of set-up, warm-up and checks.
# Not in .ci/run: it is a measurement of minutes on a quiet machine, not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
minutes="${1:-10}"
clients="${2:-500}"
if [ "$(id -u)" -ne 0 ]; then
  echo "soak: run as root (the driver's clients take the uids of accounts of every role)" >&2
  exit 2
fi
scripts/setup.sh
swift build -c release --product opsd >&2
swift build -c release --product opsctl >&2
bin="$(swift build -c release --show-bin-path)"
work="$(mktemp -d /tmp/portalops-soak.XXXXXX)"
chmod 0711 "$work"   # the clients' uids reach the socket in it; the data directory stays 0700
trap 'kill $(jobs -p) 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

printf '#!/bin/sh\ncat >/dev/null\n' >"$work/sendmail"   # pages go nowhere, quickly
chmod 0755 "$work/sendmail"
python3 scripts/testing/http_target.py "$work/port" &
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done

# The descriptor limit systemd gives a service by default (soft 1024), not this shell's, and the
# malloc setting the unit gives opsd (read from it, so the two cannot drift; SOAK_TUNABLES overrides).
tunables="${SOAK_TUNABLES-$(sed -n 's/^Environment=GLIBC_TUNABLES=//p' scripts/systemd/portalops.service)}"
(ulimit -Sn 1024
 export GLIBC_TUNABLES="$tunables"
 exec "$bin/opsd" --data "$work/data" --socket "$work/opsd.sock" --socket-mode 0666 \
   --sendmail "$work/sendmail" 2>"$work/opsd.log") &
opsd=$!
for _ in $(seq 200); do [ -S "$work/opsd.sock" ] && break; sleep 0.05; done
[ -S "$work/opsd.sock" ] || { echo "soak: opsd did not start" >&2; cat "$work/opsd.log" >&2; exit 1; }

echo "PortalOps soak: $minutes min, $clients clients, $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC'),"\
  "GLIBC_TUNABLES='$tunables'"
status=0
python3 scripts/testing/soak_driver.py "$work/opsd.sock" --minutes "$minutes" --clients "$clients" --pid "$opsd" \
  --out "$work" --http-url "http://127.0.0.1:$(cat "$work/port")/" || status=1

verdict() {  # verdict OK DESCRIPTION
  if [ "$1" -eq 0 ]; then echo "PASS: $2"; else echo "FAIL: $2"; status=1; fi
}
verdict "$status" "every answer as expected, every client connected, every backup complete"

audit="$("$bin/opsctl" --socket "$work/opsd.sock" audit verify 2>&1)" && ok=0 || ok=1
verdict "$ok" "opsctl audit verify: $audit"

kill -TERM "$opsd"
wait "$opsd" && ok=0 || ok=1
verdict "$ok" "opsd stopped cleanly on SIGTERM"

check="$(sqlite3 -readonly "$work/data/ops.db" 'PRAGMA quick_check;' 2>&1)"
[ "$check" = "ok" ] && ok=0 || ok=1
verdict "$ok" "PRAGMA quick_check: $check"

found="$(python3 scripts/testing/soak_verify.py "$work/data/ops.db" "$work/acks.json")" && ok=0 || ok=1
verdict "$ok" "$found"

python3 - "$work/minutes.json" "$clients" <<'PY' || status=1
import json, sys
m = json.load(open(sys.argv[1])); clients = int(sys.argv[2])
samples, baseline, after = m["samples"], m["baseline"], m["after"]
failed = False
def verdict(ok, text):
    global failed
    print(("PASS: " if ok else "FAIL: ") + text)
    failed |= not ok
if len(samples) < 2:
    verdict(False, "fewer than two minutes sampled: nothing to compare")
    sys.exit(1)
first, last = samples[0], samples[-1]
growth = (last["rss_kib"] - first["rss_kib"]) / first["rss_kib"] * 100
verdict(growth <= 5, f"RSS {first['rss_kib'] / 1024:.1f} MiB after minute 1, {last['rss_kib'] / 1024:.1f} MiB "
        f"after minute {last['minute']} ({growth:+.1f}%, at most +5%)")
verdict(last["fd_other"] <= first["fd_other"], f"descriptors other than sockets and ops.db's: {first['fd_other']} "
        f"after minute 1, {last['fd_other']} at the end")
# ops.db's descriptors vary with the readers in flight at the sampling instant, and grow while the pool of
# idle readers (16 at most) fills: a leak shows as new highs in the second half of the run.
half = len(samples) // 2
early = max(s["fd_database"] for s in samples[:half])
late = max([s["fd_database"] for s in samples[half:]] + [after["fd_database"]])
verdict(late <= early, f"ops.db descriptors: at most {early} in the first half, {late} in the second half and "
        f"once the clients left ({after['fd_database']})")
peak = max(s["fd_sockets"] for s in samples)
verdict(peak <= baseline["fd_sockets"] + clients, f"sockets at most {peak} (clients {clients}, "
        f"{baseline['fd_sockets']} before)")
# Threads: one per connection, gone with it; libdispatch's workers and the job runner's come on demand and
# stay a while, hence the slack of 16 (a thread left behind per connection would be thousands).
verdict(after["fd_sockets"] <= baseline["fd_sockets"] and after["threads"] <= baseline["threads"] + 16,
        f"after the clients left: {after['fd_sockets']} sockets, {after['threads']} threads "
        f"(before: {baseline['fd_sockets']}, {baseline['threads']}; threads may be 16 more)")
sys.exit(1 if failed else 0)
PY
if [ "$status" -ne 0 ]; then
  echo "soak: FAILED; opsd's log ends:" >&2
  tail -20 "$work/opsd.log" >&2
fi
exit "$status"
