#!/usr/bin/env bash
# Start-up cost of opsctl: p50/p99 of whole `opsctl whoami` runs (process
# start, connect, answer) for this tree's opsctl and for the opsctl of an
# earlier commit (default: the last one whose opsctl linked SQLite and the
# domain), against the same opsd, in one run; with what each links.
# Prints figures; asserts nothing.
#
#   scripts/bench/client-startup.sh [RUNS] [REF]     (default 300 runs, REF 08b1134)
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
runs="${1:-300}"
ref="${2:-08b1134}"
work="$(mktemp -d /tmp/portalops-startup.XXXXXX)"
# The earlier commit's tree and build are kept between runs (it takes minutes to build).
old_tree="${TMPDIR:-/tmp}/portalops-opsctl-$ref"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
swift build -c release --product opsd >&2
swift build -c release --product opsctl >&2
new="$(swift build -c release --show-bin-path)"
[ -d "$old_tree" ] || git worktree add -q --detach "$old_tree" "$ref"
(cd "$old_tree" && swift build -c release --product opsctl >&2)
old="$(cd "$old_tree" && swift build -c release --show-bin-path)"
"$new/opsd" --data "$work/data" --socket "$work/opsd.sock" 2>"$work/opsd.log" &
for _ in $(seq 1 500); do [ -S "$work/opsd.sock" ] && break; sleep 0.02; done
python3 - "$runs" "$work/opsd.sock" "$old/opsctl" "$new/opsctl" "$ref" <<'PY'
import subprocess, sys, time
runs, sock, old, new, ref = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
def run(binary):
    t = time.perf_counter()
    subprocess.run([binary, "--socket", sock, "whoami"], check=True, stdout=subprocess.DEVNULL)
    return (time.perf_counter() - t) * 1000
def libraries(binary):
    out = subprocess.run(["ldd", binary], capture_output=True, text=True).stdout
    return len(out.strip().splitlines()), "yes" if "sqlite" in out else "no"
for _ in range(20): run(old); run(new)   # warm the page cache for both
# Interleaved, so the machine's drift (other work, frequency) falls on both alike.
times = {old: [], new: []}
for _ in range(runs):
    for binary in (old, new): times[binary].append(run(binary))
print(f"{'client':34} {'p50 ms':>8} {'p99 ms':>8} {'libs':>5} {'sqlite':>7}")
for name, binary in [(f"opsctl at {ref}", old), ("opsctl now", new)]:
    t = sorted(times[binary])
    count, sqlite = libraries(binary)
    print(f"{name:34} {t[len(t) // 2]:8.2f} {t[int(len(t) * 0.99) - 1]:8.2f} {count:5} {sqlite:>7}")
PY
