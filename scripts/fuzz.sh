#!/usr/bin/env bash
# Fuzzes what reads hostile input with libFuzzer under AddressSanitizer: the JSON request decoder (as opsd reads a
# line off its socket), opsctl's command-line parser, CSV import, time and duration parsing, and the iCalendar and
# MIME writers as round trips (written from fuzzed text, read back, checked field by field). The targets are the
# separate package in Fuzz/ (Fuzz/Sources/Fuzz*/ say what each checks), built into .build-fuzz with every module
# instrumented, so the normal build and CI never build them.
#
#   scripts/fuzz.sh [--merge] [SECONDS] [TARGET...]   SECONDS per target (default 60); TARGET default: all six
#
#   --merge  folds the inputs that reached new coverage into the seed corpus Fuzz/Corpus/TARGET/ (commit them);
#            otherwise new inputs stay in .build-fuzz/runs/TARGET/corpus and the repository is untouched.
#
# Prints one line per target: executions, executions per second, coverage (libFuzzer's cov: edges and ft:
# features at the end), corpus size, and crashes. Asserts: no crash, leak, timeout (10 s per input) or broken
# invariant in any target; the script exits 1 and names the saved input (.build-fuzz/runs/TARGET/crash-*,
# leak-*, timeout-*) otherwise. Reproduce one with: .build-fuzz/release/TARGET INPUT
# A crash found is fixed at its root, its input added to Fuzz/Corpus/TARGET/ and to a regression test.
#
# Takes: the first build 15-25 minutes on 2 shared cores (every module built again with ASan; about 10 after a
# change to PortalOps, a minute after one in Fuzz/ only), then SECONDS per target (6 minutes at the default).
# Not in .ci/run: the build alone is longer than CI's whole budget.
set -uo pipefail
cd "$(dirname "$0")/.."
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
merge=0
if [ "${1:-}" = "--merge" ]; then merge=1; shift; fi
seconds="${1:-60}"
[ $# -gt 0 ] && shift
case "$seconds" in ''|*[!0-9]*) echo "usage: scripts/fuzz.sh [--merge] [SECONDS] [TARGET...]" >&2; exit 2;; esac
all=(FuzzJSONRequest FuzzCommandLine FuzzCSV FuzzTime FuzzICalendar FuzzMIME)
targets=("$@")
[ $# -eq 0 ] && targets=("${all[@]}")

# Every module gets ASan and libFuzzer's coverage (8-bit counters, PC table, comparison tracing: what
# -sanitize=fuzzer turns on); only the targets link libFuzzer itself (Fuzz/Package.swift says why).
# -enable-testing lets a target reach internal types (the parser, the iCalendar writer) without widening access.
build=(swift build -c release --package-path Fuzz --scratch-path .build-fuzz
       -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp
       -Xswiftc -enable-testing)
echo "== building the fuzz targets (.build-fuzz)" >&2
"${build[@]}" 2>&1 | grep -v "ld.gold: warning: Cannot export local symbol" >&2
[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "fuzz.sh: the build failed" >&2; exit 1; }
bin=$("${build[@]}" --show-bin-path)

max_len() {
  case "$1" in
    FuzzTime) echo 64;;
    FuzzCommandLine) echo 1024;;
    *) echo 4096;;
  esac
}

status=0
printf '%-16s %8s %10s %8s %6s %6s %14s %8s\n' target seconds execs exec/s cov ft corpus crashes
for target in "${targets[@]}"; do
  if [ ! -x "$bin/$target" ]; then echo "fuzz.sh: no target $target (known: ${all[*]})" >&2; exit 2; fi
  run=".build-fuzz/runs/$target"
  mkdir -p "$run/corpus" "Fuzz/Corpus/$target"
  rm -f "$run"/crash-* "$run"/leak-* "$run"/timeout-* "$run"/oom-*
  # New inputs go to the first directory (scratch); the seeds are read from the second. Swift's backtracer is
  # off: it would keep a crashed target's output open for up to 30 s, and libFuzzer prints the stack itself.
  SWIFT_BACKTRACE=enable=no ASAN_OPTIONS="detect_leaks=1:abort_on_error=0" \
    "$bin/$target" -max_total_time="$seconds" -max_len="$(max_len "$target")" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$run/" "$run/corpus" "Fuzz/Corpus/$target" >"$run/log" 2>&1
  code=$?
  last=$(grep -E '^#[0-9]+' "$run/log" | tail -1)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$run/log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$run/log")
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corpus=$(sed -n 's/.* corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p' <<<"$last")
  found=$(find "$run" -maxdepth 1 \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  printf '%-16s %8s %10s %8s %6s %6s %14s %8s\n' "$target" "$seconds" "${execs:--}" "${rate:--}" "${cov:--}" \
    "${ft:--}" "${corpus:--}" "$found"
  if [ "$code" -ne 0 ] || [ "$found" -ne 0 ]; then
    status=1
    echo "fuzz.sh: $target failed (exit $code); log: $run/log" >&2
    grep -E 'invariant broken|Fatal error|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|SUMMARY' "$run/log" \
      | head -5 >&2
    find "$run" -maxdepth 1 \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) \
      -exec echo "  input: {}  (reproduce: $bin/$target {})" \; >&2
  elif [ "$merge" -eq 1 ]; then
    SWIFT_BACKTRACE=enable=no "$bin/$target" -merge=1 -max_len="$(max_len "$target")" \
      "Fuzz/Corpus/$target" "$run/corpus" >"$run/merge.log" 2>&1 \
      || { status=1; echo "fuzz.sh: merging $target failed; log: $run/merge.log" >&2; }
  fi
done
exit $status
