#!/usr/bin/env bash
# Injects faults into a running opsd and checks that each ends in a clear error or a recovery, with nothing
# acknowledged lost and the audit chain intact.
#
#   scripts/faults.sh [FAULT...]        (default: all, in this order)
#
#   disk-full-backup   a backup's destination is a 2 MiB tmpfs and the dump is 8 MB; then the tmpfs grows
#   disk-full-writes   ops.db lives on a small tmpfs filled by a write burst; then the tmpfs grows
#   read-only          opsd's file writes fail with EROFS (strace --inject), then work again
#   sendmail-missing   --sendmail names a command that does not exist; then a working one, and a retry
#   sendmail-hanging   --sendmail never returns (delivery.timeout 2s); then a working one, and a retry
#   portal-locked      a sqlite3 process holds BEGIN EXCLUSIVE on a portal database (rollback journal and WAL)
#                      while opsd backs it up
#   clock-steps        opsd's wall clock (libfaketime, monotonic clock left alone) leaps 2 h forward, steps
#                      3 h back, then leaps again, with an escalating incident open
#   sigstop            opsd SIGSTOPped for FAULTS_STOP_SECONDS (60) under writers and a waiting opsctl
#   kill9              kill -9 at FAULTS_KILLS (10) random points of a FAULTS_WORKLOAD_SECONDS (60) mixed
#                      workload (8 writers and a loop of two backups), restarting after each
#
# Prints one line per fault, "PASS fault: evidence" or "FAIL fault: what did not hold", and the seconds it
# took; exits 1 if any fault failed. After every fault: each write opsd acknowledged is read back
# (scripts/testing/fault_workload.py check), 'opsctl audit verify' says intact, and PRAGMA quick_check is ok.
# Logs and data stay in the printed work directory on failure.
#
# Needs root (tmpfs mounts, ptrace), sqlite3, python3, strace and libfaketime (scripts/setup.sh installs them).
# Runs the debug opsd and opsctl, the binaries the end-to-end tests run (one build serves both, and the faults
# are about behaviour, not speed); FAULTS_CONFIGURATION=release runs the release build instead.
# Takes about 5 minutes with the defaults (2 cores, shared; 2026-11-30): sigstop 70 s, kill9 110-170 s (its 60 s
# workload plus a full read-back after every restart), the others 5-30 s each. A ~2.5-minute version:
#   FAULTS_STOP_SECONDS=5 FAULTS_WORKLOAD_SECONDS=20 FAULTS_KILLS=4 scripts/faults.sh
# Also FAULTS_DATA_TMPFS (6m: disk-full-writes' data directory), FAULTS_LOCK_SECONDS (12: portal-locked's hold).
# Not part of .ci/run (root, mounts, minutes); InjectedFaultTests keeps the cheap faults in CI.
set -uo pipefail
cd "$(dirname "$0")/.."
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
all=(disk-full-backup disk-full-writes read-only sendmail-missing sendmail-hanging portal-locked clock-steps
     sigstop kill9)
