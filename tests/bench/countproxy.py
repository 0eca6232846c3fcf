"""countproxy.py - a counting reverse proxy on 127.0.0.1 in front of an emulator.

    with CountProxy("http://127.0.0.1:MOTO_PORT", latency_ms=0) as p:
        ... point a tool at p.endpoint ...
        p.count, p.by_action        # requests seen since the last p.reset()

    python3 tests/bench/countproxy.py [--latency-ms N] UPSTREAM   # run it, print counts
    python3 tests/bench/countproxy.py --selfcheck [--latency-ms 50] [--clients 32]

Every tool under test talks to the proxy, so their requests are counted the same way,
whatever their own logging says. Requests and responses are passed through unchanged
(the Host header too: it is part of the SigV4 signature); bodies are buffered, which is fine
for API calls but not meant for big transfers.

latency_ms models a region's round trip: each request waits that long once, after it has
been read and before it is forwarded. The wait is a sleep in the handler thread of that
client connection (one thread per connection, ThreadingMixIn), so concurrent requests wait
in parallel, as they would on a real network, while requests on one keep-alive connection
stay one after the other. Connection set-up (TCP and TLS handshakes, 2-3 more round trips
on a real endpoint) is NOT modelled: it favours a client that opens many connections.
--selfcheck proves the wait does not serialise: N concurrent clients through the proxy to
an instant upstream should take about one latency, not N.
"""
import collections
import http.client
import http.server
import json
import socket
import socketserver
import threading
import time
import urllib.parse

_HOP = {"connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding",
        "upgrade"}


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"   # keep-alive like the real endpoint
    # Headers and body go out in two writes; with Nagle on, the client's delayed ACK would
    # add ~40 ms to every request and the proxy would dominate the measurement.
    disable_nagle_algorithm = True

    def log_message(self, *_):
        pass

    def _body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            out = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return bytes(out)
                out += self.rfile.read(size)
                self.rfile.readline()
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def _forward(self):
        proxy = self.server.owner
        body = self._body()
        proxy._count(self.command, self.headers, self.path, body)
        if proxy.latency_s > 0:
            time.sleep(proxy.latency_s)   # this connection's thread only: see the docstring
        conn = proxy._conn()
        try:
            conn.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            for k, v in self.headers.items():
                if k.lower() not in _HOP and k.lower() != "content-length":
                    conn.putheader(k, v)
            conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
            resp = conn.getresponse()
            data = resp.read()
        except (OSError, http.client.HTTPException):
            proxy._drop_conn()
            self.send_error(502, "upstream failed")
            return
        self.send_response_only(resp.status, resp.reason)
        for k, v in resp.getheaders():
            if k.lower() not in _HOP and k.lower() != "content-length":
                self.send_header(k, v)
        if self.command != "HEAD":
            self.send_header("Content-Length", str(len(data)))
        else:
            cl = resp.getheader("Content-Length")
            if cl is not None:
                self.send_header("Content-Length", cl)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # The default listen backlog (5) overflows when a client opens tens of connections at
    # once; Linux then drops SYNs and the client retries after a second, which would be
    # charged to the client under test.
    request_queue_size = 256


