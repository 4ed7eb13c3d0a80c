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
command -v pdfsig >/dev/null 2>&1 || missing+=(poppler-utils)   # opsd checks signed notices with it
[ -e /usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf ] || missing+=(fonts-liberation)   # notices' serif
command -v openssl >/dev/null 2>&1 || missing+=(openssl)   # signers' and https checks' certificates
[ -x /usr/lib/nagios/plugins/check_tcp ] || missing+=(monitoring-plugins)   # checks run Nagios plugins as they are
command -v monit >/dev/null 2>&1 || missing+=(monit)   # scripts/bench/checks.sh compares with it…
command -v prometheus-blackbox-exporter >/dev/null 2>&1 || missing+=(prometheus-blackbox-exporter)   # …and with it
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)   # a real second database for backup tests
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)   # promtool checks the metrics opsd writes
command -v man >/dev/null 2>&1 || missing+=(man-db)   # renders the generated man pages with --warnings
command -v lintian >/dev/null 2>&1 || missing+=(lintian)   # checks the Debian package (scripts/package.sh)
command -v strip >/dev/null 2>&1 || missing+=(binutils)   # scripts/package.sh strips the binaries
ls /usr/lib/*/faketime/libfaketime.so.1 >/dev/null 2>&1 || missing+=(faketime)   # scripts/faults.sh steps opsd's clock
command -v strace >/dev/null 2>&1 || missing+=(strace)   # …and fails its file writes with EROFS
[ -e /usr/lib/x86_64-linux-gnu/libcurl.so ] || [ -e "/usr/lib/$(uname -m)-linux-gnu/libcurl.so" ] \
  || missing+=(libcurl4-openssl-dev)   # scripts/package.sh links the static Foundation's libcurl into opsd

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The tests' real SMTP server (aiosmtpd), iCalendar parser (icalendar) and
# PDF signer (pyhanko) and public-holiday calendar (holidays, the lunar dates' peer),
# for the python3 on the PATH.
for module in aiosmtpd icalendar pyhanko holidays; do
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
