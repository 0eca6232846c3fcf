#!/usr/bin/env python3
"""replay_backend.py - moto's answers, recorded once, served again after a fixed latency.

A backend that is not the bottleneck, for measuring how well a client uses concurrency
against a region N ms away: the first time a request is seen it is forwarded to the
emulator and its answer kept (a miss); every later equal request is answered from memory
after sleeping latency_ms in the thread serving that connection (a hit), so concurrent
requests wait in parallel, like a network, and the emulator's own cost is out of the
measurement. Warm it up by running every client once, then time the runs after that; a run
whose `misses` is not 0 went to the emulator and is reported as such.

Equal means: same method, path, protocol (X-Amz-Target, Content-Type) and parameters, the
signature and the time window of GetMetricData left out (those differ on every run):
query-protocol forms are compared as parameter sets without StartTime/EndTime, JSON bodies
as objects without them, and CBOR bodies (botocore's CloudWatch) with the values after
those two keys masked. The Host header goes upstream unchanged (it is signed), so queue URLs
in the answers name this server.

    python3 tests/bench/replay_backend.py http://127.0.0.1:MOTO --latency-ms 20
"""
import argparse
import collections
import http.client
import http.server
import json
import os
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from countproxy import _HOP as _HOP_ONLY, _Server  # noqa: E402 - one threaded server, one hop list

_HOP = _HOP_ONLY | {"content-length"}
_WINDOW = ("StartTime", "EndTime")


def request_key(method, path, headers, body):
    """What makes two requests ask the same thing (see the module's docstring)."""
    target = headers.get("X-Amz-Target", "")
    ctype = headers.get("Content-Type", "").split(";")[0].strip().lower()
    if ctype == "application/x-www-form-urlencoded":
        params = urllib.parse.parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
        norm = repr(sorted((k, v) for k, v in params if k not in _WINDOW))
    elif ctype.startswith("application/x-amz-json") or ctype == "application/json":
        try:
            obj = json.loads(body or b"{}")
        except ValueError:
            obj = body.decode("latin-1")
        if isinstance(obj, dict):
            for k in _WINDOW:
                obj.pop(k, None)
        norm = json.dumps(obj, sort_keys=True)
    elif ctype == "application/cbor":
        b = bytearray(body)
        for k in _WINDOW:
            # a CBOR text key (major type 3, length < 24) and up to 10 bytes of its value
            # (tag 1 + float64 or integer seconds): the same layout on every run
            needle = bytes([0x60 + len(k)]) + k.encode()
            i = b.find(needle)
            if i >= 0:
                j = i + len(needle)
                b[j:j + 10] = bytes(len(b[j:j + 10]))
        norm = bytes(b).hex()
    else:
        norm = body.decode("latin-1")
    return (method, path, target, ctype, norm)


def action_of(method, path, headers, body):
    target = headers.get("X-Amz-Target", "")
    if target:
        return target.rsplit(".", 1)[-1]
    if "/operation/" in path:
        return path.rsplit("/", 1)[-1]
    if b"Action=" in body:
        return body.split(b"Action=", 1)[1].split(b"&", 1)[0].decode("ascii", "replace")
    return f"{method} {path.split('?', 1)[0]}"


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *_):
        pass

    def _serve(self):
        owner = self.server.owner
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        key = request_key(self.command, self.path, self.headers, body)
        with owner.lock:
            answer = owner.cache.get(key)
            owner.count += 1
            owner.by_action[action_of(self.command, self.path, self.headers, body)] += 1
            if answer is None:
                owner.misses += 1
        if answer is None:
            answer = owner.fetch(self.command, self.path, self.headers, body)
            with owner.lock:
                owner.cache[key] = answer
        if owner.latency_s > 0:
            time.sleep(owner.latency_s)
        status, reason, headers, data = answer
        self.send_response_only(status, reason)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _serve


class ReplayBackend:
    def __init__(self, upstream, latency_ms=0):
        if latency_ms < 0:
            raise ValueError("latency_ms must be >= 0")
        self.latency_s = latency_ms / 1000.0
        u = urllib.parse.urlsplit(upstream)
        self.up_host, self.up_port = u.hostname, u.port or 80
        self.lock = threading.Lock()
        self.cache = {}
        self.count = self.misses = 0
        self.by_action = collections.Counter()
        self.srv = _Server(("127.0.0.1", 0), _Handler)
        self.srv.owner = self
        self.endpoint = f"http://127.0.0.1:{self.srv.server_address[1]}"
        self.thread = threading.Thread(target=self.srv.serve_forever, daemon=True)

    def fetch(self, method, path, headers, body):
        """The emulator's answer, recorded: (status, reason, headers, body)."""
        c = http.client.HTTPConnection(self.up_host, self.up_port, timeout=120)
        try:
            c.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            for k, v in headers.items():
                if k.lower() not in _HOP:
                    c.putheader(k, v)
            c.putheader("Content-Length", str(len(body)))
            c.endheaders(body)
            r = c.getresponse()
            data = r.read()
            return (r.status, r.reason,
                    [(k, v) for k, v in r.getheaders() if k.lower() not in _HOP], data)
        finally:
            c.close()

    def reset(self):
        with self.lock:
            self.count = self.misses = 0
            self.by_action.clear()

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.srv.shutdown()
        self.srv.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("upstream", help="http://127.0.0.1:PORT of the emulator")
    ap.add_argument("--latency-ms", type=float, default=20.0)
    args = ap.parse_args()
    with ReplayBackend(args.upstream, args.latency_ms) as b:
        print(b.endpoint, flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