class CountProxy:
    def __init__(self, upstream, latency_ms=0):
        if latency_ms < 0:
            raise ValueError("latency_ms must be >= 0")
        self.latency_ms = latency_ms
        self.latency_s = latency_ms / 1000.0
        u = urllib.parse.urlsplit(upstream)
        self.up_host, self.up_port = u.hostname, u.port or 80
        self.lock = threading.Lock()
        self.local = threading.local()
        self.count = 0
        self.by_action = collections.Counter()
        self.srv = _Server(("127.0.0.1", 0), _Handler)
        self.srv.owner = self
        self.port = self.srv.server_address[1]
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.srv.serve_forever, daemon=True)

    def _conn(self):
        c = getattr(self.local, "conn", None)
        if c is None:
            c = self.local.conn = http.client.HTTPConnection(self.up_host, self.up_port, timeout=120)
            c.connect()
            c.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return c

    def _drop_conn(self):
        c = getattr(self.local, "conn", None)
        if c:
            c.close()
        self.local.conn = None

    @staticmethod
    def action_name(method, headers, path, body):
        """Names the API action: the X-Amz-Target (JSON protocols), the Action field (query
        protocols), else the HTTP method and first path segment (S3)."""
        action = headers.get("X-Amz-Target", "").rsplit(".", 1)[-1]
        if not action:
            q = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
            if "Action" not in q and body and "form-urlencoded" in headers.get("Content-Type", ""):
                q = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
            action = (q.get("Action") or [""])[0]
        if not action:
            action = f"REST:{method}"
        return action

    def _count(self, method, headers, path, body):
        """Counts the request under its action's name (action_name)."""
        action = self.action_name(method, headers, path, body)
        with self.lock:
            self.count += 1
            self.by_action[action] += 1

    def reset(self):
        with self.lock:
            self.count = 0
            self.by_action.clear()

    def snapshot(self):
        with self.lock:
            return self.count, dict(self.by_action)

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


class _InstantHandler(http.server.BaseHTTPRequestHandler):
    """The upstream of --selfcheck: answers at once, so only the proxy's wait is timed."""
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *_):
        pass

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    do_GET = do_POST


def selfcheck(latency_ms, clients):
    """Times `clients` concurrent requests (one connection each) through a proxy with
    `latency_ms` to an instant upstream, and one request alone. Returns a dict of seconds."""
    up = _Server(("127.0.0.1", 0), _InstantHandler)
    threading.Thread(target=up.serve_forever, daemon=True).start()
    try:
        with CountProxy(f"http://127.0.0.1:{up.server_address[1]}", latency_ms) as p:
            def one(out, i):
                c = http.client.HTTPConnection("127.0.0.1", p.port, timeout=60)
                c.connect()     # connect first: time the requests, not the handshakes
                barrier.wait()
                t0 = time.monotonic()
                c.request("POST", "/", body=b"Action=Selfcheck",
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
                c.getresponse().read()
                out[i] = time.monotonic() - t0
                c.close()

            res = {}
            for n in (1, clients):
                barrier = threading.Barrier(n + 1)
                out = [None] * n
                ts = [threading.Thread(target=one, args=(out, i)) for i in range(n)]
                for t in ts:
                    t.start()
                barrier.wait()
                t0 = time.monotonic()
                for t in ts:
                    t.join()
                res[n] = (time.monotonic() - t0, max(out))
            count, _ = p.snapshot()
        return {"latency_ms": latency_ms, "clients": clients, "requests_counted": count,
                "one_request_s": round(res[1][0], 4),
                "concurrent_wall_s": round(res[clients][0], 4),
                "serialised_would_be_s": round(clients * latency_ms / 1000.0, 4)}
    finally:
        up.shutdown()
        up.server_close()


if __name__ == "__main__":
    import argparse
    ap = argparse.ArgumentParser(description="counting reverse proxy on 127.0.0.1")
    ap.add_argument("upstream", nargs="?", help="http://127.0.0.1:PORT of the emulator")
    ap.add_argument("--latency-ms", type=float, default=0.0,
                    help="added wait per request before forwarding (default 0)")
    ap.add_argument("--selfcheck", action="store_true",
                    help="time concurrent requests to an instant upstream and exit")
    ap.add_argument("--clients", type=int, default=32, help="concurrent clients for --selfcheck")
    a = ap.parse_args()
    if a.selfcheck:
        print(json.dumps(selfcheck(a.latency_ms or 50.0, a.clients)))
        raise SystemExit(0)
    if not a.upstream:
        ap.error("UPSTREAM is required (or --selfcheck)")
    with CountProxy(a.upstream, a.latency_ms) as p:
        print(p.endpoint, flush=True)
        try:
            while True:
                time.sleep(5)
                print(json.dumps(p.snapshot()), flush=True)
        except KeyboardInterrupt:
            pass
