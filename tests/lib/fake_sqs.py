"""fake_sqs.py - a small SQS (AWS JSON 1.0) of the tests' own, for what moto cannot do.

moto 5.2.1 never pages ListQueues or ListDeadLetterSourceQueues (it ignores MaxResults and
never returns a NextToken). This server holds a fixed estate and pages both as AWS does:
with MaxResults, at most min(MaxResults, page) URLs and a NextToken while more remain;
without it, up to 1000 and no NextToken. Its tokens are opaque, bound to the action and the
queue (or prefix) they were issued for, and refused otherwise (InvalidParameterValue), so a
client that loses, forges or mixes up tokens is seen. Every request must be signed with the
test keys (checked by botocore, tests/lib/sigv4_verify.py). boto3 reads its answers as it
reads AWS's (tests/integ/test_dlq_sources_paging.py checks that).

    estate = {"orders-dlq": {}, "orders-src-00": {"dlq": "orders-dlq", "visible": 3}}
    with FakeSqs(estate, page=4) as f:      # 127.0.0.1, a free port, stopped on exit
        f.endpoint, f.url("orders-dlq"), f.arn("orders-dlq")
        f.requests     # [{"action", "QueueUrl", "MaxResults", "NextToken", "issued"}], in order
                       # (issued: the NextToken of the answer, None on the last page)
Implemented: ListQueues, GetQueueAttributes, ListDeadLetterSourceQueues, ListQueueTags.
Any other action is refused (400 UnsupportedOperation)."""
import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler

from awsenv import FAKE_KEY_ID, FAKE_SECRET, REGION
from loopback import LoopbackServer
from sigv4_verify import verify

ACCOUNT = "123456789012"
MAX_RESULTS = 1000


class SqsError(Exception):
    def __init__(self, code, query_code, message):
        super().__init__(message)
        self.code, self.query_code, self.message = code, query_code, message


def _bad_param(message):
    return SqsError("InvalidParameterValue", "InvalidParameterValue", message)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _reply(self, status, doc, extra=()):
        body = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.0")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amzn-RequestId", "fake-sqs")
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):  # noqa: N802 - http.server's name
        fake = self.server.owner
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        who, problem = verify("POST", self.path, list(self.headers.items()), body,
                              {FAKE_KEY_ID: FAKE_SECRET})
        if problem:
            return self._reply(403, {"__type": "com.amazon.coral.service#SignatureDoesNotMatch",
                                     "message": problem})
        target = self.headers.get("X-Amz-Target", "")
        action = target[len("AmazonSQS."):] if target.startswith("AmazonSQS.") else target
        try:
            params = json.loads(body or b"{}")
            if not isinstance(params, dict):
                raise ValueError("not an object")
        except ValueError:
            return self._reply(400, {"__type": "com.amazonaws.sqs#InvalidParameterValue",
                                     "message": "the body is not a JSON object"})
        record = {"action": action, "QueueUrl": params.get("QueueUrl"),
                  "MaxResults": params.get("MaxResults"), "NextToken": params.get("NextToken"),
                  "issued": None}
        with fake.lock:
            fake.requests.append(record)
        try:
            handler = getattr(fake, "do_" + action, None)
            if handler is None:
                raise SqsError("UnsupportedOperation", "AWS.SimpleQueueService.UnsupportedOperation",
                               f"{action or 'this action'} is not implemented by the fake")
            doc = handler(params)
            record["issued"] = doc.get("NextToken")
            return self._reply(200, doc)
        except SqsError as e:
            return self._reply(400, {"__type": f"com.amazonaws.sqs#{e.code}", "message": e.message},
                               [("x-amzn-query-error", f"{e.query_code};Sender")])


