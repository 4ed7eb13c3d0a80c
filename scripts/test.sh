#!/usr/bin/env bash
# Sets up what the tests need and runs every test: unit tests of each
# module, the end-to-end tests that drive the built opsd and opsctl, and
# (without arguments, with PORTALOPS_PACKAGE_TEST=1) the Debian package test,
# scripts/testing/package-test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
scripts/setup.sh
swift build --build-tests
# The suites are XCTest; without Swift Testing the run ends on XCTest's own
# "Executed N tests, with 0 failures" line instead of "0 tests passed".
swift test --disable-swift-testing "$@"
# PORTALOPS_PACKAGE_TEST=1 also proves the Debian package: a static release build, lintian,
# dpkg -i, opsd as the unit starts it, dpkg -r (as root). Not in CI by default: a clean release
# build alone takes longer on CI's 2 cores than the whole suite (run it before a release).
if [ $# -eq 0 ] && [ "${PORTALOPS_PACKAGE_TEST:-0}" = 1 ]; then
  scripts/testing/package-test.sh
fi
