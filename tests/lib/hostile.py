"""hostile.py - a misbehaving AWS endpoint for tests: a reverse proxy on 127.0.0.1 in front
of moto that changes what moto would answer, in the ways a broken or hostile endpoint does
and moto cannot be made to.

    with Moto() as m, Hostile(m.endpoint) as h:
        h.skew_s = 7200                     # its clock is 2 h ahead; stale signatures refused
        h.tamper["ListQueues"] = fn         # fn(doc) -> doc: change a JSON answer
        h.rename = {"cafe-orders": "café-orders"}   # names moto refuses, both ways
        h.hang = True                       # accept every request, never answer
        h.local["ListQueues"] = fn          # fn(request_doc) -> answer doc, moto not asked
        h.local_rest["REST:GET"] = fn       # fn(path) -> XML text, or None: ask moto
        ... point opsdeck (and boto3, to check the answers parse) at h.endpoint ...
        h.by_action                         # requests seen, by action
        h.bodies                            # their bodies, by action, in order

skew_s: requests are checked against the proxy's clock (now + skew_s) as AWS does: an
X-Amz-Date more than 5 minutes away is refused (SQS JSON: 400 RequestTimeTooSkewed; query
services: 403 SignatureDoesNotMatch "Signature expired"; S3: 403 RequestTimeTooSkewed), and
every answer carries a Date header from that clock, which is how clients correct themselves.
tamper: per action (X-Amz-Target's last part, or the query Action), a function of the
decoded JSON (SQS) or of the XML text (query services) that returns the new answer.
rename: text replaced in answers (key -> value) and back in requests (value -> key), so a
queue can be shown under a name moto would not create.
hang: the request is read and never answered (until stop), like a frozen server.
local: per JSON action, the proxy answers by itself (fn of the request's JSON).
local_rest: per REST action ("REST:GET"), the proxy answers 200 with the XML text fn(path)
returns (S3 paging with tokens moto would refuse), or forwards when fn returns None.
Only 127.0.0.1; stopped by the with block (shutdown of its own thread, no process).
"""
import collections
import email.utils
import http.client
import http.server
import json
import socketserver
import threading
import time
import urllib.parse

SKEW_LIMIT_S = 300
_HOP = {"connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding",
        "upgrade", "content-length"}


def amz_date_epoch(value):
    """Seconds since the epoch of an X-Amz-Date (20261203T101500Z), or None."""
    try:
        return time.mktime(time.strptime(value, "%Y%m%dT%H%M%SZ")) - time.timezone
    except (TypeError, ValueError):
        return None


