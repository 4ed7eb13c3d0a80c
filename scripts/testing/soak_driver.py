#!/usr/bin/env python3
"""The load of scripts/soak.sh: many concurrent clients of mixed roles on opsd's socket.

Usage (as root, opsd already running, its socket open to other uids):
  soak_driver.py SOCKET --minutes M --pid OPSD_PID --out DIR
                 [--clients 500] [--uid-base 60001] [--think 1.0] [--http-url URL]

Sets up accounts (operator, supervisor, security, viewer, monitor, admin; each bound to a
uid from --uid-base on), components and checks, then forks one worker process per account
(and a few uids with no account: strangers) that drops to its uid and runs its share of the
clients, one thread and one connection each (reconnecting every 10-60 requests). Each
client waits --think seconds on average (exponential) between requests. The mix: incidents
opened, noted, acknowledged and resolved, feedback, heartbeats and submitted results, lists,
shows and status, plus a bounded share of requests that must be refused (a role that may
not, bad arguments, an unknown command, strangers). The driver itself runs `backup run ops`
every minute (at its 30th second, so the per-minute samples never land inside one).

Prints one line per minute: requests/s, p50/p99 latency, unexpected errors, provoked
refusals, opsd's RSS, open descriptors (sockets, ops.db's, others) and threads; at the end, latency by
command and opsd's figures once the clients have left. Writes DIR/acks.json
(every write opsd acknowledged), DIR/minutes.json (the samples) and DIR/unexpected.txt (the
first unexpected answers). Exits 1 if any answer was unexpected or a client could not connect.
"""
import argparse
import json
import os
import random
import socket
import sys
import threading
import time

ROLES = [  # role, share of the clients, clients per account
    ("operator", 0.40, 25), ("viewer", 0.22, 20), ("security", 0.12, 20), ("monitor", 0.12, 20),
    ("supervisor", 0.08, 20), ("admin", 0.04, 10), ("stranger", 0.02, 4),
]
COMPONENTS = ["portal", "payment", "national-link", "sso", "search"]
SEVERITIES = ["sev4", "sev4", "sev4", "sev3"]  # mostly quiet ones: a sev1-sev3 pages people


