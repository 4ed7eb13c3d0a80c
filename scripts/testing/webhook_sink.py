#!/usr/bin/env python3
"""A webhook receiver on 127.0.0.1 for tests.

Usage: webhook_sink.py PORT_FILE LOG_FILE STATUS[,STATUS...] [BODY] [LOCATION]
Answers the n-th POST with the n-th status of the list (the last one
repeats), with BODY as the response body if given and a Location header for
3xx answers if given, and appends one JSON line per request to LOG_FILE: the
status it answered, the Idempotency-Key header and the body.
"""
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port_file, log_file, statuses = sys.argv[1], sys.argv[2], [int(s) for s in sys.argv[3].split(",")]
answer = sys.argv[4].encode("utf-8") if len(sys.argv) > 4 and sys.argv[4] else None
location = sys.argv[5] if len(sys.argv) > 5 else None
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
        body = answer if answer is not None else (b"ok" if status < 300 else b"try again")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        if location and 300 <= status < 400:
            self.send_header("Location", location)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        """Logged too, so a test sees a redirect followed as a GET."""
        with lock:
            with open(log_file, "a") as log:
                log.write(json.dumps({"status": 200, "path": self.path, "method": "GET"}) + "\n")
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
