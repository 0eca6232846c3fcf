"""s3relay.py - an HTTP relay on 127.0.0.1 in front of an S3 emulator that streams each
answer through as it comes, and can change what a GetObject answer carries, to see what a
downloader does with it:

    with S3Relay(moto.endpoint) as r:
        r.endpoint                   # point the client here (path-style addressing)
        r.tamper = True              # GetObject bodies: one byte flipped (length, ETag kept)
        r.hold_after = 3 << 20       # GetObject bodies: after this many bytes, one byte a
        r.wait_held()                # second (a slow server, never a stalled one) ...
        r.release()                  # ... until released: then at full speed
        r.seen                       # [(method, path, Range header or None)] in order
        r.log                        # ordered events: "arrived", "held", "released", "done"

The relay is a reverse proxy (the Host header is kept, so the signature stays valid), so
whatever reads its answers reads the emulator's status, headers and body as they were,
except for the armed change. A held answer is released by release() or when the client
goes away; the test asserts the order of events, never their timing.
"""
import http.client
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CHUNK = 64 * 1024
HOP = {"connection", "keep-alive", "transfer-encoding", "proxy-connection", "te", "upgrade"}


class S3Relay:
    def __init__(self, upstream):
        u = urllib.parse.urlsplit(upstream)
        self.up_host, self.up_port = u.hostname, u.port or 80
        self.tamper = False
        self.hold_after = None
        self.seen = []
        self.log = []
        self._cv = threading.Condition()
        self._released = False
        relay = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def _relay(self):
                relay._relay(self)

            do_GET = do_HEAD = do_PUT = do_POST = do_DELETE = _relay

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    def stop(self):
        self.release()
        self.server.shutdown()
        self.server.server_close()

    def _event(self, what):
        with self._cv:
            self.log.append(what)
            self._cv.notify_all()

    def wait_held(self, timeout=120):
        with self._cv:
            return self._cv.wait_for(lambda: "held" in self.log, timeout)

    def release(self):
        with self._cv:
            self._released = True
            self._cv.notify_all()

    def _relay(self, h):
        n = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(n) if n else None
        self.seen.append((h.command, h.path, h.headers.get("Range")))
        self._event("arrived")
        conn = http.client.HTTPConnection(self.up_host, self.up_port, timeout=60)
        headers = {k: v for k, v in h.headers.items() if k.lower() not in HOP}
        conn.request(h.command, h.path, body=body, headers=headers)
        resp = conn.getresponse()
        h.send_response(resp.status, resp.reason)
        length = resp.getheader("Content-Length")
        for k, v in resp.getheaders():
            if k.lower() not in HOP and k.lower() != "content-length":
                h.send_header(k, v)
        if length is not None:
            h.send_header("Content-Length", length)
        h.end_headers()
        is_get = h.command == "GET" and 200 <= resp.status < 300
        sent, flipped = 0, False
        try:
            while h.command != "HEAD":
                piece = resp.read(CHUNK)
                if not piece:
                    break
                if is_get and self.hold_after is not None and sent + len(piece) > self.hold_after:
                    cut = self.hold_after - sent
                    h.wfile.write(piece[:cut])
                    h.wfile.flush()
                    sent += cut
                    piece = piece[cut:]
                    self.hold_after = None   # once
                    self._event("held")
                    # a byte now and then: the client sees a slow answer, not a dead one
                    while piece:
                        with self._cv:
                            if self._cv.wait_for(lambda: self._released, 1.0):
                                self._released = False
                                break
                        h.wfile.write(piece[:1])
                        h.wfile.flush()
                        sent += 1
                        piece = piece[1:]
                    self._event("released")
                if is_get and self.tamper and not flipped and piece:
                    piece = bytes([piece[0] ^ 0xFF]) + piece[1:]
                    flipped = True
                h.wfile.write(piece)
                sent += len(piece)
            h.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            h.close_connection = True
        finally:
            conn.close()
            self._event("done")
