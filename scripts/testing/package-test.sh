#!/usr/bin/env bash
# The proof that the Debian package installs where it will run: builds it
# (scripts/package.sh, one release build), checks it with lintian, installs it
# with dpkg -i, starts opsd as the portalops user on /run/portalops/opsd.sock
# with the unit's own ExecStart line (through setpriv: CI may run without
# systemd), drives it with the installed opsctl as a member of the group,
# removes the package and checks the data directory is kept, then purges it.
#
# Needs root (it installs a package and creates the portalops user). Without
# root it is skipped, except in CI (CI=true), where it fails. It refuses to run
# where a portalops package is already installed: it would replace it.
set -euo pipefail
cd "$(dirname "$0")/../.."
started=$SECONDS
fail() { echo "package-test: FAILED: $*" >&2; exit 1; }
step() { echo "package-test: $*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  [ "${CI:-}" = "true" ] && fail "must run as root in CI"
  step "skipped: needs root (it installs the package)"; exit 0
fi
for tool in lintian dpkg-deb setpriv man; do
  command -v "$tool" >/dev/null || fail "$tool is missing: scripts/setup.sh installs it"
done
if dpkg-query -W -f '${Status}' portalops 2>/dev/null | grep -q installed; then
  fail "a portalops package is installed on this machine; the test will not replace it"
fi

work="$(mktemp -d)"
chmod 0755 "$work"
user_existed=0
getent passwd portalops >/dev/null && user_existed=1
opsd_pid=""
cleanup() {
  [ -n "$opsd_pid" ] && kill "$opsd_pid" 2>/dev/null && wait "$opsd_pid" 2>/dev/null || true
  if dpkg-query -W -f '${Status}' portalops 2>/dev/null | grep -q 'ok'; then dpkg --purge portalops >/dev/null || true; fi
  rm -rf /var/lib/portalops /run/portalops
  if [ "$user_existed" = 0 ] && getent passwd portalops >/dev/null; then userdel portalops || true; fi
  if getent group portalops >/dev/null && ! getent passwd portalops >/dev/null; then groupdel portalops || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

step "building the package"
build_started=$SECONDS
package="$(scripts/package.sh "$work" | tail -1)"
build_seconds=$((SECONDS - build_started))
step "built $package in $build_seconds s"

step "lintian"
lintian --fail-on error --tag-display-limit 0 "$package" | tee "$work/lintian.txt" >&2 || fail "lintian reports errors"

step "dpkg -i"
dpkg -i "$package" > "$work/install.txt" 2>&1 || { cat "$work/install.txt" >&2; fail "dpkg -i"; }
grep -q "systemd is not running here" "$work/install.txt" || [ -d /run/systemd/system ] \
  || fail "postinst did not say how to start opsd without systemd"
for file in /usr/sbin/opsd /usr/bin/opsctl /lib/systemd/system/portalops.service \
            /usr/lib/sysusers.d/portalops.conf /usr/lib/tmpfiles.d/portalops.conf \
            /usr/share/man/man1/opsctl.1.gz /usr/share/man/man8/opsd.8.gz \
            /usr/share/bash-completion/completions/opsctl /usr/share/doc/portalops/README.md \
            /usr/share/doc/portalops/runbooks/incident-response.md; do
  [ -e "$file" ] || fail "the package did not install $file"
done
for program in /usr/sbin/opsd /usr/bin/opsctl; do
  ! ldd "$program" | grep -Eq 'swift|not found' || fail "$program needs libraries the server lacks: $(ldd "$program")"
done
getent passwd portalops >/dev/null || fail "no portalops user"
[ "$(stat -c '%a %U' /var/lib/portalops)" = "700 portalops" ] || fail "/var/lib/portalops is not 0700 portalops"
[ "$(stat -c '%a %G' /run/portalops)" = "750 portalops" ] || fail "/run/portalops is not 0750, group portalops"
man -w opsctl >/dev/null || fail "man does not find opsctl(1)"

step "starting opsd as the unit does"
exec_start="$(sed -n 's/^ExecStart=//p' /lib/systemd/system/portalops.service)"
read -r -a command <<< "$exec_start"
(umask 0077; exec setpriv --reuid portalops --regid portalops --init-groups "${command[@]}") \
  > "$work/opsd.log" 2>&1 &
opsd_pid=$!
for _ in $(seq 1 300); do
  [ -S /run/portalops/opsd.sock ] && break
  kill -0 "$opsd_pid" 2>/dev/null || { cat "$work/opsd.log" >&2; fail "opsd exited"; }
  sleep 0.05
done
[ -S /run/portalops/opsd.sock ] || { cat "$work/opsd.log" >&2; fail "no socket after 15 s"; }
[ "$(stat -c '%a %U %G' /run/portalops/opsd.sock)" = "660 portalops portalops" ] \
  || fail "socket is $(stat -c '%a %U %G' /run/portalops/opsd.sock), not 660 portalops portalops"

# opsctl with no flags, from a directory without ./.portalops: it finds /run/portalops/opsd.sock.
cd "$work"
group_id="$(getent group portalops | cut -d: -f3)"
as_member() { setpriv --reuid 65534 --regid 65534 --groups "$group_id" /usr/bin/opsctl "$@"; }
as_stranger() { setpriv --reuid 65534 --regid 65534 --clear-groups /usr/bin/opsctl "$@"; }
env -u PORTALOPS_SOCKET -u PORTALOPS_DATA /usr/bin/opsctl user add lan --uid 65534 --role operator \
  --full-name "Nguyễn Thị Lan" >/dev/null || fail "root (admin) could not add an account"
env -u PORTALOPS_SOCKET /usr/bin/opsctl component add portal --name "Cổng dịch vụ công" >/dev/null \
  || fail "component add"
as_member whoami | grep -q "lan" || fail "a member of the group is not recognised"
as_member incident open --title "Cổng chậm" --severity sev3 --component portal | grep -q "INC-" \
  || fail "a member of the group could not open an incident"
as_member incident list --json | grep -q '"Cổng chậm"' || fail "the incident is not listed"
as_member metrics | grep -q '^portalops_incidents_open{severity="sev3"} 1$' || fail "metrics"
set +e
as_stranger status > "$work/stranger.txt" 2>&1
status=$?
set -e
[ "$status" = 3 ] || fail "outside the group opsctl exited $status, not 3: $(cat "$work/stranger.txt")"
grep -q "permission denied on /run/portalops/opsd.sock" "$work/stranger.txt" || fail "$(cat "$work/stranger.txt")"
cd - >/dev/null

kill -TERM "$opsd_pid"
wait "$opsd_pid" || fail "opsd did not stop cleanly: $(tail -3 "$work/opsd.log")"
opsd_pid=""

step "dpkg -r"
dpkg -r portalops > "$work/remove.txt" 2>&1 || { cat "$work/remove.txt" >&2; fail "dpkg -r"; }
[ ! -e /usr/sbin/opsd ] || fail "opsd is still installed"
[ -f /var/lib/portalops/ops.db ] || fail "removing the package deleted /var/lib/portalops/ops.db"
grep -q "kept /var/lib/portalops" "$work/remove.txt" || fail "removal did not say it kept the data"

step "dpkg --purge"
dpkg --purge portalops > "$work/purge.txt" 2>&1 || { cat "$work/purge.txt" >&2; fail "dpkg --purge"; }
grep -q "deleting /var/lib/portalops" "$work/purge.txt" || fail "purge did not say what it deletes"
[ ! -e /var/lib/portalops ] || fail "purge left /var/lib/portalops"

step "passed in $((SECONDS - started)) s (package build $build_seconds s of it)"
