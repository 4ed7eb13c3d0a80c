#!/usr/bin/env bash
# The year's report over a year of data, beside the sqlite3 shell computing the same raw aggregates,
# in one run. Prints figures only.
#
#   scripts/bench/report.sh [RESULTS] [INCIDENTS]   (default 1000000 check results, 4000 incidents)
#
# A release-built opsd gets 5 components and 6 checks through opsctl; then a year of history goes
# straight into ops.db (it is stopped): RESULTS check results, up/down periods (an outage of 10-60 min
# every 2-4 days per check), INCIDENTS incidents with their components, timeline and recommendations,
# and opsd's own run covering the year. Timed, three times each, with opsd running again:
#   - 'opsctl report periodic --period year --of 2026' in json, html and md (the whole report: every
#     section, availability from the periods, incidents, maintenance, backups, feedback);
#   - 'sqlite3' running the raw aggregates a report needs (incidents by severity with mean times, check
#     results per check and day, periods per check): the floor of reading the same rows.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
results="${1:-1000000}"
incidents="${2:-4000}"
swift build -c release --product opsd >&2
swift build -c release --product opsctl >&2
bin="$(swift build -c release --show-bin-path)"
work="$(mktemp -d /tmp/portalops-report-bench.XXXXXX)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
export PORTALOPS_DATA="$work/data" PORTALOPS_SOCKET="$work/opsd.sock"

start_opsd() {
  "$bin/opsd" --test-clock --sendmail "cat > /dev/null" 2>>"$work/opsd.log" &
  opsd_pid=$!
  for _ in $(seq 1 200); do "$bin/opsctl" status >/dev/null 2>&1 && break; sleep 0.05; done
  "$bin/opsctl" clock set "2026-12-15 02:00" >/dev/null
}
stop_opsd() { kill "$opsd_pid"; wait "$opsd_pid" 2>/dev/null || true; }

start_opsd
# Keep the year's raw results: the default 30 days would roll the rest up at the next tick.
"$bin/opsctl" policy set checks.keep_results 400d >/dev/null
for c in portal payment national-link sso sms; do "$bin/opsctl" component add "$c" --name "Thành phần $c" >/dev/null; done
for c in portal payment national-link sso sms portal-api; do
  component="$c"; [ "$c" = portal-api ] && component=portal
  "$bin/opsctl" check add "$c" --component "$component" --heartbeat --every 1d --grace 1d >/dev/null
done
stop_opsd