faults=("$@")
[ ${#faults[@]} -eq 0 ] && faults=("${all[@]}")
for fault in "${faults[@]}"; do
  [[ " ${all[*]} " == *" $fault "* ]] || { echo "faults.sh: unknown fault '$fault' (one of: ${all[*]})" >&2; exit 2; }
done
[ "$(id -u)" -eq 0 ] || { echo "faults.sh: needs root (tmpfs mounts)" >&2; exit 2; }
scripts/setup.sh
configuration="${FAULTS_CONFIGURATION:-debug}"
swift build -c "$configuration" --product opsd >&2 && swift build -c "$configuration" --product opsctl >&2 || exit 2
bin="$(swift build -c "$configuration" --show-bin-path)"
workload="$PWD/scripts/testing/fault_workload.py"
faketime_lib="$(ls /usr/lib/*/faketime/libfaketimeMT.so.1 2>/dev/null | head -1)"
work="$(mktemp -d /tmp/portalops-faults.XXXXXX)"
mounts=()
cleanup() {
  # Only this script's own children still running: a pid remembered earlier may belong to someone else by now.
  local pid; for pid in $(jobs -p); do kill -9 "$pid" 2>/dev/null; done
  for mount in "${mounts[@]}"; do umount -l "$mount" 2>/dev/null; done
  [ "$failures" -eq 0 ] && rm -rf "$work"
}
failures=0
trap cleanup EXIT

# --- helpers: one opsd per fault, under $dir ---------------------------------------------------------------
dir=""
opsd_pid=""
opsd_env=()
start_opsd() {   # start_opsd [opsd arguments…]: starts opsd on $dir/data and waits until it answers
  env "${opsd_env[@]}" "$bin/opsd" --data "$dir/data" --socket "$dir/opsd.sock" --socket-mode 0666 "$@" \
    >>"$dir/opsd.log" 2>&1 &
  opsd_pid=$!
  for _ in $(seq 1 300); do
    ops status >/dev/null 2>&1 && return 0
    kill -0 "$opsd_pid" 2>/dev/null || break
    sleep 0.05
  done
  echo "opsd did not start: $(tail -3 "$dir/opsd.log")" >&2
  return 1
}
stop_opsd() { kill -TERM "$opsd_pid" 2>/dev/null; wait "$opsd_pid" 2>/dev/null; }
kill9_opsd() { kill -9 "$opsd_pid" 2>/dev/null; wait "$opsd_pid" 2>/dev/null; }
ops() { PORTALOPS_SOCKET="$dir/opsd.sock" "$bin/opsctl" "$@"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"; }
tmpfs() {   # tmpfs PATH SIZE: a fresh tmpfs, unmounted at exit
  mkdir -p "$1" && mount -t tmpfs -o "size=$2,mode=0700" tmpfs "$1" && mounts+=("$1")
}
elapsed() { python3 -c "import time,sys; print(f'{time.time() - float(sys.argv[1]):.1f}')" "$1"; }
now() { date +%s.%N; }
# The three checks every fault ends with; prints what failed, returns 1 if anything did.
intact() {
  local problem=0 verify check
  if [ -s "$dir/acks" ]; then
    check="$(python3 "$workload" check "$dir/opsd.sock" "$dir/acks" 2>&1)" || { echo "lost: $check"; problem=1; }
  else
    check="no workload writes"
  fi
  verify="$(ops audit verify 2>&1)"
  [[ "$verify" == intact* ]] || { echo "audit verify: $verify"; problem=1; }
  quick="$(sqlite3 "$dir/data/ops.db" "PRAGMA quick_check" 2>&1)"
  [ "$quick" = ok ] || { echo "quick_check: $quick"; problem=1; }
  echo "$check; audit ${verify%%$'\n'*}; quick_check $quick"
  return $problem
}
report() {   # report FAULT START STATUS EVIDENCE
  if [ "$3" -eq 0 ]; then
    printf 'PASS %-17s (%5ss) %s\n' "$1" "$(elapsed "$2")" "$4"
  else
    printf 'FAIL %-17s (%5ss) %s\n' "$1" "$(elapsed "$2")" "$4"
    echo "     logs: $dir" >&2
    failures=$((failures + 1))
  fi
}
responsive() {   # prints how long 'opsctl status' took; fails if over 2 s
  local t; t=$(now)
  ops status >/dev/null 2>&1 || { echo "status failed"; return 1; }
  local took; took=$(elapsed "$t")
  echo "status answered in ${took}s"
  python3 -c "import sys; sys.exit(float(sys.argv[1]) > 2)" "$took"
}
mail_capture() {   # writes $dir/sendmail: a sendmail that keeps each message in $dir/mail/
  mkdir -p "$dir/mail"
  cat >"$dir/sendmail" <<EOF
#!/bin/sh
cat > "$dir/mail/\$(date +%s%N).\$\$.eml"
EOF
  chmod 755 "$dir/sendmail"
}
delivery() {   # delivery ID FIELD: a field of 'outbox show ID'
  ops outbox show "$1" --json | json "d['$2'] if '$2' in d else d.get('delivery', {}).get('$2')"
}
wait_for() {   # wait_for SECONDS 'SHELL CONDITION': evaluates the condition every 0.2 s until it holds
  local deadline=$(( $(date +%s) + $1 ))
  until eval "$2"; do [ "$(date +%s)" -ge "$deadline" ] && return 1; sleep 0.2; done
}
running() {   # running PID: alive and not a zombie
  [ -r "/proc/$1/stat" ] && ! [[ "$(cut -d')' -f2 "/proc/$1/stat")" =~ ^\ [ZX] ]]
}

# --- the faults: each sets $dir, runs, and calls report -----------------------------------------------------

# (a) A backup whose destination fills up: the 8 MB dump is staged under DATA, then copied onto a 2 MiB tmpfs.
fault_disk_full_backup() {
  local start; start=$(now); dir="$work/disk-full-backup"; mkdir -p "$dir"
  local problems=() out code
  tmpfs "$dir/backups" 2m
  start_opsd || { report disk-full-backup "$start" 1 "opsd did not start"; return; }
  ops target add big --dump-command "head -c 8000000 /dev/urandom" --restore-command "cat > {path}" \
    --directory "$dir/backups" >/dev/null
  # First with the default reserve (backup.keep_free_mib): refused before anything is written.
  local refused; refused="$(ops backup run big 2>&1 | grep '^opsctl:' | tail -1)"
  [[ "$refused" == *"not enough room"* ]] || problems+=("with the reserve: '$refused'")
  # Then with no reserve, so the copy itself runs into ENOSPC.
  ops policy set backup.keep_free_mib 0 >/dev/null
  out="$(ops backup run big 2>&1)"; code=$?
  local message; message="$(grep '^opsctl:' <<<"$out" | tail -1)"
  [ "$code" -ne 0 ] || problems+=("a backup onto a full disk succeeded")
  [ -n "$message" ] || problems+=("no error line: $(tail -1 <<<"$out")")
  [ -z "$(ls -A "$dir/backups/" 2>/dev/null)" ] || problems+=("left on the full disk: $(ls -A "$dir/backups/")")
  [ -z "$(ls -A "$dir/data/staging" 2>/dev/null)" ] || problems+=("staging not emptied: $(ls -A "$dir/data/staging")")
  local state; state="$(ops backup list --json | json "d['backups'][-1]['state']")"
  [ "$state" = failed ] || problems+=("the backup is '$state', not failed")
  # A SQLite source that does not fit: its size is known, so even with no reserve it is refused up front.
  sqlite3 "$dir/portal.db" "CREATE TABLE payment(id INTEGER PRIMARY KEY, receipt BLOB);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
    INSERT INTO payment(receipt) SELECT randomblob(1000) FROM n;"
  ops target add portal --sqlite "$dir/portal.db" --directory "$dir/backups" >/dev/null
  local sqlite_out sqlite_code; sqlite_out="$(ops backup run portal 2>&1)"; sqlite_code=$?
  local sqlite_message; sqlite_message="$(grep '^opsctl:' <<<"$sqlite_out" | tail -1)"
  [ "$sqlite_code" -ne 0 ] && [[ "$sqlite_message" == *full* || "$sqlite_message" == *space* ]] \
    || problems+=("a SQLite backup onto a full disk: exit $sqlite_code, '${sqlite_out##*$'\n'}'")
  [ -z "$(ls -A "$dir/backups/" 2>/dev/null)" ] || problems+=("left on the full disk: $(ls -A "$dir/backups/")")
  local answered; answered="$(responsive)" || problems+=("$answered")
  mount -o remount,size=64m "$dir/backups"
  local id; id="$(ops backup run big --json 2>/dev/null | json "d['ref']")"
  ops backup verify "$id" >/dev/null 2>&1 || problems+=("after space returned, backup '$id' does not verify")
  local sqlite_id; sqlite_id="$(ops backup run portal --json 2>/dev/null | json "d['ref']")"
  ops backup verify "$sqlite_id" >/dev/null 2>&1 \
    || problems+=("after space returned, backup '$sqlite_id' does not verify")
  local checks; checks="$(intact)" || problems+=("$checks")
  stop_opsd
  if [ ${#problems[@]} -eq 0 ]; then
    report disk-full-backup "$start" 0 "with the reserve: '${refused:0:60}…'; without: exit $code, '$message', \
backup $state; a SQLite source: exit $sqlite_code, '$sqlite_message'; nothing left behind; $answered; \
$id and $sqlite_id verified after the tmpfs grew; $checks"
  else
    report disk-full-backup "$start" 1 "$(IFS='; '; echo "${problems[*]}")"
  fi
}

# (a) A write burst that fills the disk under ops.db: writers get an error, nothing they were told is kept is
# lost, and once the tmpfs grows the same opsd (or, if it stopped cleanly, a restarted one) takes writes again.
fault_disk_full_writes() {
  local start; start=$(now); dir="$work/disk-full-writes"; mkdir -p "$dir"
  local problems=() size="${FAULTS_DATA_TMPFS:-6m}"
  tmpfs "$dir/data" "$size"
  start_opsd || { report disk-full-writes "$start" 1 "opsd did not start on a $size tmpfs"; return; }
  local burst; burst="$(python3 "$workload" write "$dir/opsd.sock" "$dir/acks" --seconds 15 --writers 4 \
    --tag full --note-bytes 60000)"
  local first; first="$(json "d['first_refusal']" <<<"$burst")"
  [ "$first" != None ] || problems+=("the disk never filled: $burst")
  local acked; acked="$(json "d['acknowledged']" <<<"$burst")"
  local alive=running
  kill -0 "$opsd_pid" 2>/dev/null || { wait "$opsd_pid"; alive="stopped with status $?"; }
  local answered="-"
  [ "$alive" = running ] && { answered="$(responsive)" || problems+=("while full: $answered"); }
  mount -o remount,size=64m "$dir/data"
  [ "$alive" = running ] || start_opsd || problems+=("opsd does not start again after space returned")
  ops component add after-full --name "Sau khi đầy đĩa" >/dev/null 2>&1 \
    || problems+=("no write accepted after space returned: $(ops component add after-full2 --name x 2>&1)")
  local checks; checks="$(intact)" || problems+=("$checks")
  stop_opsd
  if [ ${#problems[@]} -eq 0 ]; then
    report disk-full-writes "$start" 0 "$acked writes acknowledged until the $size tmpfs filled, then \
'$first'; opsd $alive, $answered; writes accepted after it grew; $checks"
  else
    report disk-full-writes "$start" 1 "$(IFS='; '; echo "${problems[*]}")"
  fi
}

# (b) The data directory's file system turns read-only under a running opsd, then writable again. The kernel
# refuses 'mount -o remount,ro' (EBUSY) while a file on it is open for writing, as ops.db always is, so a file
# system only turns read-only under opsd by an error (ext4's errors=remount-ro). That is injected instead: strace
# makes opsd's file writes and syncs fail with EROFS, as they would then, and detaching it makes them work again.
fault_read_only() {
  local start; start=$(now); dir="$work/read-only"; mkdir -p "$dir"
  local problems=()
  start_opsd || { report read-only "$start" 1 "opsd did not start"; return; }
  python3 "$workload" write "$dir/opsd.sock" "$dir/acks" --seconds 2 --writers 2 --tag before >/dev/null
  local calls=pwrite64,pwritev,pwritev2,fsync,fdatasync,ftruncate
  strace -f -qq -p "$opsd_pid" -e trace="$calls" -e inject="$calls":error=EROFS -o "$dir/strace.log" &
  local tracer=$!
  wait_for 10 'grep -q "TracerPid:.$tracer\$" "/proc/$opsd_pid/status"' || problems+=("strace did not attach")
  local out code; out="$(ops component add while-ro --name "Khi chỉ đọc" 2>&1)"; code=$?
  [ "$code" -ne 0 ] || problems+=("a write on a read-only file system was acknowledged")
  local during; during="$(python3 "$workload" write "$dir/opsd.sock" "$dir/acks" --seconds 2 --writers 2 \
    --tag during)"
  [ "$(json "d['acknowledged']" <<<"$during")" = 0 ] || problems+=("writes acknowledged while read-only: $during")
  local read; read="$(ops component list --json 2>&1 | json "len(d['components'])" 2>&1)" \
    || problems+=("reads fail while read-only: $read")
  local alive=running
  kill -0 "$opsd_pid" 2>/dev/null || { wait "$opsd_pid"; alive="stopped with status $?"; }
  kill "$tracer"; wait "$tracer" 2>/dev/null
  [ "$alive" = running ] || start_opsd || problems+=("opsd does not start again once writable")
  wait_for 10 'ops component add after-ro --name "Sau khi ghi lại được" >/dev/null 2>&1' \
    || problems+=("no write accepted once writable: $(ops component add after-ro2 --name x 2>&1)")
  local checks; checks="$(intact)" || problems+=("$checks")
  stop_opsd
  if [ ${#problems[@]} -eq 0 ]; then
    report read-only "$start" 0 "write while read-only: exit $code '${out##*$'\n'}'; $(json "d['refused']" \
<<<"$during") refused in 2 s; reads went on ($read components); opsd $alive; writes accepted again; $checks"
  else
    report read-only "$start" 1 "$(IFS='; '; echo "${problems[*]}")"
  fi
}

# (c) Mail with no sendmail, then a hanging one: the delivery fails with the reason and stays in the outbox,
# status counts it, opsd answers meanwhile; with a working sendmail and a retry it arrives exactly once.
sendmail_fault() {   # sendmail_fault NAME SENDMAIL_COMMAND EXPECTED_ERROR_WORDS
  local name="$1" command="$2" expected="$3"
  local start; start=$(now); dir="$work/$name"; mkdir -p "$dir"
  local problems=()
  mail_capture
  start_opsd --sendmail "$command" || { report "$name" "$start" 1 "opsd did not start"; return; }
  ops policy set delivery.timeout 2s >/dev/null
  ops recipient add so-tu-phap --name "Sở Tư pháp" --email vanthu@stp.laocai.gov.vn >/dev/null
  ops recipient test so-tu-phap >/dev/null || problems+=("recipient test refused")
  local id; id="$(ops outbox list --json | json "d['deliveries'][0]['id']")"
  local answered; answered="$(responsive)" || problems+=("while sending: $answered")
  wait_for 20 '[ "$(delivery "$id" state)" = failed ]' || problems+=("delivery $id is $(delivery "$id" state)")
  local error; error="$(delivery "$id" last_error)"
  [[ "$error" == *"$expected"* ]] || problems+=("last error '$error' does not say '$expected'")
  local failed; failed="$(ops status --json | json "d['outbox']['failed']")"
  [ "$failed" = 1 ] || problems+=("status shows $failed failed deliveries")
  if [ "$name" = sendmail-hanging ]; then
    local hung; hung="$(cat "$dir/hang.pid" 2>/dev/null)"
    [ -n "$hung" ] && ! running "$hung" || problems+=("the hanging sendmail (pid '$hung') was not killed")
  fi
  stop_opsd
  start_opsd --sendmail "$dir/sendmail" || problems+=("opsd did not restart")
  ops outbox retry "$id" >/dev/null || problems+=("outbox retry $id refused")
  wait_for 20 '[ "$(delivery "$id" state)" = sent ]' || problems+=("after the retry, $id is $(delivery "$id" state)")
  local token; token="$(delivery "$id" token)"
  local copies; copies="$(grep -l "$token" "$dir"/mail/*.eml 2>/dev/null | wc -l)"
  [ "$copies" = 1 ] || problems+=("$copies copies of delivery $token arrived")
  local checks; checks="$(intact)" || problems+=("$checks")
  stop_opsd
  if [ ${#problems[@]} -eq 0 ]; then
    report "$name" "$start" 0 "while sending, $answered; delivery $id failed: '$error'; status: $failed failed; \
retried with a working sendmail: sent, $copies copy; $checks"
  else
    report "$name" "$start" 1 "$(IFS='; '; echo "${problems[*]}")"
  fi
}
fault_sendmail_missing() {
  sendmail_fault sendmail-missing "$work/sendmail-missing/no-such-sendmail -t -i" "not found"
}
fault_sendmail_hanging() {
  mkdir -p "$work/sendmail-hanging"
  printf '#!/bin/sh\necho $$ >"%s"\nexec sleep 3600\n' "$work/sendmail-hanging/hang.pid" \
    >"$work/sendmail-hanging/hang"
  chmod 755 "$work/sendmail-hanging/hang"
  sendmail_fault sendmail-hanging "$work/sendmail-hanging/hang -t -i" "killed"
}

# (d) A portal database held under BEGIN EXCLUSIVE by a sqlite3 process while opsd backs it up: with a rollback
# journal the backup fails with the lock named (after opsd's 5 s busy timeout) and works once the lock is gone;
# in WAL mode the backup goes on and holds only what was committed.
fault_portal_locked() {
  local start; start=$(now); dir="$work/portal-locked"; mkdir -p "$dir"
  local problems=() evidence=() hold="${FAULTS_LOCK_SECONDS:-12}"
  start_opsd || { report portal-locked "$start" 1 "opsd did not start"; return; }
  for mode in delete wal; do
    local db="$dir/portal-$mode.db"
    sqlite3 "$db" "PRAGMA journal_mode=$mode; CREATE TABLE dossier(id INTEGER PRIMARY KEY, code TEXT);
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
      INSERT INTO dossier(code) SELECT 'HS-' || i FROM n;" >/dev/null
    ops target add "portal-$mode" --sqlite "$db" >/dev/null
    # The outside process: a write under BEGIN EXCLUSIVE, held open for $hold seconds, then committed.
    { echo "BEGIN EXCLUSIVE; INSERT INTO dossier(code) VALUES ('uncommitted');"; sleep "$hold"; echo "COMMIT;"; } \
      | sqlite3 "$db" &
    local holder=$!
    sleep 0.5
    local t out code took; t=$(now)
    { ops backup run "portal-$mode" --json >"$dir/$mode.json" 2>"$dir/$mode.err"; echo $? >"$dir/$mode.code"; } &
    local backup=$!
    sleep 1
    local answered; answered="$(responsive)" || problems+=("$mode, during the backup: $answered")
    wait "$backup"; took=$(elapsed "$t")
    code=$(cat "$dir/$mode.code"); out="$(cat "$dir/$mode.err")"
    if [ "$mode" = delete ]; then
      [ "$code" -ne 0 ] || problems+=("delete: a backup of a locked database succeeded")
      grep -qi "locked\|busy" <<<"$out" || problems+=("delete: the error does not name the lock: ${out##*$'\n'}")
      [ -z "$(ls -A "$dir/data/backups/portal-$mode" 2>/dev/null)" ] \
        || problems+=("delete: left behind: $(ls -A "$dir/data/backups/portal-$mode")")
      evidence+=("rollback journal: exit $code after ${took}s, '$(grep '^opsctl:' <<<"$out" | tail -1)'")
    else
      [ "$code" -eq 0 ] || problems+=("wal: the backup failed: ${out##*$'\n'}")
      local locked_rows
      locked_rows="$(sqlite3 "$(json "d['file']" <"$dir/$mode.json")" "SELECT count(*) FROM dossier")"
      [ "$locked_rows" = 5000 ] || problems+=("wal: the backup taken under the lock has $locked_rows rows, not 5000")
      evidence+=("WAL: backed up in ${took}s under the lock, $locked_rows rows (the uncommitted one left out)")
    fi
    wait "$holder"
    local id; id="$(ops backup run "portal-$mode" --json 2>/dev/null | json "d['ref']")"
    ops backup verify "$id" >/dev/null 2>&1 || problems+=("$mode: after the lock, backup '$id' does not verify")
    local rows; rows="$(sqlite3 "$(ops backup show "$id" --json | json "d['file']")" \
      "SELECT count(*) FROM dossier" 2>&1)"
    [ "$rows" = 5001 ] || problems+=("$mode: the backup after the commit has $rows rows, not 5001")
    evidence+=("during it $answered; once the lock was gone $id verified with $rows rows")
  done
  local checks; checks="$(intact)" || problems+=("$checks")
  stop_opsd
  if [ ${#problems[@]} -eq 0 ]; then
    report portal-locked "$start" 0 "$(IFS=';'; echo "${evidence[*]}" | sed 's/;\([^ ]\)/; \1/g'); $checks"
  else
    report portal-locked "$start" 1 "$(IFS='; '; echo "${problems[*]}")"
  fi
}

# (e) The wall clock leaps and steps back under opsd (libfaketime reads the offset from a file at every call;
# the monotonic clock is left alone, as when NTP or an operator steps the time). An escalating incident is open:
# the leap fires the due step once, the step back fires nothing, leaping again fires nothing more.
fault_clock_steps() {
  local start; start=$(now); dir="$work/clock-steps"; mkdir -p "$dir"
  local problems=()
  [ -n "$faketime_lib" ] || { report clock-steps "$start" 1 "libfaketime missing (apt-get install faketime)"; return; }
  mail_capture
  echo "+0" >"$dir/offset"
  # Under libfaketime opsd sees no command-line arguments (Swift's CommandLine.arguments comes back empty;
  # python3 keeps its argv), so its settings go by environment and config file, which it reads the same way.
  echo "socket_mode = 0666" >"$dir/opsd.conf"
  opsd_env=("LD_PRELOAD=$faketime_lib" "FAKETIME_TIMESTAMP_FILE=$dir/offset" "FAKETIME_NO_CACHE=1"
            "FAKETIME_DONT_FAKE_MONOTONIC=1" "PORTALOPS_DATA=$dir/data" "PORTALOPS_SOCKET=$dir/opsd.sock"
            "PORTALOPS_SENDMAIL=$dir/sendmail" "PORTALOPS_CONFIG=$dir/opsd.conf")
  start_opsd --sendmail "$dir/sendmail"; local started=$?
  opsd_env=()
  [ "$started" -eq 0 ] || { report clock-steps "$start" 1 "opsd did not start under libfaketime"; return; }
  ops user add lan --uid 2001 --role operator --email lan@stp.laocai.gov.vn >/dev/null
  ops user add minh --uid 2002 --role supervisor --email minh@stp.laocai.gov.vn >/dev/null
  ops escalation set sev2 --step oncall --after 5m --step supervisors >/dev/null \
    || problems+=("escalation set refused: $(ops escalation set sev2 --step oncall --after 5m --step supervisors 2>&1)")
  ops component add portal --name "Cổng dịch vụ công" >/dev/null
  local ref; ref="$(ops incident open --title "Cổng không truy cập được" --severity sev2 --component portal \
    --json | json "d['ref']")"
  ticks() { ops status --json | json "d['scheduler_ticks']"; }
  settle() { local t; t=$(ticks); wait_for 20 '[ "$(ticks)" -ge $((t + 2)) ]'; }
  pages() { ops outbox list --json | json "len(d['deliveries'])"; }
  settle; local opened; opened=$(pages)
  echo "+2h" >"$dir/offset"; settle; local leapt; leapt=$(pages)
  echo "-1h" >"$dir/offset"; settle; local back; back=$(pages)
  local step; step="$(ops status --json | json "d.get('clock_step_back_seconds')")"
  echo "+5h" >"$dir/offset"; settle; local again; again=$(pages)
  kill -0 "$opsd_pid" 2>/dev/null || problems+=("opsd died: $(tail -2 "$dir/opsd.log")")
  [ "$opened" -ge 1 ] || problems+=("no page when the incident opened")
  [ "$leapt" -gt "$opened" ] || problems+=("the 2 h leap fired no escalation step ($opened, then $leapt pages)")
  [ "$back" = "$leapt" ] || problems+=("the step back paged again ($leapt, then $back)")
  [ "$again" = "$leapt" ] || problems+=("leaping past the fired steps paged again ($leapt, then $again)")
  python3 -c "import sys; sys.exit(not 10000 <= int(sys.argv[1]) <= 11000)" "$step" 2>/dev/null \
    || problems+=("status shows a step back of '$step' s, not ~3 h")
  local id; id="$(ops backup run ops --json 2>/dev/null | json "d['ref']")"
  ops backup verify "$id" >/dev/null 2>&1 || problems+=("a backup after the steps does not verify ('$id')")
  sent() { ops status --json | json "d['outbox']['sent']"; }
  wait_for 20 '[ "$(sent)" = "$again" ]' \
    || problems+=("not every page was sent: $(ops status --json | json "d['outbox']")")
  local mails; mails=$(ls "$dir/mail" | wc -l)
  [ "$mails" = "$again" ] || problems+=("$mails mails for $again pages")
  local checks; checks="$(intact)" || problems+=("$checks")
  stop_opsd
  if [ ${#problems[@]} -eq 0 ]; then
    report clock-steps "$start" 0 "$ref pages: $opened at opening, $leapt after +2h, $back after -3h (status: \
step back ${step}s), $again after +6h; $mails mails sent; $id verified; $checks"
  else
    report clock-steps "$start" 1 "$(IFS='; '; echo "${problems[*]}")"
  fi
}

# (f) opsd SIGSTOPped for FAULTS_STOP_SECONDS under 4 writers and a waiting opsctl, then SIGCONT.
fault_sigstop() {
  local start; start=$(now); dir="$work/sigstop"; mkdir -p "$dir"
  local problems=() pause="${FAULTS_STOP_SECONDS:-60}"
  start_opsd || { report sigstop "$start" 1 "opsd did not start"; return; }
  python3 "$workload" write "$dir/opsd.sock" "$dir/acks" --seconds $((pause + 60)) --writers 4 --tag stop \
    --stop-file "$dir/stop" >"$dir/burst" &
  local writers=$!
  sleep 2
  kill -STOP "$opsd_pid"
  local t; t=$(now)
  { ops status >/dev/null 2>"$dir/status.err"; echo "$? $(elapsed "$t")" >"$dir/status.result"; } &
  local waiting=$!
  sleep "$pause"
  local before; before=$(wc -l <"$dir/acks")
  kill -CONT "$opsd_pid"
  wait_for 30 '[ -s "$dir/status.result" ]' || problems+=("opsctl status still waiting 30 s after SIGCONT")
  wait "$waiting" 2>/dev/null
  local status_code status_took; read -r status_code status_took <"$dir/status.result" 2>/dev/null
  [ "${status_code:-x}" = 0 ] \
    || problems+=("the waiting opsctl got exit ${status_code:-none}: $(cat "$dir/status.err")")
  sleep 3
  local after; after=$(wc -l <"$dir/acks")
  touch "$dir/stop"; wait "$writers"
  [ "$after" -gt "$before" ] || problems+=("no write acknowledged after SIGCONT ($before, then $after)")
  local answered; answered="$(responsive)" || problems+=("$answered")
  local checks; checks="$(intact)" || problems+=("$checks")
  stop_opsd
  if [ ${#problems[@]} -eq 0 ]; then
    report sigstop "$start" 0 "stopped ${pause}s: the waiting opsctl status answered after ${status_took}s (exit \
$status_code); writers: $before acknowledged before, $after by 3 s after SIGCONT ($(json "d['slowest_seconds']" \
<"$dir/burst" | cut -c1-5)s slowest answer); $answered; $checks"
  else
    report sigstop "$start" 1 "$(IFS='; '; echo "${problems[*]}")"
  fi
}

# (g) kill -9 at FAULTS_KILLS random points of a FAULTS_WORKLOAD_SECONDS workload: 8 writers (components,
# incidents, notes) and a loop of backups (ops.db; a dump copied across file systems and to --copy-to); after each
# restart every acknowledged write is there and whatever partial file the kill left is gone.
fault_kill9() {
  local start; start=$(now); dir="$work/kill9"; mkdir -p "$dir"
  local problems=() kills="${FAULTS_KILLS:-10}" seconds="${FAULTS_WORKLOAD_SECONDS:-60}"
  start_opsd || { report kill9 "$start" 1 "opsd did not start"; return; }
  python3 "$workload" write "$dir/opsd.sock" "$dir/acks" --seconds 3600 --writers 8 --tag k --think-ms 20 \
    --stop-file "$dir/stop" --pause-file "$dir/pause" >"$dir/burst" &
  local writers=$!
  # Backups of ops.db, and of a dump staged under DATA then copied onto another file system and to --copy-to.
  tmpfs "$dir/dumps" 512m
  mkdir -m 0700 "$dir/offsite"
  ops target add dump --dump-command "head -c 8000000 /dev/urandom" --restore-command "cat > {path}" \
    --directory "$dir/dumps" >/dev/null
  ops target set dump --copy-to "$dir/offsite" >/dev/null
  { while [ ! -e "$dir/stop" ]; do
      for target in ops dump; do [ -e "$dir/pause" ] || ops backup run "$target" >/dev/null 2>&1; done
      sleep 0.5
    done; } &
  local backups=$!
  local gap_ms=$((seconds * 1000 / kills)) round restarts=() cut_partials=0
  for round in $(seq 1 "$kills"); do
    local wait_ms=$((gap_ms / 4 + RANDOM % (gap_ms * 3 / 4)))   # a random point in this round's share of time
    sleep "$(printf '%d.%03d' $((wait_ms / 1000)) $((wait_ms % 1000)))"
    local before; before=$(wc -l <"$dir/acks")
    kill9_opsd
    local left; left="$(find "$dir/data/backups" "$dir/dumps" "$dir/offsite" -name '*.partial*' 2>/dev/null)"
    local t; t=$(now)
    start_opsd || { problems+=("round $round: opsd did not restart: $(tail -2 "$dir/opsd.log")"); break; }
    restarts+=("$(elapsed "$t")")
    touch "$dir/pause"
    local checks; checks="$(intact)" || problems+=("round $round (killed after ${wait_ms} ms): $checks")
    local file; for file in $left; do
      [ ! -e "$file" ] || problems+=("round $round: the cut backup's $file is still there after the restart")
    done
    [ -z "$left" ] || cut_partials=$((cut_partials + 1))
    rm -f "$dir/pause"
    echo "kill9 round $round: killed after ${wait_ms} ms with $before acknowledged; restarted in \
${restarts[-1]}s; $checks" >&2
  done
  touch "$dir/stop"; wait "$writers"; wait "$backups"
  local final; final="$(intact)" || problems+=("at the end: $final")
  local burst; burst="$(cat "$dir/burst")"
  local listed; listed="$(ops backup list --json)"
  local failed_backups; failed_backups="$(json "sum(b['state'] == 'failed' for b in d['backups'])" <<<"$listed")"
  local good_backups; good_backups="$(json "sum(b['state'] == 'complete' for b in d['backups'])" <<<"$listed")"
  local other; other="$(json "sorted({b['state'] for b in d['backups']} - {'complete', 'failed'})" <<<"$listed")"
  [ "$other" = "[]" ] || problems+=("backups neither complete nor failed: $other")
  stop_opsd
  if [ ${#problems[@]} -eq 0 ]; then
    report kill9 "$start" 0 "$kills kills, restarts took $(IFS=/; echo "${restarts[*]}")s; $(json \
"d['acknowledged']" <<<"$burst") writes acknowledged ($(json "d['dropped']" <<<"$burst") requests cut or refused while \
opsd was down); backups: \
$good_backups complete, $failed_backups cut by a kill and marked failed ($cut_partials left .partial files, \
all removed at the restart); $final"
  else
    report kill9 "$start" 1 "$(IFS='; '; echo "${problems[*]}")"
  fi
}

echo "faults: work directory $work ($configuration build)" >&2
for fault in "${faults[@]}"; do
  "fault_${fault//-/_}"
done
[ "$failures" -eq 0 ] || { echo "faults: $failures of ${#faults[@]} faults FAILED" >&2; exit 1; }
echo "faults: all ${#faults[@]} held" >&2
