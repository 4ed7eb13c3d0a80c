#!/usr/bin/env bash
# Prints the role matrix of every command (from the command catalog, as opsd builds it) into
# runbooks/access-and-audit.md, between its role-matrix markers. Run after adding or changing a
# command's roles; RoleMatrixTests fails while the runbook differs from the catalog.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
swift build --product opsctl-catalog >&2
matrix="$(mktemp)"
trap 'rm -f "$matrix"' EXIT
"$(swift build --show-bin-path)/opsctl-catalog" role-matrix > "$matrix"
python3 - "$matrix" runbooks/access-and-audit.md <<'PY'
import sys
matrix, runbook = open(sys.argv[1], encoding="utf-8").read(), sys.argv[2]
text = open(runbook, encoding="utf-8").read()
begin, end = matrix.splitlines()[0], matrix.rstrip("\n").splitlines()[-1]
if begin in text and end in text:
    text = text[:text.index(begin)] + matrix.rstrip("\n") + text[text.index(end) + len(end):]
else:
    text = text.rstrip("\n") + "\n\n## Who may run what\n\nEvery command and the roles allowed to run it, from the catalog " \
        "(`scripts/role-matrix.sh` prints it here; admission refuses every other role with exit 3).\n\n" + matrix
open(runbook, "w", encoding="utf-8").write(text)
PY
echo "role matrix written to runbooks/access-and-audit.md" >&2
