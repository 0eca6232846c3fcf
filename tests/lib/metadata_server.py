#!/usr/bin/env python3
"""metadata_server.py - a test server for EC2 IMDSv2 and container credentials.

    python3 metadata_server.py STATE.json PORT [HOST]

HOST defaults to 127.0.0.1. STATE.json is re-read on every request, so a test changes the
server's behaviour by rewriting it:
    {"role": "opsdeck-role",               IMDS: the instance profile role name
     "imds_require_token": true,           IMDSv2 only: GETs without a valid token get 401
     "imds_token_status": 200,             answer to PUT /latest/api/token (403/404: no v2)
     "imds_creds": {...},                  the role's document (AccessKeyId, ...)
     "container_token": "Bearer x",        Authorization the container endpoint requires
     "container_status": 200,              its status (non-200: an error document)
     "container_creds": {...}}
Paths under /latest/ are IMDS; any other path is the container endpoint (ECS gives a
relative URI like /v2/credentials/UUID). Every request is recorded; GET /_log returns them as JSON ({method, path, token,
authorization}); POST /_reset clears the record.

Token semantics follow the EC2 documentation: PUT /latest/api/token needs
X-aws-ec2-metadata-token-ttl-seconds (1-21600; else 400) and returns a token; a GET with an
unknown token gets 401. Used with awsenv's MetadataServer (free port, stopped by PID).
"""
import json
import secrets
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CREDS_PATH = "/latest/meta-data/iam/security-credentials/"
_tokens = set()
_log = []
_lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state_path = None

    def log_message(self, *args):  # quiet: the test's log is the record below
        pass

    def _state(self):
        with open(self.state_path, encoding="utf-8") as f:
            return json.load(f)

    def _send(self, status, body, ctype="text/plain"):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _record(self):
        with _lock:
            _log.append({"method": self.command, "path": self.path,
                         "token": self.headers.get("X-aws-ec2-metadata-token"),
                         "ttl": self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"),
                         "authorization": self.headers.get("Authorization")})

    def do_PUT(self):
        self._record()
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            self.rfile.read(n)
        st = self._state()
        if self.path != "/latest/api/token":
            return self._send(404, "not found")
        status = st.get("imds_token_status", 200)
        if status != 200:
            return self._send(status, "no token here")
        ttl = self.headers.get("X-aws-ec2-metadata-token-ttl-seconds")
        if not ttl or not ttl.isdigit() or not 1 <= int(ttl) <= 21600:
            return self._send(400, "missing or invalid X-aws-ec2-metadata-token-ttl-seconds")
        tok = "imds-" + secrets.token_urlsafe(24)
        with _lock:
            _tokens.add(tok)
        self._send(200, tok)

    def do_POST(self):
        if self.path == "/_reset":
            with _lock:
                _log.clear()
            return self._send(200, "ok")
        self._send(404, "not found")

    def do_GET(self):
        if self.path == "/_log":
            with _lock:
                return self._send(200, json.dumps(_log), "application/json")
        if self.path == "/ping":
            return self._send(200, "ok")
        self._record()
        st = self._state()
        if self.path.startswith("/latest/"):
            return self._imds(st)
        return self._container(st)  # any other path: the container endpoint

    def _imds(self, st):
        tok = self.headers.get("X-aws-ec2-metadata-token")
        with _lock:
            known = tok in _tokens
        if (tok is not None and not known) or (tok is None and st.get("imds_require_token", True)):
            return self._send(401, "")
        role = st.get("role", "opsdeck-role")
        if self.path == CREDS_PATH:
            return self._send(200, role)
        if self.path == CREDS_PATH + role:
            doc = {"Code": "Success", "LastUpdated": "2024-01-01T00:00:00Z",
                   "Type": "AWS-HMAC"}
            doc.update(st.get("imds_creds", {}))
            return self._send(200, json.dumps(doc), "application/json")
        self._send(404, "not found")

    def _container(self, st):
        want = st.get("container_token")
        if want is not None and self.headers.get("Authorization") != want:
            return self._send(401, json.dumps({"message": "unauthorized"}), "application/json")
        status = st.get("container_status", 200)
        if status != 200:
            return self._send(status, json.dumps({"message": "error"}), "application/json")
        self._send(200, json.dumps(st.get("container_creds", {})), "application/json")


def main():
    Handler.state_path = sys.argv[1]
    host = sys.argv[3] if len(sys.argv) > 3 else "127.0.0.1"
    srv = ThreadingHTTPServer((host, int(sys.argv[2])), Handler)
    srv.daemon_threads = True
    srv.serve_forever()


if __name__ == "__main__":
    main()