class Connection:
    """One client's connection: a request line out, its answer line in (progress lines skipped)."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.settimeout(120)
        self.sock.connect(path)
        self.file = self.sock.makefile("rb")

    def call(self, command, args):
        self.sock.sendall((json.dumps({"command": command, "args": args}) + "\n").encode())
        while True:
            line = self.file.readline()
            if not line:
                raise ConnectionError("opsd closed the connection")
            answer = json.loads(line)
            if "progress" not in answer:
                return answer

    def close(self):
        try:
            self.file.close()
            self.sock.close()
        except OSError:
            pass


def outcome(answer):
    return "ok" if answer.get("ok") else answer.get("error", {}).get("kind", "?")


class Client:
    """A person (or a monitoring system) at work: chooses the next request from its role's mix."""

    def __init__(self, role, name, number, rng):
        self.role, self.name, self.number, self.rng = role, name, number, rng
        self.incident = None  # (ref, step): the incident this client is working
        self.sequence = 0
        self.acks = []

    def token(self, what):
        self.sequence += 1
        return f"soak {self.name}/{self.number} {what} {self.sequence}"

    def next_request(self):
        """Returns (command, args, expected outcome kinds, what to record if acknowledged)."""
        r = self.rng.random()
        role = self.role
        if role == "stranger":
            return "incident.list", {}, {"denied", "refused"}, None
        if r < 0.08:
            return self.provoked()
        if role == "monitor":
            key = f"hb-{self.name}"
            if r < 0.50:
                detail = self.token("ping")
                return "check.ping", {"check": key, "detail": detail}, {"ok"}, ("result", key, detail)
            if r < 0.80:
                detail = self.token("submit")
                status = self.rng.choice(["ok", "ok", "warning"])
                return ("check.submit", {"check": key, "status": status, "detail": detail,
                                         "latency": str(self.rng.randint(1, 900))}, {"ok"}, ("result", key, detail))
            return self.rng.choice([("check.list", {}), ("check.show", {"check": key, "limit": "5"}),
                                    ("whoami", {})]) + ({"ok"}, None)
        works = {"operator": 0.55, "supervisor": 0.40, "security": 0.45, "admin": 0.20}.get(role, 0)
        if r < 0.08 + works:
            return self.incident_step()
        if role != "viewer" and r < 0.08 + works + 0.05:
            summary = self.token("phản ánh")
            return ("feedback.add", {"from": "Sở Tư pháp tỉnh Lào Cai", "channel": "email", "category": "error",
                                     "summary": summary}, {"ok"}, ("feedback", summary))
        return self.read()

    def read(self):
        """A read. The list of active incidents is a tenth of them: with hundreds of clients each working an
        incident it lists hundreds (a real console has a handful), and its cost grows with them."""
        if self.rng.random() < 0.10:
            return "incident.list", {"state": "active"}, {"ok"}, None
        choices = [("status", {}), ("check.list", {}), ("component.list", {}), ("whoami", {}),
                   ("backup.list", {"target": "ops"})]
        if self.incident:
            choices += [("incident.show", {"incident": self.incident[0]})] * 2
        return self.rng.choice(choices) + ({"ok"}, None)

    def incident_step(self):
        if self.incident is None:
            title = self.token("sự cố")
            args = {"title": title, "severity": self.rng.choice(SEVERITIES),
                    "component": [self.rng.choice(COMPONENTS)]}
            if self.role == "security":
                args["security"] = True
            return "incident.open", args, {"ok"}, ("incident", title)
        ref, step = self.incident
        if step in (1, 2, 4, 5):
            text = self.token("ghi chú")
            return "incident.note", {"incident": ref, "text": text}, {"ok"}, ("note", ref, text)
        if step == 3:
            return "incident.ack", {"incident": ref}, {"ok"}, ("ack", ref)
        resolution = self.token("khắc phục")
        return ("incident.resolve", {"incident": ref, "cause": "tải cao", "resolution": resolution}, {"ok"},
                ("resolve", ref, resolution))

    def acknowledged(self, record, answer):
        """Keeps what opsd confirmed, and moves this client's incident along."""
        if record[0] == "incident":
            ref = answer.get("data", {}).get("ref")
            self.incident = (ref, 1)
            record = ("incident", ref, record[1])
        elif record[0] in ("note", "ack"):
            self.incident = (self.incident[0], self.incident[1] + 1)
        elif record[0] == "resolve":
            self.incident = None
        elif record[0] == "feedback":
            record = ("feedback", answer.get("data", {}).get("ref"), record[1])
        self.acks.append(record)

    def provoked(self):
        """A request that must be refused, with the kind of refusal it must get. opsd checks the command's
        name, then the caller's role, then the arguments."""
        role = self.role
        responder = role in ("operator", "security", "supervisor", "admin")
        bad_arguments = {"usage"} if responder else {"denied"}
        choices = [
            ("incident.frobnicate", {}, {"usage"}),
            ("incident.open", {"title": "thiếu mức độ", "component": ["portal"]}, bad_arguments),
            ("incident.open", {"title": "sai mức độ", "severity": "sev9", "component": ["portal"]}, bad_arguments),
            ("incident.show", {"incident": "INC-1999-9999"}, {"denied" if role == "monitor" else "refused"}),
            ("user.add", {"name": "soak-operator-0", "uid": "4242", "role": "admin"},
             {"refused" if role == "admin" else "denied"}),
        ]
        if not responder:
            choices.append(("incident.open", {"title": "không được phép", "severity": "sev4",
                                              "component": ["portal"]}, {"denied"}))
        if role == "monitor":
            choices.append(("incident.list", {}, {"denied"}))
            choices.append(("check.submit", {"check": f"hb-{self.name}", "status": "tốt"}, {"usage"}))
        command, args, expected = self.rng.choice(choices)
        return command, args, expected, None


