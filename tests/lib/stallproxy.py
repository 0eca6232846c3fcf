"""stallproxy.py - a reverse proxy in front of an emulator that can stall a call or refuse
one with ExpiredToken, for tests of what the console does while credentials are refreshed.

    proxy = StallProxy(moto.endpoint)            # a thread on a free 127.0.0.1 port
    env["AWS_ENDPOINT_URL"] = proxy.endpoint
    proxy.hold("AssumeRole", minimum=10.0)       # the next AssumeRole waits >= 10 s
    proxy.expire_next("sqs")                     # the next SQS call answers ExpiredToken
    proxy.wait_event("held", "AssumeRole")       # it has arrived and is being held
    ... look at the console; proxy.holding is True while the answer is kept back ...
    proxy.release()                              # forward it (once the minimum is up)
    proxy.stop()

Every request is forwarded as it came (its signature stays valid: the Host header is kept),
except the ones armed above. The proxy keeps an ordered log of what it did ("arrived" when a
request comes in; then "forwarded", "held" and later "released", or "expired"), so a test
can assert the order of events (what arrived while a call was held), never their timing. The action of a request is its form parameter Action (query protocols), or the part
after the dot of X-Amz-Target (JSON protocols); its service is the credential scope's.

Answers it makes itself (ExpiredToken) are in the shape AWS sends for the protocol: query
XML <ErrorResponse>, or JSON with __type, which botocore parses too (tested in
test_creds_stall.py). An AssumeRole answer can have its Expiration moved
(expire_in(seconds)), so the credentials come due for a refresh while the test runs.
"""
import http.client
import http.server
import re
import threading
import time
import urllib.parse

EXPIRED_XML = (b'<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error>'
               b'<Type>Sender</Type><Code>ExpiredToken</Code><Message>The security token '
               b'included in the request is expired</Message></Error>'
               b'<RequestId>stallproxy-1</RequestId></ErrorResponse>')
EXPIRED_JSON = (b'{"__type": "com.amazon.coral.service#ExpiredTokenException", '
                b'"message": "The security token included in the request is expired"}')


def _action(headers, body):
    target = headers.get("X-Amz-Target")
    if target:
        return target.rsplit(".", 1)[-1]
    try:
        form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
    except ValueError:
        form = {}
    return (form.get("Action") or [""])[0]


def _scope(headers):
    """(access key id, service) from the Authorization header's credential scope."""
    m = re.search(r"Credential=([^/]+)/[^/]+/[^/]+/([^/]+)/", headers.get("Authorization", ""))
    return (m.group(1), m.group(2)) if m else (None, None)


