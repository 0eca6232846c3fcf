"""tamper_relay.py - an HTTP relay on 127.0.0.1 in front of an emulator that changes the
answers to chosen SQS actions (AWS JSON 1.0, X-Amz-Target: AmazonSQS.<Action>), to see what
a client does with answers AWS would not give: a wrong MD5, ids it did not send, an entry
failed, a body that is not JSON, a 500.

    def wrong_md5(status, doc):          # the emulator's answer, already parsed
        for e in doc.get("Successful", []):
            e["MD5OfMessageBody"] = "0" * 32
        return status, doc                # or (status, "raw text") for a body not JSON
    with TamperRelay(moto.endpoint, {"SendMessageBatch": wrong_md5}) as r:
        r.endpoint, r.seen          # seen: [(action, request body as parsed JSON)]

Everything else is relayed as it came (moto does not check the signature's host). A hook
may also answer without relaying: {"DeleteMessageBatch": TamperRelay.refuse(500)}.
"""
import json
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def relay(upstream, handler, raw):
    """Sends the request handler is serving (its method, path, headers and raw body) to
    upstream as it came, and returns (status, [(header, value)], body) of the answer."""
    req = urllib.request.Request(upstream + handler.path, data=raw or None,
                                 method=handler.command)
    for k, v in handler.headers.items():
        if k.lower() not in ("host", "content-length", "connection"):
            req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, list(r.headers.items()), r.read()
    except urllib.error.HTTPError as e:
        return e.code, list(e.headers.items()), e.read()


def answer(handler, status, headers, body):
    """Writes an answer with headers (those about the connection and length left out)."""
    handler.send_response(status)
    for k, v in headers:
        if k.lower() not in ("content-length", "connection", "transfer-encoding", "server",
                             "date"):
            handler.send_header(k, v)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # quiet: the test's output is TAP
        pass

    def do_POST(self):  # noqa: N802 - http.server's name
        owner = self.server.owner
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        action = self.headers.get("X-Amz-Target", "").split(".")[-1]
        try:
            parsed = json.loads(raw) if raw and action else None
        except ValueError:
            parsed = None
        with owner.lock:
            owner.seen.append((action, parsed))
            hook = owner.hooks.get(action)
        if hook and getattr(hook, "answers_alone", False):
            status, doc = hook(None, None)
            body = doc.encode() if isinstance(doc, str) else json.dumps(doc).encode()
            return answer(self, status, [("Content-Type", "application/x-amz-json-1.0")], body)
        status, headers, body = relay(owner.upstream, self, raw)
        if hook and status == 200:
            status, doc = hook(status, json.loads(body))
            body = doc.encode() if isinstance(doc, str) else json.dumps(doc).encode()
        answer(self, status, headers, body)


class TamperRelay:
    def __init__(self, upstream, hooks):
        self.upstream = upstream
        self.hooks = hooks
        self.seen = []
        self.lock = threading.Lock()
        self.httpd = self.thread = self.endpoint = None

    @staticmethod
    def refuse(status, code="InternalError"):
        """A hook that answers by itself, never relaying: the action did not happen."""
        def hook(_status, _doc):
            return status, {"__type": "com.amazonaws.sqs#" + code, "message": "refused by test"}
        hook.answers_alone = True
        return hook

    def actions(self, name):
        return [b for (a, b) in self.seen if a == name]

    def start(self):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.owner = self
        self.endpoint = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        if self.httpd:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.thread.join(10)
            self.httpd = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