echo "writing a year of history: $results check results, $incidents incidents…" >&2
python3 - "$PORTALOPS_DATA/ops.db" "$results" "$incidents" <<'PY'
import random, sqlite3, sys
path, results, incidents = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
random.seed(7)
start, end = 1765731600000, 1797267600000          # 2025-12-15 and 2026-12-15 00:00 at UTC+7
db = sqlite3.connect(path)
db.execute("PRAGMA synchronous=OFF")
checks = [r[0] for r in db.execute("SELECT id FROM checks ORDER BY id")]
components = [r[0] for r in db.execute("SELECT key FROM components ORDER BY key")]
db.execute("UPDATE checks SET since = ?, created_at = ?", (start, start))
db.execute("DELETE FROM opsd_runs")
db.execute("INSERT INTO opsd_runs(started_at, alive_at) VALUES (?, ?)", (start, end))
step = (end - start) * len(checks) // results
rows = ((checks[i % len(checks)], start + (i // len(checks)) * step * 1, start + (i // len(checks)) * step,
         'critical' if random.random() < 0.002 else 'ok', random.randint(20, 900), 'HTTP 200')
        for i in range(results))
db.executemany("INSERT INTO check_results(check_id, due_at, at, status, latency, detail) VALUES (?,?,?,?,?,?)", rows)
for check in checks:
    t = start
    while t < end:
        up = random.randint(2, 4) * 86400000
        down = random.randint(10, 60) * 60000
        db.execute("INSERT INTO check_periods(check_id, state, start, end) VALUES (?, 'up', ?, ?)",
                   (check, t, min(t + up, end)))
        t += up
        if t >= end: break
        db.execute("INSERT INTO check_periods(check_id, state, start, end) VALUES (?, 'down', ?, ?)",
                   (check, t, min(t + down, end)))
        t += down
severities = ['sev1', 'sev2', 'sev3', 'sev3', 'sev4', 'sev4']
for n in range(1, incidents + 1):
    opened = random.randint(start, end - 86400000)
    sev = random.choice(severities)
    security = 1 if random.random() < 0.03 else 0
    ack, resolved = opened + random.randint(1, 30) * 60000, opened + random.randint(30, 600) * 60000
    cur = db.execute("""INSERT INTO incidents(ref, title, severity, state, source, security, detected_at, opened_at,
                        opened_by, acknowledged_at, acknowledged_by, resolved_at, cause, resolution, peak_severity)
                        VALUES (?, ?, ?, 'resolved', 'monitor', ?, ?, ?, 'opsd', ?, 'lan', ?, ?, ?, ?)""",
                     (f"INC-2026-{n:05d}", f"Sự cố số {n}", sev, security, opened, opened, ack, resolved,
                      "Nguyên nhân " + str(n), "Đã khắc phục", sev))
    incident = cur.lastrowid
    db.execute("INSERT INTO incident_components(incident, component) VALUES (?, ?)",
               (incident, random.choice(components)))
    for kind, at in (("opened", opened), ("acknowledged", ack), ("resolved", resolved)):
        db.execute("INSERT INTO incident_events(incident, at, actor, kind, text) VALUES (?, ?, 'lan', ?, ?)",
                   (incident, at, kind, kind))
db.commit()
PY

start_opsd
ms() { python3 -c 'import time; print(int(time.time() * 1000))'; }
time_it() {   # label, command…: three runs, prints best and median in ms
  local label="$1"; shift
  local runs=()
  for _ in 1 2 3; do
    local t0; t0=$(ms); "$@" >/dev/null; local t1; t1=$(ms); runs+=($((t1 - t0)))
  done
  local sorted; sorted=$(printf '%s\n' "${runs[@]}" | sort -n | tr '\n' ' ')
  printf '%-58s best %6s ms   median %6s ms\n' "$label" "$(echo "$sorted" | cut -d' ' -f1)" \
    "$(echo "$sorted" | cut -d' ' -f2)"
}
rows=$(sqlite3 "$PORTALOPS_DATA/ops.db" "SELECT (SELECT COUNT(*) FROM check_results) || ' results, ' ||
  (SELECT COUNT(*) FROM check_periods) || ' periods, ' || (SELECT COUNT(*) FROM incidents) || ' incidents'")
size=$(du -m "$PORTALOPS_DATA/ops.db" | cut -f1)
echo "ops.db: $rows, ${size} MB"
time_it "opsctl report periodic --period year (json)" \
  "$bin/opsctl" report periodic --period year --of 2026 --format json
time_it "opsctl report periodic --period year (html, charts)" \
  "$bin/opsctl" report periodic --period year --of 2026 --format html
time_it "opsctl report periodic --period year (md)" \
  "$bin/opsctl" report periodic --period year --of 2026
time_it "sqlite3: the raw aggregates (reference)" sqlite3 "$PORTALOPS_DATA/ops.db" "
  SELECT severity, COUNT(*), AVG(acknowledged_at - opened_at), AVG(resolved_at - opened_at) FROM incidents
    WHERE opened_at >= 1765731600000 AND opened_at < 1797267600000 GROUP BY severity;
  SELECT check_id, at / 86400000, COUNT(*), SUM(status <> 'ok') FROM check_results
    WHERE at >= 1765731600000 AND at < 1797267600000 GROUP BY 1, 2;
  SELECT check_id, state, COUNT(*), SUM(end - start) FROM check_periods GROUP BY 1, 2;"
stop_opsd