class StallProxy:
    def __init__(self, upstream, cap=60.0):
        self.upstream = urllib.parse.urlsplit(upstream)
        self.cap = cap                  # a held call is let go after this, whatever happens
        self.lock = threading.Lock()
        self.log = []                   # (seq, what, action, service, key)
        self.params = []                # (seq, action, form parameters) of query calls
        self.seq = 0
        self._hold = None               # {"action", "minimum", "event", "began"}
        self._expire = []               # services whose next call answers ExpiredToken
        self._expire_in = None          # seconds: an AssumeRole answer's new Expiration
        self.holding = False
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def do_GET(self):
                self._any("GET")

            def do_POST(self):
                self._any("POST")

            def do_PUT(self):
                self._any("PUT")

            def do_DELETE(self):
                self._any("DELETE")

            def do_HEAD(self):
                self._any("HEAD")

            def _any(self, method):
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n) if n else b""
                status, hdrs, out = proxy._handle(method, self.path, self.headers, body)
                try:
                    self.send_response(status)
                    for k, v in hdrs:
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(out)))
                    self.end_headers()
                    if method != "HEAD":
                        self.wfile.write(out)
                except (BrokenPipeError, ConnectionResetError):
                    # the client gave up on a held call (its own timeout): nothing to answer
                    self.close_connection = True

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.endpoint = "http://127.0.0.1:%d" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    # ---- arming ---------------------------------------------------------------------------

    def hold(self, action, minimum=10.0, skip=0):
        """The next call of action (after skip of them went through) is held: answered no
        sooner than minimum seconds after it arrived, and not before release() (or the
        cap)."""
        with self.lock:
            self._hold = {"action": action, "minimum": minimum, "event": threading.Event(),
                          "armed": True, "skip": skip}

    def release(self):
        with self.lock:
            if self._hold:
                self._hold["event"].set()

    def expire_next(self, service):
        """The next call to service (credential scope: "sqs", "sts") answers ExpiredToken."""
        with self.lock:
            self._expire.append(service)

    def expire_in(self, seconds):
        """AssumeRole answers from now on say the credentials expire in that many seconds."""
        with self.lock:
            self._expire_in = seconds

    # ---- the log --------------------------------------------------------------------------

    def _note(self, what, action, service, key):
        with self.lock:
            self.seq += 1
            self.log.append((self.seq, what, action, service, key))
            return self.seq

    def events(self, what=None, action=None):
        with self.lock:
            return [e for e in self.log if (what is None or e[1] == what) and
                    (action is None or e[2] == action)]

    def calls(self, action):
        """The form parameters of each query-protocol call of action, in order."""
        with self.lock:
            return [p for _, a, p in self.params if a == action]

    def wait_event(self, what, action=None, deadline=60.0):
        """Waits for a logged event (a bound, not a check); returns it or None."""
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            ev = self.events(what, action)
            if ev:
                return ev[0]
            time.sleep(0.05)
        return None

    # ---- serving --------------------------------------------------------------------------

    def _handle(self, method, path, headers, body):
        action = _action(headers, body)
        key, service = _scope(headers)
        seq = self._note("arrived", action, service, key)
        if not headers.get("X-Amz-Target") and body:
            form = dict(urllib.parse.parse_qsl(body.decode("utf-8", "replace")))
            with self.lock:
                self.params.append((seq, action, form))
        with self.lock:
            hold = self._hold if self._hold and self._hold["armed"] and \
                self._hold["action"] == action else None
            if hold and hold["skip"] > 0:
                hold["skip"] -= 1
                hold = None
            if hold:
                hold["armed"] = False
                self.holding = True
            expire = service in self._expire
            if expire:
                self._expire.remove(service)
        if expire:
            self._note("expired", action, service, key)
            if headers.get("X-Amz-Target"):
                return 400, [("Content-Type", "application/x-amz-json-1.0")], EXPIRED_JSON
            return 400, [("Content-Type", "text/xml")], EXPIRED_XML
        if hold:
            self._note("held", action, service, key)
            began = time.monotonic()
            hold["event"].wait(self.cap)
            left = began + hold["minimum"] - time.monotonic()
            if left > 0:
                time.sleep(left)
        status, hdrs, out = self._forward(method, path, headers, body)
        if action == "AssumeRole" and status == 200 and self._expire_in is not None:
            when = time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                 time.gmtime(time.time() + self._expire_in))
            out = re.sub(rb"<Expiration>[^<]*</Expiration>",
                         b"<Expiration>" + when.encode() + b"</Expiration>", out)
        if hold:
            with self.lock:
                self.holding = False
            self._note("released", action, service, key)
        else:
            self._note("forwarded", action, service, key)
        return status, hdrs, out

    def _forward(self, method, path, headers, body):
        c = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port, timeout=60)
        hdrs = {k: v for k, v in headers.items()
                if k.lower() not in ("connection", "content-length", "transfer-encoding")}
        c.request(method, path, body=body or None, headers=hdrs)
        r = c.getresponse()
        out = r.read()
        keep = [(k, v) for k, v in r.getheaders()
                if k.lower() not in ("connection", "content-length", "transfer-encoding",
                                     "keep-alive", "date", "server")]
        c.close()
        return r.status, keep, out

    def stop(self):
        self.release()
        self.server.shutdown()
        self.server.server_close()
