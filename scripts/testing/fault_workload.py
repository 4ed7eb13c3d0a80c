#!/usr/bin/env python3
"""Concurrent writers against opsd's socket that remember every acknowledged write, and the check that
every one of them is still there. Used by scripts/faults.sh; stdlib only.

Usage:
  fault_workload.py write SOCKET ACKS --seconds S [--writers N] [--tag T] [--note-bytes B] [--stop-file F]
                                      [--pause-file F] [--think-ms MS]
  fault_workload.py check SOCKET ACKS

write: N threads (default 8), each on its own connection, loop for S seconds (or until --stop-file exists):
  component.add, and every fifth write an incident.open on that component followed by an incident.note of
  --note-bytes bytes (default 200). A write counts as acknowledged only when opsd answered ok:true; it is then
  appended to ACKS ("component KEY", "incident REF TITLE", "note REF TEXT") and flushed before the next
  request. A dropped connection (opsd killed, stopped, restarting) is reconnected every 50 ms; the request in
  flight then is unknown and not counted. Each writer waits --think-ms (default 0) between writes, and does
  nothing while --pause-file exists (so a check reads a database that is not growing under it). Prints one
  JSON line: acknowledged, refused (by error kind), dropped (requests cut or connections refused), the first
  refusal message, and the slowest answer in seconds.
check: reads ACKS and asks opsd for components, incidents and each noted incident's timeline; prints
  "N acknowledged writes, all present" and exits 0, or lists the missing ones and exits 1.
"""
import json
import os
import socket
import sys
import threading
import time


class Connection:
    def __init__(self, path, timeout=None):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        self.buffer = b""

    def request(self, command, args):
        self.sock.sendall(json.dumps({"command": command, "args": args}).encode() + b"\n")
        while b"\n" not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("opsd closed the connection")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return json.loads(line)

    def close(self):
        self.sock.close()


def write(path, acks, seconds, writers, tag, note_bytes, stop_file, pause_file, think):
    deadline = time.time() + seconds
    lock = threading.Lock()
    out = open(acks, "a", encoding="utf-8")
    totals = {"acknowledged": 0, "refused": {}, "dropped": 0, "first_refusal": None, "slowest_seconds": 0.0}

    def record(line):
        with lock:
            out.write(line + "\n")
            out.flush()
            totals["acknowledged"] += 1

    def refused(response):
        error = response.get("error") or {}
        with lock:
            kind = error.get("kind", "?")
            totals["refused"][kind] = totals["refused"].get(kind, 0) + 1
            if totals["first_refusal"] is None:
                totals["first_refusal"] = error.get("message", "")

    def timed(connection, command, args):
        start = time.time()
        response = connection.request(command, args)
        with lock:
            totals["slowest_seconds"] = max(totals["slowest_seconds"], time.time() - start)
        return response

    def running():
        return time.time() < deadline and not (stop_file and os.path.exists(stop_file))

    def worker(index):
        n = 0
        connection = None
        while running():
            while pause_file and os.path.exists(pause_file) and running():
                time.sleep(0.05)
            time.sleep(think)
            try:
                if connection is None:
                    connection = Connection(path)
                n += 1
                key = f"{tag}-w{index}-{n}"
                response = timed(connection, "component.add", {"key": key, "name": f"Thành phần {key}"})
                if not response.get("ok"):
                    refused(response)
                    continue
                record(f"component {key}")
                if n % 5:
                    continue
                title = f"Sự cố {key}"
                response = timed(connection, "incident.open",
                                 {"title": title, "severity": "sev4", "component": [key]})
                if not response.get("ok"):
                    refused(response)
                    continue
                ref = response["data"]["ref"]
                record(f"incident {ref} {title}")
                text = f"note-{key}-" + "x" * max(0, note_bytes - len(key) - 6)
                response = timed(connection, "incident.note", {"incident": ref, "text": text})
                if not response.get("ok"):
                    refused(response)
                    continue
                record(f"note {ref} {text}")
            except (OSError, ConnectionError, ValueError):
                with lock:
                    totals["dropped"] += 1
                if connection is not None:
                    connection.close()
                connection = None
                time.sleep(0.05)
        if connection is not None:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out.close()
    print(json.dumps(totals, ensure_ascii=False))


def check(path, acks):
    components, incidents, notes = set(), {}, {}
    with open(acks, encoding="utf-8") as lines:
        for line in lines:
            kind, rest = line.rstrip("\n").split(" ", 1)
            if kind == "component":
                components.add(rest)
            elif kind == "incident":
                ref, title = rest.split(" ", 1)
                incidents[ref] = title
            elif kind == "note":
                ref, text = rest.split(" ", 1)
                notes.setdefault(ref, []).append(text)
    connection = Connection(path, timeout=60)
    stored = {c["key"] for c in connection.request("component.list", {})["data"]["components"]}
    missing = [f"component {key}" for key in sorted(components - stored)]
    listed = {i["ref"]: i["title"] for i in connection.request("incident.list", {})["data"]["incidents"]}
    missing += [f"incident {ref}" for ref, title in sorted(incidents.items()) if listed.get(ref) != title]
    for ref, texts in sorted(notes.items()):
        shown = json.dumps(connection.request("incident.show", {"incident": ref}), ensure_ascii=False)
        missing += [f"note on {ref}" for text in texts if text not in shown]
    total = len(components) + len(incidents) + sum(len(t) for t in notes.values())
    if missing:
        print(f"{len(missing)} of {total} acknowledged writes missing: {', '.join(missing[:10])}")
        return 1
    print(f"{total} acknowledged writes, all present")
    return 0


def main(argv):
    if len(argv) < 3 or argv[0] not in ("write", "check"):
        print(__doc__, file=sys.stderr)
        return 2
    command, path, acks = argv[0], argv[1], argv[2]
    if command == "check":
        return check(path, acks)
    options = {"--seconds": "60", "--writers": "8", "--tag": "f", "--note-bytes": "200", "--stop-file": "",
               "--pause-file": "", "--think-ms": "0"}
    rest = argv[3:]
    for name, value in zip(rest[::2], rest[1::2]):
        if name not in options:
            print(f"fault_workload.py: unknown option {name}", file=sys.stderr)
            return 2
        options[name] = value
    write(path, acks, float(options["--seconds"]), int(options["--writers"]), options["--tag"],
          int(options["--note-bytes"]), options["--stop-file"] or None, options["--pause-file"] or None,
          int(options["--think-ms"]) / 1000)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
