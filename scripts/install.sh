#!/usr/bin/env bash
# Installs PortalOps as a system service:
#   - opsd and opsctl in /usr/local/bin
#   - system user and group 'portalops'; data in /var/lib/portalops (0700)
#   - the systemd unit (socket /run/portalops/opsd.sock, group portalops, 0660)
# Run as root. DESTDIR=/some/dir stages the files there instead, without
# creating users or touching systemd (used by the tests and for packaging).
#
# After installing: add operators to the group ('usermod -aG portalops lan')
# and give them accounts ('sudo opsctl user add lan --uid $(id -u lan)
# --role operator'). root is an admin. For servers, scripts/package.sh builds
# a Debian package instead (no Swift toolchain needed there).
set -euo pipefail
cd "$(dirname "$0")/.."
destdir="${DESTDIR:-}"
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"

if [ -z "$destdir" ] && [ "$(id -u)" -ne 0 ]; then
  echo "install: run as root (or set DESTDIR to stage the files)" >&2
  exit 1
fi

if [ -z "${PORTALOPS_BIN:-}" ]; then
  scripts/setup.sh
  swift build -c release --product opsd >&2
  swift build -c release --product opsctl >&2
  PORTALOPS_BIN="$(swift build -c release --show-bin-path)"
fi

install -d -m 0755 "$destdir/usr/local/bin" "$destdir/etc/systemd/system" "$destdir/usr/local/share/doc/portalops"
install -m 0755 "$PORTALOPS_BIN/opsd" "$PORTALOPS_BIN/opsctl" "$destdir/usr/local/bin/"
install -m 0644 scripts/systemd/portalops.service "$destdir/etc/systemd/system/portalops.service"
install -m 0644 README.md "$destdir/usr/local/share/doc/portalops/README.md"
cp -r runbooks "$destdir/usr/local/share/doc/portalops/"

if [ -n "$destdir" ]; then
  install -d -m 0700 "$destdir/var/lib/portalops"
  echo "install: staged in $destdir"
  exit 0
fi

if ! getent group portalops >/dev/null; then groupadd --system portalops; fi
if ! getent passwd portalops >/dev/null; then
  useradd --system --gid portalops --home-dir /var/lib/portalops --no-create-home --shell /usr/sbin/nologin \
    --comment "PortalOps daemon" portalops
fi
install -d -m 0700 -o portalops -g portalops /var/lib/portalops

if [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  systemctl enable --now portalops.service
  echo "install: portalops.service enabled and started; 'systemctl status portalops' shows it"
else
  echo "install: systemd is not running here; start opsd with the ExecStart line of the unit"
fi
echo "install: opsctl finds /run/portalops/opsd.sock by itself; its users must be members of group portalops"
