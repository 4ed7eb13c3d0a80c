#!/usr/bin/env python3
"""A webhook receiver on 127.0.0.1 for tests.

Usage: webhook_sink.py PORT_FILE LOG_FILE STATUS[,STATUS...]
Answers the n-th POST with the n-th status of the list (the last one
repeats), and appends one JSON line per request to LOG_FILE: the status it
answered, the Idempotency-Key header and the body.
"""
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port_file, log_file, statuses = sys.argv[1], sys.argv[2], [int(s) for s in sys.argv[3].split(",")]
lock = threading.Lock()
served = [0]


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with lock:
            status = statuses[min(served[0], len(statuses) - 1)]
            served[0] += 1
            with open(log_file, "a") as log:
                log.write(json.dumps({"status": status, "path": self.path,
                                      "idempotency_key": self.headers.get("Idempotency-Key"),
                                      "content_type": self.headers.get("Content-Type"),
                                      "body": body.decode("utf-8")}, ensure_ascii=False) + "\n")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"ok" if status < 300 else b"try again")

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