class FakeSqs(LoopbackServer):
    handler = _Handler

    def __init__(self, estate, page=4):
        super().__init__()
        self.estate = dict(estate)
        self.page = page
        self.requests = []
        self.lock = threading.Lock()
        self._tokens = {}
        self._serial = itertools.count(1)

    # ---- names --------------------------------------------------------------------------
    def url(self, name):
        return f"{self.endpoint}/{ACCOUNT}/{name}"

    def arn(self, name):
        return f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"

    def sources_of(self, dlq):
        """The truth: the source queues' URLs of a DLQ, in the estate's order."""
        return [self.url(n) for n, q in self.estate.items() if q.get("dlq") == dlq]

    def _name(self, params):
        url = params.get("QueueUrl")
        if not isinstance(url, str) or not url:
            raise SqsError("MissingParameter", "MissingParameter", "QueueUrl is required")
        name = url.rstrip("/").rsplit("/", 1)[-1]
        if url != self.url(name) or name not in self.estate:
            raise SqsError("QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue",
                           "The specified queue does not exist.")
        return name

    # ---- paging as AWS does it ------------------------------------------------------------
    def _page(self, action, scope, items, params):
        """One page of items for (action, scope): (urls, next token or None)."""
        max_results = params.get("MaxResults")
        token = params.get("NextToken")
        if max_results is not None and (not isinstance(max_results, int) or
                                        not 1 <= max_results <= MAX_RESULTS):
            raise _bad_param(f"MaxResults must be 1 to {MAX_RESULTS}")
        start = 0
        if token is not None:
            with self.lock:
                issued = self._tokens.get(token)
            if issued is None or issued[:2] != (action, scope):
                raise _bad_param("Invalid NextToken value.")
            start = issued[2]
        if max_results is None:
            if token is not None:
                raise _bad_param("NextToken needs MaxResults")
            return items[:MAX_RESULTS], None
        end = start + min(max_results, self.page)
        if end >= len(items):
            return items[start:], None
        nxt = f"fake-{next(self._serial)}-{end}"
        with self.lock:
            self._tokens[nxt] = (action, scope, end)
        return items[start:end], nxt

    # ---- actions --------------------------------------------------------------------------
    def do_ListQueues(self, params):  # noqa: N802 - the action's name
        prefix = params.get("QueueNamePrefix") or ""
        urls = [self.url(n) for n in self.estate if n.startswith(prefix)]
        page, nxt = self._page("ListQueues", prefix, urls, params)
        out = {"QueueUrls": page} if page else {}
        if nxt:
            out["NextToken"] = nxt
        return out

    def do_ListDeadLetterSourceQueues(self, params):  # noqa: N802
        name = self._name(params)
        page, nxt = self._page("ListDeadLetterSourceQueues", name, self.sources_of(name), params)
        out = {"queueUrls": page}
        if nxt:
            out["NextToken"] = nxt
        return out

    def do_GetQueueAttributes(self, params):  # noqa: N802
        name = self._name(params)
        q = self.estate[name]
        a = {"QueueArn": self.arn(name),
             "ApproximateNumberOfMessages": str(q.get("visible", 0)),
             "ApproximateNumberOfMessagesNotVisible": str(q.get("in_flight", 0)),
             "ApproximateNumberOfMessagesDelayed": "0",
             "CreatedTimestamp": "1764000000", "LastModifiedTimestamp": "1764000000",
             "VisibilityTimeout": "30", "MaximumMessageSize": "262144",
             "MessageRetentionPeriod": "345600", "DelaySeconds": "0",
             "ReceiveMessageWaitTimeSeconds": "0"}
        if q.get("dlq"):
            a["RedrivePolicy"] = json.dumps({"deadLetterTargetArn": self.arn(q["dlq"]),
                                             "maxReceiveCount": q.get("max_receive", 5)})
        names = params.get("AttributeNames") or ["All"]
        if "All" not in names:
            a = {k: v for k, v in a.items() if k in names}
        return {"Attributes": a} if a else {}

    def do_ListQueueTags(self, params):  # noqa: N802
        self._name(params)
        return {}
