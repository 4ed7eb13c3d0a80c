#!/usr/bin/env bash
# Health-check scheduling against monit and prometheus-blackbox-exporter, side by side in one run.
# Prints figures only.
#
#   scripts/bench/checks.sh [SECONDS] [CHECKS]     (default 120 s, 500 checks, 10 s interval)
#
# One local HTTP server (python3, threaded) logs the arrival time of every request; each tool in turn
# probes CHECKS distinct URLs of it every 10 s for SECONDS:
#   - opsd (release build): CHECKS 'opsctl check add --http' checks, --interval 10s;
#   - monit: 'set daemon 10' and CHECKS 'check host … if failed port … protocol http request …';
#   - prometheus-blackbox-exporter: driven at the same rate as Prometheus would (each target's /probe
#     every 10 s, spread over the interval) by a small python3 driver, not counted in the exporter's figures.
# Per tool: probes done versus scheduled, scheduling lag p50/p99 (each target's arrivals at the server
# against a fixed 10 s grid from its first arrival; for opsd also due→start from its own records), peak RSS
# (VmHWM) and CPU seconds (utime+stime) per 1,000 probes, of the tool's process over the measured window.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
duration="${1:-120}"
checks="${2:-500}"
interval=10
for tool in monit prometheus-blackbox-exporter python3 sqlite3; do
  command -v "$tool" >/dev/null || { echo "checks.sh: $tool is missing; run scripts/setup.sh" >&2; exit 1; }
done
swift build -c release --product opsd >&2
swift build -c release --product opsctl >&2
bin="$(swift build -c release --show-bin-path)"
work="$(mktemp -d /tmp/portalops-checks-bench.XXXXXX)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

# The target: every GET answers 200 and logs "tool index arrival".
cat > "$work/target.py" <<'PY'
import sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
log = open(sys.argv[2], "a", buffering=1)
lock = threading.Lock()
class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        t = time.time()
        parts = self.path.strip("/").split("/")
        with lock:
            log.write(f"{parts[0]} {parts[-1]} {t:.4f}\n")
        body = b"ok"
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer.request_queue_size = 1024
s = ThreadingHTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1], "w").write(str(s.server_address[1]))
s.serve_forever()
PY
python3 "$work/target.py" "$work/port" "$work/arrivals" &
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
port="$(cat "$work/port")"

cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }          # clock ticks
hwm() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }       # kB
tick="$(getconf CLK_TCK)"
declare -A windows cpus rss pids

measure() {   # measure TOOL PID: the window, CPU over it, peak RSS at its end
  local tool="$1" pid="$2" before after start
  before="$(cpu "$pid")"; start="$(date +%s.%N)"
  sleep "$duration"
  after="$(cpu "$pid")"
  windows[$tool]="$start $(date +%s.%N)"
  cpus[$tool]="$(( after - before ))"
  rss[$tool]="$(hwm "$pid")"
}

# --- opsd
mkdir -p "$work/opsd"
"$bin/opsd" --data "$work/opsd" --socket "$work/opsd.sock" 2>"$work/opsd.log" &
opsd=$!
for _ in $(seq 100); do [ -S "$work/opsd.sock" ] && break; sleep 0.1; done
export PORTALOPS_SOCKET="$work/opsd.sock"
"$bin/opsctl" component add portal --name "Cổng dịch vụ công" >/dev/null
for i in $(seq "$checks"); do
  "$bin/opsctl" check add "web-$i" --component portal --http "http://127.0.0.1:$port/opsd/$i" \
    --interval ${interval}s --timeout 5s >/dev/null
done
sleep "$interval"   # every check has fired once: measure the steady state
measure opsd "$opsd"
kill "$opsd"; wait "$opsd" 2>/dev/null || true
opsd_lag="$(sqlite3 "$work/opsd/ops.db" "SELECT at - due_at FROM check_results ORDER BY 1" | python3 -c '
import sys
v = [int(x) for x in sys.stdin if x.strip()]
p = lambda q: v[min(len(v) - 1, int(len(v) * q))] if v else -1
print(f"{p(0.5)} ms / {p(0.99)} ms over {len(v)} probes")')"