class Worker:
    """One uid's clients, as threads; reports each minute's latencies to the driver through a pipe."""

    def __init__(self, role, name, uid, clients, args, t0, pipe):
        self.role, self.name, self.uid, self.count = role, name, uid, clients
        self.args, self.t0, self.pipe = args, t0, pipe
        self.lock = threading.Lock()
        self.minutes = {}  # minute -> {"lat": [...], "unexpected": n, "provoked": n}
        self.commands = {}  # command -> [latency ms]: where the time goes, for the summary
        self.unexpected = []
        self.connect_failures = 0
        self.acks = []

    def bucket(self, minute):
        return self.minutes.setdefault(minute, {"lat": [], "unexpected": 0, "provoked": 0})

    def run(self):
        os.setgroups([])
        os.setgid(self.uid)
        os.setuid(self.uid)
        deadline = self.t0 + self.args.minutes * 60
        threads = [threading.Thread(target=self.client, args=(n, deadline), daemon=True) for n in range(self.count)]
        for thread in threads:
            thread.start()
        reporter = threading.Thread(target=self.report_loop, args=(deadline,), daemon=True)
        reporter.start()
        for thread in threads:
            thread.join()
        reporter.join()
        self.flush(final=True)

    def client(self, number, deadline):
        rng = random.Random(hash((self.uid, number, self.args.seed)))
        me = Client(self.role, self.name, number, rng)
        time.sleep(rng.random() * min(10.0, self.args.think * 5))  # a ramp: not all at once
        connection, left = None, 0
        while time.monotonic() < deadline:
            if connection is None or left == 0:
                if connection:
                    connection.close()
                try:
                    connection = Connection(self.args.socket)
                except OSError as error:
                    with self.lock:
                        self.connect_failures += 1
                        self.unexpected.append(f"{self.name}/{number}: connect: {error}")
                    connection = None
                    time.sleep(1)
                    continue
                left = 1 if self.role == "stranger" else rng.randint(10, 60)
            command, args, expected, record = me.next_request()
            started = time.monotonic()
            try:
                answer = connection.call(command, args)
            except (OSError, ValueError) as error:
                answer = {"ok": False, "error": {"kind": "transport", "message": str(error)}}
                connection.close()
                connection = None
            elapsed = time.monotonic() - started
            left -= 1
            kind = outcome(answer)
            with self.lock:
                bucket = self.bucket(int((time.monotonic() - self.t0) // 60))
                bucket["lat"].append(round(elapsed * 1000, 2))
                self.commands.setdefault(command, []).append(round(elapsed * 1000, 2))
                if kind not in expected:
                    bucket["unexpected"] += 1
                    if len(self.unexpected) < 50:
                        message = answer.get("error", {}).get("message", "")
                        self.unexpected.append(f"{self.name}/{number} {command} {json.dumps(args, ensure_ascii=False)}"
                                               f" → {kind}: {message}")
                elif kind != "ok":
                    bucket["provoked"] += 1
            if kind == "ok" and record:
                me.acknowledged(record, answer)
            elif kind not in expected and record and record[0] in ("note", "ack", "resolve"):
                me.incident = None  # lost track of it: start a new one
            time.sleep(rng.expovariate(1 / self.args.think) if self.role != "stranger" else 2 + rng.random() * 2)
        if connection:
            connection.close()
        with self.lock:
            self.acks.extend(me.acks)

    def report_loop(self, deadline):
        minute = 0
        while True:
            boundary = self.t0 + (minute + 1) * 60 + 1
            time.sleep(max(0, boundary - time.monotonic()))
            self.flush(upto=minute)
            minute += 1
            if boundary > deadline + 1:
                return

    def flush(self, upto=None, final=False):
        with self.lock:
            ready = sorted(m for m in self.minutes if final or m <= upto)
            out = [{"minute": m, **self.minutes.pop(m)} for m in ready]
            message = {"minutes": out}
            if final:
                message.update(acks=self.acks, unexpected=self.unexpected, connect_failures=self.connect_failures,
                               commands=self.commands)
        os.write(self.pipe, (json.dumps(message, ensure_ascii=False) + "\n").encode())


def admin_call(path, command, args, allow=("ok",)):
    connection = Connection(path)
    try:
        answer = connection.call(command, args)
    finally:
        connection.close()
    if outcome(answer) not in allow:
        raise SystemExit(f"soak: set-up failed: {command} {args}: {answer}")
    return answer


def plan(args):
    """Splits the clients among roles and accounts: [(role, name, uid, clients)]."""
    accounts, uid = [], args.uid_base
    for role, share, per_account in ROLES:
        total = max(1, round(args.clients * share))
        index = 0
        while total > 0:
            clients = min(per_account, total)
            accounts.append((role, f"soak-{role}-{index}", uid, clients))
            total -= clients
            index += 1
            uid += 1
    excess = sum(a[3] for a in accounts) - args.clients
    role, name, uid_, clients = accounts[0]
    accounts[0] = (role, name, uid_, clients - excess)  # rounding: the first operator account takes it up
    return accounts


def set_up(args, accounts):
    for key in COMPONENTS:
        admin_call(args.socket, "component.add", {"key": key, "name": f"Thành phần {key}"})
    for role, name, uid, _ in accounts:
        if role == "stranger":
            continue
        admin_call(args.socket, "user.add", {"name": name, "uid": str(uid), "role": role})
        if role == "monitor":
            admin_call(args.socket, "check.add", {"check": f"hb-{name}", "component": "national-link",
                                                  "heartbeat": True, "every": "1h", "grace": "1h"})
    if args.http_url:
        for n in range(args.http_checks):
            admin_call(args.socket, "check.add", {"check": f"web-{n}", "component": "portal", "http": args.http_url,
                                                  "contains": "Lào Cai", "interval": "10s", "timeout": "5s"})


def sample(pid):
    """opsd's RSS (KiB), threads, descriptors: sockets, ops.db's (the writer's, the readers' pool and readers
    in flight, two or three each), and the others (backup files, pipes, logs)."""
    rss = anon = threads = 0
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
            elif line.startswith("RssAnon:"):
                anon = int(line.split()[1])
            elif line.startswith("Threads:"):
                threads = int(line.split()[1])
    sockets = database = others = 0
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:"):
            sockets += 1
        elif os.path.basename(target).startswith("ops.db"):
            database += 1
        else:
            others += 1
    return {"rss_kib": rss, "anon_kib": anon, "stacks_kib": stacks_rss(pid), "threads": threads,
            "fd_sockets": sockets, "fd_database": database, "fd_other": others}


def stacks_rss(pid):
    """Resident KiB of thread stacks: anonymous read-write mappings right above a one-page guard (malloc's
    arenas have their inaccessible part above). A thread's stack keeps every page it ever touched, so this
    grows as long-lived connection threads reach deeper code; malloc's arenas are most of the rest of anon."""
    total, previous_guard_end, is_stack = 0, None, False
    with open(f"/proc/{pid}/smaps") as smaps:
        for line in smaps:
            fields = line.split()
            if "-" in fields[0] and len(fields) >= 5 and ":" in fields[3]:
                start, end = (int(x, 16) for x in fields[0].split("-"))
                anonymous = len(fields) == 5
                is_stack = anonymous and fields[1] == "rw-p" and previous_guard_end == start
                guard = anonymous and fields[1] == "---p" and end - start == 4096
                previous_guard_end = end if guard else None
            elif is_stack and fields[0] == "Rss:":
                total += int(fields[1])
    return total


def percentile(values, share):
    if not values:
        return 0.0
    return values[min(len(values) - 1, int(len(values) * share))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("socket")
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--uid-base", type=int, default=60001)
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--http-url")
    parser.add_argument("--http-checks", type=int, default=20)
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()

    accounts = plan(args)
    set_up(args, accounts)
    time.sleep(15)  # every HTTP check probed once: the prober's threads exist before the baseline
    baseline = sample(args.pid)
    print(f"soak: {args.clients} clients in {len(accounts)} uids "
          + ", ".join(f"{role} {sum(a[3] for a in accounts if a[0] == role)}" for role, _, _ in ROLES)
          + f"; opsd before: RSS {baseline['rss_kib'] / 1024:.1f} MiB, {baseline['fd_sockets']}+"
          f"{baseline['fd_database']}+{baseline['fd_other']} fds, {baseline['threads']} threads", flush=True)

    t0 = time.monotonic()
    children = []
    for role, name, uid, clients in accounts:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            try:
                Worker(role, name, uid, clients, args, t0, write_end).run()
                os._exit(0)
            except BaseException as error:  # a worker that dies says why, and the driver fails
                os.write(2, f"soak: worker {name}: {error!r}\n".encode())
                os._exit(1)
        os.close(write_end)
        children.append((pid, os.fdopen(read_end, "rb")))

    minutes, lock = {}, threading.Lock()
    finals = []

    def collect(stream):
        for line in stream:
            message = json.loads(line)
            with lock:
                for m in message["minutes"]:
                    bucket = minutes.setdefault(m["minute"], {"lat": [], "unexpected": 0, "provoked": 0})
                    bucket["lat"].extend(m["lat"])
                    bucket["unexpected"] += m["unexpected"]
                    bucket["provoked"] += m["provoked"]
                if "acks" in message:
                    finals.append(message)

    readers = [threading.Thread(target=collect, args=(stream,), daemon=True) for _, stream in children]
    for reader in readers:
        reader.start()

    samples, backups, backup_failures = [], [], []

    def backup_loop(deadline):
        minute = 0
        while True:
            at = t0 + minute * 60 + 30
            if at > deadline:
                return
            time.sleep(max(0, at - time.monotonic()))
            started = time.monotonic()
            try:
                connection = Connection(args.socket)
                answer = connection.call("backup.run", {"target": "ops", "label": f"soak {minute}"})
                connection.close()
            except (OSError, ValueError) as error:
                answer = {"ok": False, "error": {"kind": "transport", "message": str(error)}}
            took = time.monotonic() - started
            if answer.get("ok"):
                backups.append((answer.get("data", {}).get("ref"), round(took, 2)))
            else:
                backup_failures.append(answer)
            minute += 1

    deadline = t0 + args.minutes * 60
    backuper = threading.Thread(target=backup_loop, args=(deadline,), daemon=True)
    backuper.start()
    print(f"{'min':>3} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>8} {'unexp':>5} {'refused':>7} "
          f"{'RSS MiB':>8} {'anon':>6} {'stacks':>6} {'fds sock+db+other':>17} {'threads':>7}", flush=True)
    minute = 0
    while t0 + (minute + 1) * 60 <= deadline + 0.5:
        time.sleep(max(0, t0 + (minute + 1) * 60 - time.monotonic()))
        now = sample(args.pid)  # at the minute's end, before the workers' reports arrive
        time.sleep(3)
        with lock:
            bucket = minutes.get(minute, {"lat": [], "unexpected": 0, "provoked": 0})
            lat = sorted(bucket["lat"])
        row = {"minute": minute + 1, "requests_per_s": round(len(lat) / 60, 1), "p50_ms": percentile(lat, 0.50),
               "p99_ms": percentile(lat, 0.99), "unexpected": bucket["unexpected"], "provoked": bucket["provoked"],
               **now}
        samples.append(row)
        print(f"{row['minute']:>3} {row['requests_per_s']:>7.1f} {row['p50_ms']:>7.1f} {row['p99_ms']:>8.1f} "
              f"{row['unexpected']:>5} {row['provoked']:>7} {now['rss_kib'] / 1024:>8.1f} "
              f"{now['anon_kib'] / 1024:>6.1f} {now['stacks_kib'] / 1024:>6.1f} "
              f"{now['fd_sockets']:>8}+{now['fd_database']:>3}+{now['fd_other']:<4} "
              f"{now['threads']:>7}", flush=True)
        minute += 1

    status = 0
    for pid, _ in children:
        _, code = os.waitpid(pid, 0)
        if code != 0:
            print(f"soak: a worker (pid {pid}) failed", file=sys.stderr)
            status = 1
    for reader in readers:
        reader.join()
    backuper.join()
    # After every client has gone, opsd's threads and sockets must return to where they were.
    after, waited = sample(args.pid), 0.0
    while (after["fd_sockets"] > baseline["fd_sockets"] or after["threads"] > baseline["threads"] + 16) \
            and waited < 30:
        time.sleep(0.5)
        waited += 0.5
        after = sample(args.pid)
    acks = [a for f in finals for a in f["acks"]]
    unexpected = [u for f in finals for u in f["unexpected"]]
    connect_failures = sum(f["connect_failures"] for f in finals)
    late = sum(b["unexpected"] for m, b in minutes.items() if m >= len(samples))  # the last partial second
    total_unexpected = sum(r["unexpected"] for r in samples) + late
    with open(os.path.join(args.out, "acks.json"), "w") as f:
        json.dump({"acks": acks, "backups": [b[0] for b in backups]}, f, ensure_ascii=False)
    with open(os.path.join(args.out, "minutes.json"), "w") as f:
        json.dump({"baseline": baseline, "after": after, "samples": samples, "backups": backups,
                   "backup_failures": backup_failures}, f, ensure_ascii=False, indent=1)
    with open(os.path.join(args.out, "unexpected.txt"), "w") as f:
        f.write("\n".join(unexpected) + "\n")
    requests = sum(len(b["lat"]) for b in minutes.values())
    print(f"soak: {requests} requests, {len(acks)} acknowledged writes, {sum(r['provoked'] for r in samples)} "
          f"provoked refusals, {total_unexpected} unexpected answers, {connect_failures} failed connects; "
          f"{len(backups)} backups ({', '.join(f'{t:.1f}s' for _, t in backups)}), "
          f"{len(backup_failures)} failed", flush=True)
    print(f"soak: opsd after the clients left: RSS {after['rss_kib'] / 1024:.1f} MiB, {after['fd_sockets']}+"
          f"{after['fd_database']}+{after['fd_other']} fds, {after['threads']} threads", flush=True)
    commands = {}
    for f in finals:
        for command, values in f["commands"].items():
            commands.setdefault(command, []).extend(values)
    print("soak: latency by command (count p50/p99 ms): " + "; ".join(
        f"{c} {len(v)} {percentile(sorted(v), 0.5):.0f}/{percentile(sorted(v), 0.99):.0f}"
        for c, v in sorted(commands.items(), key=lambda kv: -len(kv[1]))), flush=True)
    for line in unexpected[:10]:
        print(f"soak: unexpected: {line}", file=sys.stderr)
    for failure in backup_failures[:3]:
        print(f"soak: backup failed: {failure}", file=sys.stderr)
    if total_unexpected or connect_failures or backup_failures:
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
