"""fake_lambda.py - a small Lambda endpoint of our own (REST-JSON, API 2015-03-31) holding one
SQS event-source mapping whose disabling takes as many reads as the test says: moto settles
a mapping at once, so "Disabling" and a flip that never settles need this.

    with FakeLambda(settle_after=2) as srv:   # 127.0.0.1 on a free port, in a thread
        srv.endpoint, srv.uuid
        srv.requests                           # (method, path) of every request

ListEventSourceMappings answers the mapping; UpdateEventSourceMapping (PUT) answers 202 with
it Disabling (or Enabling); each GetEventSourceMapping after that counts one read, and the
read numbered `settle_after` is the first to answer the settled state (None: never). Progress is by
request, never by time. Answers use Lambda's member names and types, so botocore parses them
(the test that uses this checks that it does).
"""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PREFIX = "/2015-03-31/event-source-mappings"


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # quiet: the test's output is TAP
        pass

    def _answer(self, status, doc):
        body = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("x-amzn-RequestId", "fake-%d" % len(self.server.owner.requests))
        if status >= 400:
            self.send_header("x-amzn-ErrorType", doc["Type"])
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _handle(self, method):
        owner = self.server.owner
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        path = self.path.split("?", 1)[0].rstrip("/")
        with owner.lock:
            owner.requests.append((method, path))
            if not self.headers.get("Authorization", "").startswith("AWS4-HMAC-SHA256 "):
                return self._answer(403, {"Type": "User", "Message": "not signed"})
            if method == "GET" and path == PREFIX:
                return self._answer(200, {"EventSourceMappings": [owner.mapping()]})
            if path != f"{PREFIX}/{owner.uuid}":
                return self._answer(404, {"Type": "User", "Message": "no such mapping"})
            if method == "PUT":
                enabled = json.loads(raw or b"{}").get("Enabled")
                owner.target = "Enabled" if enabled else "Disabled"
                owner.state = "Enabling" if enabled else "Disabling"
                owner.reads = 0
                return self._answer(202, owner.mapping())
            if method == "GET":
                owner.reads += 1
                if owner.settle_after is not None and owner.reads >= owner.settle_after:
                    owner.state = owner.target
                return self._answer(200, owner.mapping())
        return self._answer(400, {"Type": "User", "Message": "unsupported"})

    def do_GET(self):
        self._handle("GET")

    def do_PUT(self):
        self._handle("PUT")


class FakeLambda:
    def __init__(self, settle_after=None):
        self.settle_after = settle_after
        self.uuid = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"
        self.state = "Enabled"
        self.target = "Enabled"
        self.reads = 0
        self.requests = []
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.owner = self
        self.endpoint = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def mapping(self):
        return {"UUID": self.uuid, "State": self.state, "BatchSize": 10,
                "EventSourceArn": "arn:aws:sqs:us-east-1:123456789012:slow-queue",
                "FunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:slow-worker",
                "LastModified": 1796291991.0, "StateTransitionReason": "USER_INITIATED"}

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
