#!/usr/bin/env bash
# Builds PortalOps and runs opsd in the foreground on the embedded default:
# everything under ./.portalops, you (the uid running this) as admin.
# Stop it with Ctrl-C (it finishes requests in flight and checkpoints).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
scripts/setup.sh
echo "run: building (release)…" >&2
swift build -c release --product opsd >&2
swift build -c release --product opsctl >&2
bin="$(swift build -c release --show-bin-path)"
cat >&2 <<TXT

PortalOps is starting on ./.portalops (socket ./.portalops/opsd.sock).
In another terminal, from this directory:

  export PATH="$bin:\$PATH"
  opsctl status
  opsctl --help

TXT
# The malloc setting the service runs with (scripts/systemd/portalops.service says why).
export GLIBC_TUNABLES="$(sed -n 's/^Environment=GLIBC_TUNABLES=//p' scripts/systemd/portalops.service)"
exec "$bin/opsd" "$@"
