"""movetask_server.py - a small SQS endpoint of our own for the three message-move-task
actions, which moto answers with HTTP 500: StartMessageMoveTask, ListMessageMoveTasks and
CancelMessageMoveTask over AWS JSON 1.0 (X-Amz-Target: AmazonSQS.<Action>).

    with MoveTaskServer(to_move=7, step=3) as srv:   # 127.0.0.1 on a free port, in a thread
        srv.endpoint                                  # http://127.0.0.1:PORT
        srv.requests                                  # (target, body) of every request

Progress is by request, never by time, so tests can assert order and state: each
ListMessageMoveTasks moves `step` more messages of a running task until `to_move` are moved
(then COMPLETED). Cancel answers the count moved so far and leaves the task CANCELLED. A
second Start for a source with a running task is refused as SQS refuses it, and so is a
source ARN named "arn:aws:sqs:...:missing". Answers use AWS's member names and types, so
botocore parses them (the test that uses this checks that it does). With upstream (an
emulator's endpoint), every other request is relayed there, so a whole client can use it.
"""
import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tamper_relay import answer, relay

STARTED_MS = 1796291991000


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # quiet: the test's output is TAP
        pass

    def _answer(self, status, doc):
        body = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.0")
        self.send_header("x-amzn-RequestId", "fake-%d" % len(self.server.owner.requests))
        if status >= 400:
            self.send_header("x-amzn-query-error", doc["__type"].split("#")[-1] + ";Sender")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _forward(self, raw):
        """Any other request goes to the upstream emulator as it came (moto does not check
        the signature's host), and its answer comes back as it was."""
        answer(self, *relay(self.server.owner.upstream, self, raw))

    def do_POST(self):
        owner = self.server.owner
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        target = self.headers.get("X-Amz-Target", "")
        if owner.upstream and not hasattr(owner, "_" + target.split(".")[-1]):
            return self._forward(raw)
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            return self._answer(400, {"__type": "com.amazon.coral.service#SerializationException",
                                      "message": "not JSON"})
        with owner.lock:
            owner.requests.append((target, body))
            if not self.headers.get("Authorization", "").startswith("AWS4-HMAC-SHA256 "):
                return self._answer(403, {"__type": "com.amazon.coral.service#"
                                                    "MissingAuthenticationTokenException",
                                          "message": "not signed"})
            action = target.split(".")[-1]
            fn = getattr(owner, "_" + action, None)
            if not target.startswith("AmazonSQS.") or not fn:
                return self._answer(400, {"__type": "com.amazon.coral.service#"
                                                    "UnknownOperationException",
                                          "message": target})
            status, doc = fn(body)
        return self._answer(status, doc)


class MoveTaskServer:
    def __init__(self, to_move=7, step=3, upstream=None):
        self.upstream = upstream   # e.g. moto's endpoint: the other actions are relayed there
        self.to_move = to_move
        self.step = step
        self.tasks = []          # newest first, as SQS lists them
        self.requests = []
        self.lock = threading.Lock()
        self.httpd = None
        self.thread = None
        self.endpoint = None

    # ---- actions ----

    def _StartMessageMoveTask(self, body):
        src = body.get("SourceArn", "")
        if src.endswith(":missing"):
            return 400, {"__type": "com.amazonaws.sqs#ResourceNotFoundException",
                         "message": "The resource that you specified for the SourceArn "
                                    "parameter doesn't exist."}
        if any(t["SourceArn"] == src and t["Status"] == "RUNNING" for t in self.tasks):
            return 400, {"__type": "com.amazonaws.sqs#UnsupportedOperation",
                         "message": "There is already a task running."}
        handle = base64.b64encode(json.dumps({"taskId": "t%d" % len(self.tasks),
                                              "sourceArn": src}).encode()).decode()
        task = {"TaskHandle": handle, "Status": "RUNNING", "SourceArn": src,
                "ApproximateNumberOfMessagesMoved": 0,
                "ApproximateNumberOfMessagesToMove": self.to_move,
                "StartedTimestamp": STARTED_MS + len(self.tasks)}
        if body.get("DestinationArn"):
            task["DestinationArn"] = body["DestinationArn"]
        if body.get("MaxNumberOfMessagesPerSecond"):
            task["MaxNumberOfMessagesPerSecond"] = body["MaxNumberOfMessagesPerSecond"]
        self.tasks.insert(0, task)
        return 200, {"TaskHandle": handle}

    def _ListMessageMoveTasks(self, body):
        src = body.get("SourceArn", "")
        out = []
        for t in self.tasks:
            if t["SourceArn"] != src:
                continue
            if t["Status"] == "RUNNING":
                t["ApproximateNumberOfMessagesMoved"] = min(
                    t["ApproximateNumberOfMessagesMoved"] + self.step, self.to_move)
                if t["ApproximateNumberOfMessagesMoved"] == self.to_move:
                    t["Status"] = "COMPLETED"
            shown = dict(t)
            if shown["Status"] != "RUNNING":
                shown.pop("TaskHandle")   # AWS gives the handle of running tasks only
            out.append(shown)
        return 200, {"Results": out[:int(body.get("MaxResults") or 1)]}

    def _CancelMessageMoveTask(self, body):
        for t in self.tasks:
            if t.get("TaskHandle") == body.get("TaskHandle") and t["Status"] == "RUNNING":
                t["Status"] = "CANCELLED"
                return 200, {"ApproximateNumberOfMessagesMoved":
                             t["ApproximateNumberOfMessagesMoved"]}
        return 400, {"__type": "com.amazonaws.sqs#ResourceNotFoundException",
                     "message": "No running task has this handle."}

    # ---- life ----

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
