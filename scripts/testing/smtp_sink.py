#!/usr/bin/env python3
"""A real SMTP server on 127.0.0.1 for tests and benchmarks (aiosmtpd).

Usage: smtp_sink.py PORT_FILE OUT_DIR
Listens on a free port, writes the port number to PORT_FILE, and saves every
message it accepts as OUT_DIR/NNNNNN.eml (exactly the bytes received).
Runs until killed.
"""
import os
import socket
import sys
import threading
import time

from aiosmtpd.controller import Controller

port_file, out_dir = sys.argv[1], sys.argv[2]
os.makedirs(out_dir, exist_ok=True)
lock = threading.Lock()
count = [0]


class Sink:
    async def handle_DATA(self, server, session, envelope):
        with lock:
            count[0] += 1
            n = count[0]
        tmp = os.path.join(out_dir, f".{n:06d}.tmp")
        with open(tmp, "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(tmp, os.path.join(out_dir, f"{n:06d}.eml"))
        return "250 Message accepted"


probe = socket.socket()
probe.bind(("127.0.0.1", 0))
port = probe.getsockname()[1]
probe.close()
controller = Controller(Sink(), hostname="127.0.0.1", port=port, data_size_limit=33554432)
controller.start()
with open(port_file + ".tmp", "w") as f:
    f.write(str(port))
os.rename(port_file + ".tmp", port_file)
while True:
    time.sleep(3600)