def action_of(headers, path, body):
    action = headers.get("X-Amz-Target", "").rsplit(".", 1)[-1]
    if action:
        return action, "json"
    q = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
    if "Action" not in q and body and "form-urlencoded" in headers.get("Content-Type", ""):
        q = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
    if "Action" in q:
        return q["Action"][0], "query"
    return "REST:" + headers.get("X-Method", ""), "rest"


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *_):
        pass

    def _answer(self, status, headers, body):
        h = self.server.owner
        self.send_response_only(status)
        headers = dict(headers)
        headers["Date"] = email.utils.formatdate(time.time() + h.skew_s, usegmt=True)
        for k, v in headers.items():
            if k.lower() not in _HOP and k.lower() != "date":
                self.send_header(k, v)
        self.send_header("Date", headers["Date"])
        if self.command != "HEAD":
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _skewed(self, proto):
        h = self.server.owner
        sent = amz_date_epoch(self.headers.get("X-Amz-Date"))
        now = time.time() + h.skew_s
        if sent is not None and abs(sent - now) <= SKEW_LIMIT_S:
            return False
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now))
        said = self.headers.get("X-Amz-Date", "")
        with h.lock:
            h.rejected += 1
        if proto == "json":
            body = json.dumps({"__type": "com.amazon.coral.service#RequestTimeTooSkewed",
                               "message": f"Signature expired: {said} is now earlier than "
                                          f"{stamp} ({stamp} - 5 min.)"}).encode()
            self._answer(400, {"Content-Type": "application/x-amz-json-1.0",
                               "x-amzn-query-error": "RequestTimeTooSkewed;Sender",
                               "x-amzn-RequestId": "skew"}, body)
        elif proto == "query":
            body = ("<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch"
                    f"</Code><Message>Signature expired: {said} is now earlier than {stamp} "
                    f"({stamp} - 5 min.)</Message></Error><RequestId>skew</RequestId>"
                    "</ErrorResponse>").encode()
            self._answer(403, {"Content-Type": "text/xml"}, body)
        else:
            body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>RequestTimeTooSkewed"
                    "</Code><Message>The difference between the request time and the current "
                    f"time is too large.</Message><RequestTime>{said}</RequestTime><ServerTime>"
                    f"{stamp}</ServerTime><MaxAllowedSkewMilliseconds>900000"
                    "</MaxAllowedSkewMilliseconds><RequestId>skew</RequestId></Error>").encode()
            self._answer(403, {"Content-Type": "application/xml"}, body)
        return True

    def _forward(self):
        h = self.server.owner
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        self.headers["X-Method"] = self.command
        action, proto = action_of(self.headers, self.path, body)
        with h.lock:
            h.by_action[action] += 1
            h.bodies[action].append(body)
        if h.hang:
            h.release.wait(600)
            self.close_connection = True
            return
        if h.skew_s and self._skewed(proto):
            return
        if action in h.local_rest:
            text = h.local_rest[action](self.path)
            if text is not None:
                self._answer(200, {"Content-Type": "application/xml",
                                   "x-amz-request-id": "local"}, text.encode())
                return
        if action in h.local:
            doc = h.local[action](json.loads(body or b"{}"))
            self._answer(200, {"Content-Type": "application/x-amz-json-1.0",
                               "x-amzn-RequestId": "local"}, json.dumps(doc).encode())
            return
        path = self.path
        for real, shown in h.rename.items():
            body = body.replace(shown.encode(), real.encode())
            path = path.replace(urllib.parse.quote(shown), urllib.parse.quote(real))
        conn = http.client.HTTPConnection(h.up_host, h.up_port, timeout=120)
        try:
            conn.putrequest(self.command, path, skip_host=True, skip_accept_encoding=True)
            for k, v in self.headers.items():
                if k.lower() not in _HOP and k != "X-Method":
                    conn.putheader(k, v)
            conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
            resp = conn.getresponse()
            data = resp.read()
            status, headers = resp.status, dict(resp.getheaders())
        except (OSError, http.client.HTTPException):
            self._answer(502, {}, b"upstream failed")
            return
        finally:
            conn.close()
        fn = h.tamper.get(action)
        if fn and 200 <= status < 300:
            if proto == "json":
                data = json.dumps(fn(json.loads(data or b"{}")), ensure_ascii=False).encode()
            else:
                data = fn(data.decode("utf-8")).encode()
        for real, shown in h.rename.items():
            data = data.replace(real.encode(), shown.encode())
        self._answer(status, headers, data)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def handle_error(self, request, client_address):
        pass    # a client that hangs up mid-answer (it quit, or refused a huge body)


class Hostile:
    def __init__(self, upstream):
        u = urllib.parse.urlsplit(upstream)
        self.up_host, self.up_port = u.hostname, u.port or 80
        self.skew_s = 0
        self.tamper = {}
        self.rename = {}
        self.hang = False
        self.local = {}
        self.local_rest = {}
        self.rejected = 0
        self.release = threading.Event()
        self.lock = threading.Lock()
        self.by_action = collections.Counter()
        self.bodies = collections.defaultdict(list)
        self.srv = _Server(("127.0.0.1", 0), _Handler)
        self.srv.owner = self
        self.endpoint = f"http://127.0.0.1:{self.srv.server_address[1]}"
        self.thread = threading.Thread(target=self.srv.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.release.set()
        self.srv.shutdown()
        self.srv.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False
