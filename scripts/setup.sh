#!/usr/bin/env bash
# Installs what building, running and testing PortalOps needs, if missing:
# the system SQLite (library, headers and shell), zone data, setpriv.
# Swift itself comes with the machine (/opt/swift or the PATH).
set -euo pipefail

missing=()
[ -f /usr/include/sqlite3.h ] || missing+=(libsqlite3-dev)
command -v sqlite3 >/dev/null 2>&1 || missing+=(sqlite3)
[ -e /usr/share/zoneinfo/Asia/Ho_Chi_Minh ] || missing+=(tzdata)
command -v setpriv >/dev/null 2>&1 || missing+=(util-linux)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
command -v msmtp >/dev/null 2>&1 || missing+=(msmtp)   # the tests' real sendmail-compatible client
command -v chromium >/dev/null 2>&1 || missing+=(chromium)   # the tests print notices to PDF with it
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)   # … and read the PDF's text back
[ -x /usr/lib/nagios/plugins/check_tcp ] || missing+=(monitoring-plugins)   # checks run Nagios plugins as they are
command -v openssl >/dev/null 2>&1 || missing+=(openssl)   # certificate expiry of https checks; the tests' certificates
command -v monit >/dev/null 2>&1 || missing+=(monit)   # scripts/bench/checks.sh compares with it…
command -v prometheus-blackbox-exporter >/dev/null 2>&1 || missing+=(prometheus-blackbox-exporter)   # …and with it
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)   # a real second database for backup tests

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The tests' real SMTP server (aiosmtpd) and iCalendar parser (icalendar),
# for the python3 on the PATH.
for module in aiosmtpd icalendar; do
  if ! python3 -c "import $module" >/dev/null 2>&1; then
    echo "setup: installing $module (pip)" >&2
    python3 -m pip install -q "$module" >&2 || python3 -m pip install -q --break-system-packages "$module" >&2
  fi
done

if ! command -v swift >/dev/null 2>&1; then
  if [ -x /opt/swift/usr/bin/swift ]; then
    echo "setup: swift is at /opt/swift/usr/bin; add it to PATH" >&2
  else
    echo "setup: no Swift toolchain found (swift 6 is needed)" >&2
  fi
  exit 1
fi
