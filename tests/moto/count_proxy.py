"""A counting HTTP proxy in front of moto, to measure what a collector asks for.

usage: count_proxy.py UPSTREAM_URL

Listens on a free loopback port and prints `PORT <n>` on stdout once ready. Every request is
forwarded to UPSTREAM_URL unchanged; `GET /__counts` answers with a JSON summary of what was
forwarded since the last `GET /__reset`: total requests, requests per (service, operation), and
requests that repeated an earlier identical one (same credentials, region, operation, path, query
and body), in total and per operation.
"""

import hashlib
import http.client
import json
import re
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
COUNTS = {
    "requests": 0,
    "by_operation": {},
    "repeated": 0,
    "repeated_by_operation": {},
    "repeated_examples": [],
}
SEEN = set()

CREDENTIAL = re.compile(r"Credential=([^/]+)/[^/]+/([^/]+)/([^/]+)/")


def operation(path, headers, body):
    """The API operation of a request, for the four protocols involved."""
    target = headers.get("X-Amz-Target")
    if target:  # JSON protocol (Route 53 Resolver)
        return target.split(".")[-1]
    if body:
        form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
        if "Action" in form:  # query protocol (EC2, ELBv2, STS)
            return form["Action"][0]
    # REST protocols (IoT, Route 53): method and path without ids.
    return re.sub(r"/[A-Za-z0-9_.:%-]{12,}", "/{id}", path.split("?")[0])


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    upstream = None

    def log_message(self, *args):  # quiet
        pass

    def _forward(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.command == "GET" and self.path == "/__reset":
            with LOCK:
                SEEN.clear()
                COUNTS.update(
                    requests=0,
                    by_operation={},
                    repeated=0,
                    repeated_by_operation={},
                    repeated_examples=[],
                )
            self._answer(200, {"Content-Type": "application/json"}, b"{}")
            return
        if self.command == "GET" and self.path == "/__counts":
            with LOCK:
                data = json.dumps(COUNTS).encode()
            self._answer(200, {"Content-Type": "application/json"}, data)
            return
        auth = self.headers.get("Authorization", "")
        cred = CREDENTIAL.search(auth)
        key_id, region, service = cred.groups() if cred else ("", "", "")
        op = f"{service}:{operation(self.path, self.headers, body)}"
        fingerprint = hashlib.sha256(
            "\0".join([key_id, region, op, self.command, self.path]).encode() + b"\0" + body
        ).hexdigest()
        with LOCK:
            COUNTS["requests"] += 1
            COUNTS["by_operation"][op] = COUNTS["by_operation"].get(op, 0) + 1
            if fingerprint in SEEN:
                COUNTS["repeated"] += 1
                by_op = COUNTS["repeated_by_operation"]
                by_op[op] = by_op.get(op, 0) + 1
                if len(COUNTS["repeated_examples"]) < 20:
                    COUNTS["repeated_examples"].append(
                        f"{region} {op} {self.path} {self.headers.get('amz-sdk-request', '')}"
                    )
            SEEN.add(fingerprint)
        url = urllib.parse.urlsplit(self.upstream)
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection",)}
        conn.request(self.command, self.path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        out = {
            k: v
            for k, v in resp.getheaders()
            if k.lower() not in ("transfer-encoding", "connection", "content-length")
        }
        conn.close()
        self._answer(resp.status, out, data)

    def _answer(self, status, headers, data):
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    Handler.upstream = argv[1]
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
