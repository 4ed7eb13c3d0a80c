#!/usr/bin/env bash
# Builds the Debian package dist/portalops_VERSION_ARCH.deb for servers without a Swift toolchain:
#   - opsd (/usr/sbin) and opsctl (/usr/bin), the Swift runtime and Foundation linked statically
#     (ldd shows only Debian's libraries: libc, libstdc++, libgcc_s, libm; opsd also libsqlite3
#     and libcurl)
#   - the systemd unit, sysusers.d and tmpfiles.d entries, maintainer scripts
#   - opsctl(1), opsd(8) and opsctl's bash completion, generated from the command catalog
#   - README and runbooks under /usr/share/doc/portalops
# Usage: scripts/package.sh [OUTDIR]   (default ./dist); prints the package's path last.
# PORTALOPS_RELEASE_BIN=DIR uses binaries already built there (with --static-swift-stdlib).
# scripts/install.sh stays the way to install from source.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
out="${1:-dist}"
maintainer="${PORTALOPS_MAINTAINER:-PortalOps maintainers <portalops@laocai.gov.vn>}"

bin="${PORTALOPS_RELEASE_BIN:-}"
if [ -z "$bin" ]; then
  # Its own scratch path: a release build never disturbs the debug build of the tests.
  # The static Foundation does not name libcurl itself: opsd's HTTP probes and webhooks need
  # it, and --as-needed keeps it out of opsctl, which never touches FoundationNetworking.
  flags=(-c release --static-swift-stdlib -Xlinker --as-needed -Xlinker -lcurl --scratch-path .build-release)
  swift build "${flags[@]}" >&2
  bin="$(swift build "${flags[@]}" --show-bin-path)"
fi
for program in opsd opsctl opsctl-catalog; do
  [ -x "$bin/$program" ] || { echo "package: no $bin/$program" >&2; exit 1; }
done
for program in opsd opsctl; do
  if ldd "$bin/$program" | grep -Eq 'swift|not found'; then
    echo "package: $program still needs the Swift toolchain's libraries:" >&2
    ldd "$bin/$program" >&2
    exit 1
  fi
done
if ldd "$bin/opsctl" | grep -q libcurl; then
  echo "package: opsctl links libcurl; it must not (start-up time, DESIGN.md)" >&2
  exit 1
fi

version="$("$bin/opsctl" --version | awk '{print $2}')"
arch="$(dpkg --print-architecture)"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
root="$stage/portalops"
doc="$root/usr/share/doc/portalops"

install -d -m 0755 "$root/DEBIAN" "$root/usr/bin" "$root/usr/sbin" "$root/lib/systemd/system" \
  "$root/usr/lib/sysusers.d" "$root/usr/lib/tmpfiles.d" "$doc/runbooks" \
  "$root/usr/share/man/man1" "$root/usr/share/man/man8" "$root/usr/share/bash-completion/completions"
install -m 0755 "$bin/opsd" "$root/usr/sbin/opsd"
install -m 0755 "$bin/opsctl" "$root/usr/bin/opsctl"
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$root/usr/sbin/opsd" "$root/usr/bin/opsctl"

# The source install's unit, with the package's paths.
sed -e 's|/usr/local/bin/opsd|/usr/sbin/opsd|' \
    -e 's|^Documentation=.*|Documentation=man:opsd(8) man:opsctl(1) file:///usr/share/doc/portalops/README.md|' \
    -e 's|^# PortalOps daemon. Installed by scripts/install.sh.|# PortalOps daemon. Installed by the portalops package.|' \
    scripts/systemd/portalops.service > "$root/lib/systemd/system/portalops.service"
chmod 0644 "$root/lib/systemd/system/portalops.service"
install -m 0644 scripts/debian/portalops.sysusers "$root/usr/lib/sysusers.d/portalops.conf"
install -m 0644 scripts/debian/portalops.tmpfiles "$root/usr/lib/tmpfiles.d/portalops.conf"

install -m 0644 README.md scripts/debian/copyright "$doc/"
install -m 0644 runbooks/*.md "$doc/runbooks/"
{
  echo "portalops ($version) unstable; urgency=medium"
  echo
  echo "  * Built from commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)."
  echo
  echo " -- $maintainer  $(date -u -R -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n > "$doc/changelog.gz"

"$bin/opsctl-catalog" man opsctl | gzip -9n > "$root/usr/share/man/man1/opsctl.1.gz"
"$bin/opsctl-catalog" man opsd | gzip -9n > "$root/usr/share/man/man8/opsd.8.gz"
"$bin/opsctl-catalog" bash-completion > "$root/usr/share/bash-completion/completions/opsctl"
chmod 0644 "$root/usr/share/man/man1/opsctl.1.gz" "$root/usr/share/man/man8/opsd.8.gz" \
  "$root/usr/share/bash-completion/completions/opsctl"

# Depends: the packages that hold the libraries the programs name (NEEDED), found where ldd finds them.
depends="$(for program in "$root/usr/sbin/opsd" "$root/usr/bin/opsctl"; do
    for needed in $(readelf -d "$program" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
      ldd "$program" | awk -v name="$needed" '$1 == name && $3 ~ /^\// {print $3}'
    done
  done | sort -u | while read -r library; do
    dpkg -S "$library" 2>/dev/null || dpkg -S "$(readlink -f "$library")" 2>/dev/null || true
  done | cut -d: -f1 | sort -u | paste -sd, | sed 's/,/, /g')"
[ -n "$depends" ] || { echo "package: could not work out the library packages" >&2; exit 1; }

install -m 0755 scripts/debian/postinst scripts/debian/prerm scripts/debian/postrm "$root/DEBIAN/"
cat > "$root/DEBIAN/control" <<CONTROL
Package: portalops
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: $depends, adduser
Section: admin
Priority: optional
Description: operations and incident console of a public-service portal
 PortalOps is the operations, maintenance and incident console of a
 provincial public-service portal: a daemon, opsd, that owns an SQLite
 database with a hash-chained audit trail, and a command-line client,
 opsctl, that talks to it over a Unix socket. It tracks incidents, shifts,
 maintenance windows with their written notices, backups with restore
 drills, and integrity checks.
CONTROL
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) \
  > "$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"
find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

mkdir -p "$out"
package="$out/portalops_${version}_${arch}.deb"
# gzip rather than xz: the package is about 10% larger and builds in a fraction of the time.
dpkg-deb --root-owner-group -Zgzip --build "$root" "$package" >&2
echo "$package"
