#!/usr/bin/env python3
"""Finds every write opsd acknowledged during scripts/soak.sh in ops.db, opened read-only.

Usage: soak_verify.py OPS_DB ACKS_JSON
ACKS_JSON is soak_driver.py's acks.json. Prints how many of each kind were acknowledged and
found; names the first missing ones. Exits 1 if any acknowledged write is missing.
"""
import collections
import json
import sqlite3
import sys

QUERIES = {
    "incident": "SELECT 1 FROM incidents WHERE ref = ? AND title = ?",
    "note": "SELECT 1 FROM incident_events e JOIN incidents i ON i.id = e.incident "
            "WHERE i.ref = ? AND e.kind = 'note' AND e.text = ?",
    "ack": "SELECT 1 FROM incidents WHERE ref = ? AND acknowledged_at IS NOT NULL",
    "resolve": "SELECT 1 FROM incidents WHERE ref = ? AND state IN ('resolved', 'closed') AND resolution = ?",
    "feedback": "SELECT 1 FROM feedback WHERE ref = ? AND summary = ?",
    "result": "SELECT 1 FROM check_results r JOIN checks c ON c.id = r.check_id WHERE c.key = ? AND r.detail = ?",
    "backup": "SELECT 1 FROM backups WHERE ref = ? AND state = 'complete'",
}


def main():
    db_path, acks_path = sys.argv[1], sys.argv[2]
    with open(acks_path) as f:
        recorded = json.load(f)
    records = [tuple(a) for a in recorded["acks"]] + [("backup", ref) for ref in recorded["backups"]]
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    found, missing = collections.Counter(), []
    for record in records:
        kind, values = record[0], record[1:]
        if db.execute(QUERIES[kind], values).fetchone():
            found[kind] += 1
        else:
            missing.append(record)
    total = collections.Counter(r[0] for r in records)
    print("acknowledged writes found: " + ", ".join(f"{k} {found[k]}/{total[k]}" for k in QUERIES if total[k])
          + f"; {sum(found.values())} of {len(records)}")
    for record in missing[:10]:
        print(f"missing: {record}", file=sys.stderr)
    return 1 if missing or not records else 0


if __name__ == "__main__":
    sys.exit(main())
