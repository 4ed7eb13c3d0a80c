#!/usr/bin/env python3
"""An HTTP or HTTPS server on 127.0.0.1 for health-check tests.

Usage: http_target.py PORT_FILE [PORT] [CERT KEY]
Binds PORT (0: any free port, written to PORT_FILE), answers every GET with
200 and a Vietnamese page; with CERT and KEY it speaks TLS. A test stops it
to make the target fail and starts it again on the same port to recover.
"""
import ssl
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port_file = sys.argv[1]
port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
PAGE = "<html><body>Cổng dịch vụ công tỉnh Lào Cai</body></html>".encode("utf-8")


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, *args):
        pass


ThreadingHTTPServer.allow_reuse_address = True
server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
if len(sys.argv) > 4:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(sys.argv[3], sys.argv[4])
    server.socket = context.wrap_socket(server.socket, server_side=True)
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
