#!/usr/bin/env bash
# Runs the unit, command-harness and engine tests under ThreadSanitizer, then under AddressSanitizer,
# each in its own scratch path (.build-tsan, .build-asan) so the normal build is untouched.
#
#   scripts/sanitize.sh [thread|address] [FILTER]   (default: both; FILTER default: the in-process suites)
#
# The end-to-end suites are left out: they run the uninstrumented opsd and opsctl as separate processes.
#
# First run (2026-11-29, OpsDaemonTests under TSan): 27 tests pass, 6 reports, all in Writer's hand-off —
# `pending` (a Synchronization.Mutex) and Ticket.outcomes (published by a DispatchSemaphore). Mutex locks with
# futex calls and Linux's libdispatch semaphores carry no TSan annotations, so TSan sees neither as
# synchronisation; these look like false positives but are not yet proven so (issue 18 item 2 is open): the
# next step is to annotate or replace those two primitives and run again before adding any suppression.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
sanitizers=("${1:-thread}")
[ $# -eq 0 ] && sanitizers=(thread address)
filter="${2:-OpsProtocolTests|SQLiteTests|PortalOpsTests|OpsDaemonTests|OpsClientTests}"
status=0
for sanitizer in "${sanitizers[@]}"; do
  scratch=".build-${sanitizer:0:1}san"
  echo "== $sanitizer sanitizer ($scratch)" >&2
  swift build --build-tests --sanitize="$sanitizer" --scratch-path "$scratch" >&2
  if ! TSAN_OPTIONS="halt_on_error=0 second_deadlock_stack=1" ASAN_OPTIONS="detect_leaks=0" \
      swift test --skip-build --disable-swift-testing --sanitize="$sanitizer" --scratch-path "$scratch" \
      --filter "$filter"; then
    status=1
  fi
done
exit $status