# --- monit
{
  echo "set daemon $interval"
  echo "set logfile $work/monit.log"
  echo "set idfile $work/monit.id"
  echo "set statefile $work/monit.state"
  echo "set pidfile $work/monit.pid"
  for i in $(seq "$checks"); do
    echo "check host web-$i with address 127.0.0.1"
    echo "  if failed port $port protocol http request \"/monit/$i\" timeout 5 seconds then alert"
  done
} > "$work/monitrc"
chmod 600 "$work/monitrc"
monit -I -c "$work/monitrc" >/dev/null 2>&1 &
monit=$!
sleep "$interval"
measure monit "$monit"
kill "$monit"; wait "$monit" 2>/dev/null || true

# --- blackbox exporter, driven at the same rate
cat > "$work/blackbox.yml" <<'YML'
modules:
  http_2xx:
    prober: http
    timeout: 5s
    http:
      preferred_ip_protocol: ip4
YML
bbport="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
prometheus-blackbox-exporter --config.file="$work/blackbox.yml" --web.listen-address="127.0.0.1:$bbport" \
  >/dev/null 2>"$work/blackbox.log" &
blackbox=$!
for _ in $(seq 100); do python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$bbport/')" \
  2>/dev/null && break; sleep 0.1; done
cat > "$work/driver.py" <<'PY'
import sys, time, threading, urllib.request
from concurrent.futures import ThreadPoolExecutor
bb, port, n, interval, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
pool = ThreadPoolExecutor(64)
def probe(i):
    url = f"http://127.0.0.1:{bb}/probe?module=http_2xx&target=http://127.0.0.1:{port}/blackbox/{i}"
    try: urllib.request.urlopen(url, timeout=10).read()
    except Exception as e: print(e, file=sys.stderr)
start = time.time()
due = [(start + i * interval / n, i) for i in range(n)]
end = start + seconds
while True:
    due.sort()
    t, i = due[0]
    if t > end: break
    now = time.time()
    if t > now: time.sleep(t - now)
    pool.submit(probe, i)
    due[0] = (t + interval, i)
pool.shutdown(wait=True)
PY
python3 "$work/driver.py" "$bbport" "$port" "$checks" "$interval" "$((duration + interval + 2))" &
driver=$!
sleep "$interval"
measure blackbox "$blackbox"
wait "$driver" 2>/dev/null || true
kill "$blackbox"; wait "$blackbox" 2>/dev/null || true

# --- figures
echo "checks: $checks HTTP checks every ${interval}s for ${duration}s against one local HTTP server; $(nproc) cores"
python3 - "$work/arrivals" "$checks" "$interval" "$tick" \
  "opsd ${windows[opsd]} ${cpus[opsd]} ${rss[opsd]}" \
  "monit ${windows[monit]} ${cpus[monit]} ${rss[monit]}" \
  "blackbox ${windows[blackbox]} ${cpus[blackbox]} ${rss[blackbox]}" <<'PY'
import sys
from collections import defaultdict
path, n, interval, tick = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
arrivals = defaultdict(list)
for line in open(path):
    tool, index, t = line.split()
    arrivals[(tool, index)].append(float(t))
print(f"{'tool':<10} {'done/scheduled':>16} {'lag p50':>9} {'lag p99':>9} {'peak RSS':>10} {'CPU s/1k probes':>16}")
for spec in sys.argv[5:]:
    tool, start, end, ticks, rss = spec.split()
    start, end = float(start), float(end)
    lags, done = [], 0
    for (t, _), times in arrivals.items():
        if t != tool: continue
        times.sort()
        first = times[0]
        # The k-th arrival was due k intervals after the first: a late or missed probe shows as lag.
        for k, t_ in enumerate(times):
            if start <= t_ < end:
                done += 1
                lags.append(max(0.0, t_ - (first + k * interval)))
    lags.sort()
    p = lambda q: lags[min(len(lags) - 1, int(len(lags) * q))] if lags else float("nan")
    scheduled = int(n * (end - start) / interval)
    cpu = int(ticks) / tick
    per = cpu / done * 1000 if done else float("nan")
    print(f"{tool:<10} {done:>7}/{scheduled:<8} {p(0.5)*1000:>7.0f}ms {p(0.99)*1000:>7.0f}ms "
          f"{int(rss)/1024:>8.1f}MB {per:>16.3f}")
PY
echo "opsd's own due→start lag (p50 / p99): $opsd_lag"
