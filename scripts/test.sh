#!/usr/bin/env bash
# Sets up what the tests need and runs every test: unit tests of each
# module, the end-to-end tests that drive the built opsd and opsctl, and
# (without arguments) the Debian package test, scripts/testing/package-test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
scripts/setup.sh
swift build --build-tests
# The suites are XCTest; without Swift Testing the run ends on XCTest's own
# "Executed N tests, with 0 failures" line instead of "0 tests passed".
swift test --disable-swift-testing "$@"
# The whole run (no filter) also proves the Debian package: a release build,
# lintian, dpkg -i, opsd as the unit starts it, dpkg -r (as root; CI=true fails without).
if [ $# -eq 0 ]; then
  scripts/testing/package-test.sh
fi
