#!/usr/bin/env python3
"""test_http.py - the client stack end to end (config -> credentials -> client -> signer ->
HTTP engine) through tests/tools/aws_call:

- against a scripted HTTP server on 127.0.0.1 (retries, throttling, client errors, clock
  skew, a server that never answers, connection refused, keep-alive), whose received
  requests are checked to be correctly signed by recomputing SigV4 with botocore;
- through a forward proxy taken from http_proxy, and not through it with no_proxy;
- against moto: SQS over JSON, S3, errors; and a moto that checks signatures and IAM
  (INITIAL_NO_AUTH_ACTION_COUNT): our signature is accepted, a wrong secret is rejected.
"""
import email.utils
import http.client
import http.server
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from awsenv import FAKE_KEY_ID, FAKE_SECRET, Moto, aws_env, free_port
from tap import Tap

t = Tap()
TOOL = os.path.join(os.environ.get("TOP_BUILDDIR", "."), "tests", "tools", "aws_call")
JSON10 = ["--content-type", "application/x-amz-json-1.0"]
PROXY_VARS = ("http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY",
              "no_proxy", "NO_PROXY")


# ---- a scripted server ---------------------------------------------------------------

class Scripted(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.script = []          # per request: (status, headers, body) or "hang"
        self.requests = []        # (method, path, headers dict, body)
        self.connections = 0
        self.active = 0           # requests being answered right now
        self.max_active = 0
        self.release = threading.Event()
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.server_address[1]}"

    def reset(self, script):
        with self.lock:
            self.script = list(script)
            self.requests = []
            self.connections = 0
            self.max_active = 0

    def handle_error(self, request, client_address):
        pass    # a client that gives up mid-answer (the body-size cap) is expected

    def close(self):
        self.release.set()
        self.shutdown()
        self.server_close()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"   # keep-alive

    def setup(self):
        super().setup()
        with self.server.lock:
            self.server.connections += 1

    def log_message(self, *args):
        pass

    def handle_any(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        with self.server.lock:
            self.server.requests.append((self.command, self.path, dict(self.headers.items()),
                                         body))
            step = self.server.script.pop(0) if self.server.script else (500, {}, b"no script")
        if step == "hang":
            self.server.release.wait(60)
            self.close_connection = True
            return
        with self.server.lock:
            self.server.active += 1
            self.server.max_active = max(self.server.max_active, self.server.active)
        try:
            self.answer(*step)
        finally:
            with self.server.lock:
                self.server.active -= 1

    def answer(self, status, headers, payload, delay=0.0):
        # the delay makes transfers overlap when the client lets them; nothing is timed
        if delay:
            time.sleep(delay)
        self.send_response_only(status)
        headers = dict(headers)
        headers.setdefault("Date", email.utils.formatdate(usegmt=True))
        headers.setdefault("x-amzn-RequestId", f"req-{len(self.server.requests)}")
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = handle_any


def ok_json(body=b"{}"):
    return (200, {"Content-Type": "application/x-amz-json-1.0"}, body)


def xml_error(status, code, msg="m"):
    body = (f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code>"
            f"<Message>{msg}</Message></Error><RequestId>rid</RequestId></ErrorResponse>")
    return (status, {"Content-Type": "text/xml"}, body.encode())


# ---- running the tool ----------------------------------------------------------------

def run(args, env, timeout=120):
    p = subprocess.run([TOOL] + args, env=env, capture_output=True, text=True, timeout=timeout)
    out = {"rc": p.returncode, "stdout": p.stdout, "stderr": p.stderr, "calls": []}
    cur = None
    lines = p.stdout.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("status: "):
            cur = {"status": int(line[8:])}
            out["calls"].append(cur)
        elif line == "body:" and cur is not None:
            j = i + 1
            while j < len(lines) and not lines[j].startswith("status: "):
                j += 1
            cur["body"] = "\n".join(lines[i + 1:j])
            i = j - 1
        elif ": " in line and cur is not None:
            k, v = line.split(": ", 1)
            cur[k] = v
        i += 1
    return out


def first(out):
    return out["calls"][0] if out["calls"] else {}


def sqs_list(extra=()):
    return ["sqs", "ListQueues", "POST", "/", "--target", "AmazonSQS.ListQueues", *JSON10,
            "--body", "{}", *extra]


# ---- SigV4 checked with botocore -------------------------------------------------------

def verify_sigv4(method, path, headers, body, secret=FAKE_SECRET):
    """Recomputes the signature of a received request with botocore over the headers the
    Authorization header says were signed. Returns (ok, detail)."""
    h = {k.lower(): v for k, v in headers.items()}
    auth = h.get("authorization", "")
    if not auth.startswith("AWS4-HMAC-SHA256 "):
        return False, f"no SigV4 Authorization header: {sorted(h)}"
    parts = dict(p.strip().split("=", 1) for p in auth[len("AWS4-HMAC-SHA256 "):].split(","))
    key, date, region, service, _ = parts["Credential"].split("/")
    signed = parts["SignedHeaders"].split(";")
    url = "http://" + h["host"] + path
    req = AWSRequest(method=method, url=url, data=body,
                     headers={name: h[name] for name in signed})
    # S3 signs the path as sent (no normalisation, no second encoding)
    cls = S3SigV4Auth if service == "s3" else SigV4Auth
    signer = cls(Credentials(key, secret), service, region)
    req.context["timestamp"] = h["x-amz-date"]
    cr = signer.canonical_request(req)
    want = signer.signature(signer.string_to_sign(req, cr), req)
    return want == parts["Signature"], f"botocore: {want}\nours:     {parts['Signature']}\n{cr}"


def amz_date_epoch(headers):
    v = {k.lower(): v for k, v in headers.items()}["x-amz-date"]
    return time.mktime(time.strptime(v, "%Y%m%dT%H%M%SZ")) - time.mktime(time.gmtime(0))


# ---- scripted cases ---------------------------------------------------------------------

def case_retry_then_success(srv, env):
    srv.reset([(503, {}, b""), (503, {}, b""), ok_json(b'{"QueueUrls":[]}')])
    out = run(sqs_list(), env)
    c = first(out)
    t.eq(out["rc"], 0, "503, 503, 200: the call succeeds")
    t.eq(c.get("attempts"), "3", "503, 503, 200: three attempts")
    t.eq(c.get("retries"), "2", "503, 503, 200: two retries")
    t.eq(c.get("body"), '{"QueueUrls":[]}', "503, 503, 200: the body of the last answer")
    t.eq(len(srv.requests), 3, "503, 503, 200: the server saw three requests")
    for i, (m, p, h, b) in enumerate(srv.requests):
        good, detail = verify_sigv4(m, p, h, b)
        t.ok(good, f"attempt {i + 1} is signed correctly (botocore agrees)", detail)
    t.eq(srv.requests[0][2].get("X-Amz-Target"), "AmazonSQS.ListQueues",
         "the X-Amz-Target header is sent")
    t.ok("Expect" not in srv.requests[0][2], "no Expect: 100-continue")


def case_throttling(srv, env):
    srv.reset([xml_error(400, "Throttling", "Rate exceeded")] * 3)
    out = run(sqs_list(), env)
    c = first(out)
    t.eq(out["rc"], 1, "Throttling x3: the call fails")
    t.eq(c.get("attempts"), "3", "Throttling x3: three attempts, then give up")
    t.eq(c.get("code"), "Throttling", "Throttling x3: the error code is Throttling")
    t.ok(c.get("error", "").startswith("throttled: sqs:ListQueues at " + srv.endpoint),
         "Throttling x3: the line says throttled and names the action and endpoint", out)
    t.eq(len(srv.requests), 3, "Throttling x3: the server saw three requests")


def case_client_error(srv, env):
    body = json.dumps({"__type": "com.amazon.coral.validate#ValidationException",
                       "message": "1 validation error detected"}).encode()
    srv.reset([(400, {"Content-Type": "application/x-amz-json-1.0"}, body)])
    out = run(sqs_list(), env)
    c = first(out)
    t.eq(out["rc"], 1, "400 ValidationException: the call fails")
    t.eq(c.get("attempts"), "1", "400 ValidationException: not retried")
    t.eq(c.get("code"), "ValidationException", "400 ValidationException: the code")
    t.eq(c.get("request-id"), "req-1", "the request id comes from x-amzn-RequestId")
    t.ok("1 validation error detected" in c.get("error", ""), "the AWS message is shown", out)


def case_clock_skew(srv, env):
    ahead = time.time() + 3600
    srv.reset([(403, {"Date": email.utils.formatdate(ahead, usegmt=True)},
                xml_error(403, "RequestTimeTooSkewed")[2]),
               ok_json(), ok_json()])
    out = run(sqs_list(["--repeat", "2"]), env)
    t.eq(out["rc"], 0, "RequestTimeTooSkewed with a Date 1 h ahead: corrected and succeeds")
    t.eq(first(out).get("attempts"), "2", "clock skew: retried once")
    t.eq(len(srv.requests), 3, "clock skew: three requests in all")
    if len(srv.requests) == 3:
        d0, d1, d2 = (amz_date_epoch(r[2]) for r in srv.requests)
        # the margins are about the size of the offset (1 h), not about speed
        t.ok(abs(d0 - (ahead - 3600)) < 600, "the first request was signed with local time",
             f"{d0} vs {ahead - 3600}")
        t.ok(abs(d1 - ahead) < 600, "the retry was signed with the server's time",
             f"{d1} vs {ahead}")
        t.ok(abs(d2 - ahead) < 600, "a later request keeps the corrected time", f"{d2}")
        good, detail = verify_sigv4(*srv.requests[1])
        t.ok(good, "the re-signed request is signed correctly", detail)


def case_timeout(srv, env):
    srv.reset(["hang"] * 3)
    e = dict(env, OPSDECK_HTTP_TIMEOUT_MS="300")
    out = run(sqs_list(), e, timeout=60)
    c = first(out)
    t.eq(out["rc"], 1, "a server that never answers: the call fails (no hang)")
    t.eq(c.get("kind"), "timeout", "a server that never answers: a timeout error")
    t.ok("300 ms request timeout" in c.get("error", ""),
         "the line says which timeout ran out", out)
    t.eq(c.get("attempts"), "3", "timeouts are retried")
    srv.release.set()
    srv.release.clear()


def case_refused(env):
    port = free_port()
    e = dict(env, AWS_ENDPOINT_URL=f"http://127.0.0.1:{port}")
    out = run(sqs_list(), e)
    c = first(out)
    t.eq(out["rc"], 1, "connection refused: the call fails")
    t.eq(c.get("kind"), "network", "connection refused: a network error")
    t.ok(c.get("error", "").startswith(
        f"cannot reach http://127.0.0.1:{port} for sqs:ListQueues (profile default): "),
        "connection refused: the line names the endpoint, the call and the profile", out)
    t.ok("Connection refused" in c.get("error", ""), "connection refused: curl's reason", out)
    t.eq(c.get("status"), 0, "connection refused: no HTTP status")
    t.eq(c.get("attempts"), "3", "connection refused is retried")


def case_keepalive(srv, env):
    srv.reset([ok_json(), ok_json()])
    out = run(sqs_list(["--repeat", "2"]), env)
    t.eq(out["rc"], 0, "two calls in one run succeed")
    t.eq(len(srv.requests), 2, "two calls: two requests")
    t.eq(srv.connections, 1, "two calls in one run share one connection")


def case_path_prefix(srv, env):
    srv.reset([(200, {}, b"<ok/>")])
    e = dict(env, AWS_ENDPOINT_URL=srv.endpoint + "/prefix/")
    out = run(["s3", "GetObject", "GET", "/bucket/a%20key.txt", "--query", "versionId=1"], e)
    t.eq(out["rc"], 0, "S3 GET through an endpoint with a path")
    if srv.requests:
        m, p, h, b = srv.requests[0]
        t.eq(p, "/prefix/bucket/a%20key.txt?versionId=1", "the endpoint path is joined")
        t.eq(h.get("Host"), srv.endpoint[len("http://"):], "Host carries the port")
        t.eq(h.get("x-amz-content-sha256"),
             "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
             "S3 requests carry x-amz-content-sha256")
        good, detail = verify_sigv4(m, p, h, b)
        t.ok(good, "the S3 request is signed correctly", detail)


def case_expired_token(srv, env):
    srv.reset([xml_error(400, "ExpiredToken", "The security token included in the request "
                                              "is expired"), ok_json()])
    out = run(sqs_list(), env)
    t.eq(out["rc"], 0, "ExpiredToken: credentials refreshed and the call succeeds")
    t.eq(first(out).get("attempts"), "2", "ExpiredToken: one more attempt")
    srv.reset([xml_error(400, "ExpiredToken")] * 3)
    out = run(sqs_list(), env)
    t.eq((out["rc"], first(out).get("attempts")), (1, "2"),
         "ExpiredToken twice: the refresh is tried once only")
    t.ok(first(out).get("error", "").startswith("credentials expired: "),
         "ExpiredToken: the line says the credentials expired", out)


def case_free_while_pending(env):
    # A server of its own: the connections of a client freed with requests in flight can be
    # accepted and read after the client has gone (on a busy machine, long after), and on a
    # shared server they would take the next case's scripted answers.
    srv = Scripted()
    try:
        srv.reset(["hang"] * 3)
        out = run(sqs_list(["--parallel", "3", "--free-while-pending", "1"]),
                  dict(env, AWS_ENDPOINT_URL=srv.endpoint, OPSDECK_MAX_IN_FLIGHT="2"))
        t.ok(out["rc"] == 0 and "cancelled: callbacks run: 0" in out["stdout"],
             "aws_client_free with requests in flight and queued: no callback, no leak", out)
    finally:
        srv.close()


def slow_ok():
    return (200, {"Content-Type": "application/x-amz-json-1.0"}, b"{}", 0.2)


def case_in_flight_cap(srv, env):
    srv.reset([slow_ok()] * 6)
    out = run(sqs_list(["--parallel", "6"]), dict(env, OPSDECK_MAX_IN_FLIGHT="1"))
    t.eq((out["rc"], len(out["calls"])), (0, 6), "6 queued calls with max_in_flight=1 succeed")
    t.eq(srv.max_active, 1, "max_in_flight=1: never two requests at the server at once")
    seqs = [r[2].get("X-Opsdeck-Seq") for r in srv.requests]
    t.eq(seqs, [str(i) for i in range(6)], "queued calls go out in FIFO order")
    srv.reset([slow_ok()] * 6)
    out = run(sqs_list(["--parallel", "6"]), dict(env, OPSDECK_MAX_IN_FLIGHT="2"))
    t.eq((out["rc"], len(srv.requests)), (0, 6), "6 calls with max_in_flight=2 succeed")
    t.ok(srv.max_active <= 2, "max_in_flight=2: at most two requests at once", srv.max_active)
    t.ok(srv.connections <= 2, "max_in_flight=2: at most two connections", srv.connections)


def case_body_cap(srv, env):
    srv.reset([(200, {}, b"a" * (17 * 1024 * 1024))])
    out = run(sqs_list(), env)
    c = first(out)
    t.eq(out["rc"], 1, "a 17 MiB answer is refused")
    t.eq(c.get("kind"), "parse", "a 17 MiB answer: a parse error")
    t.ok("larger than 16 MiB" in c.get("error", ""), "the line says the answer is too large", c)
    t.eq(c.get("attempts"), "1", "a too large answer is not retried")


def case_stream(srv, env):
    """A streamed answer (a download) goes to its sink: no 16 MiB cap; error answers are
    read and parsed as any other, never streamed; a retried call streams once."""
    d = tempfile.mkdtemp(prefix="opsdeck-stream-")
    path = os.path.join(d, "body")
    try:
        big = bytes(range(256)) * (17 * 4096)   # 17 MiB
        srv.reset([(200, {}, big)])
        out = run(sqs_list(["--stream-to", path]), env)
        c = first(out)
        with open(path, "rb") as f:
            got = f.read()
        t.ok(out["rc"] == 0 and c.get("streamed") == str(len(big)) and got == big,
             "a streamed 17 MiB answer passes the cap and reaches the sink whole", c)
        srv.reset([xml_error(403, "AccessDenied")])
        out = run(sqs_list(["--stream-to", path]), env)
        c = first(out)
        t.ok(out["rc"] == 1 and c.get("code") == "AccessDenied" and os.path.getsize(path) == 0,
             "a streamed call's error answer is parsed (AccessDenied), none of it streamed", c)
        srv.reset([xml_error(503, "ServiceUnavailable"), (200, {}, b"x" * 1000)])
        out = run(sqs_list(["--stream-to", path]), env)
        c = first(out)
        t.ok(out["rc"] == 0 and c.get("begins") == "1" and c.get("streamed") == "1000" and
             os.path.getsize(path) == 1000,
             "503 then 200: retried, and only the 2xx body streamed", c)
    finally:
        shutil.rmtree(d, ignore_errors=True)


# ---- TLS: verification is always on; AWS_CA_BUNDLE names the trust store ---------------

def make_cert(d):
    """A self-signed certificate for 127.0.0.1 (IP SAN), made with the openssl CLI."""
    key, crt = os.path.join(d, "key.pem"), os.path.join(d, "cert.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                    "-out", crt, "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=60)
    return key, crt


def case_tls(env):
    d = tempfile.mkdtemp(prefix="opsdeck-tls-")
    srv = None
    try:
        key, crt = make_cert(d)
        srv = Scripted()
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(crt, key)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
        e = dict(env, AWS_ENDPOINT_URL=f"https://127.0.0.1:{srv.server_address[1]}")
        e.pop("AWS_CA_BUNDLE", None)
        srv.reset([ok_json()])
        out = run(sqs_list(), e)
        c = first(out)
        t.eq((out["rc"], c.get("kind"), c.get("code")), (1, "network", "TLSVerifyFailed"),
             "HTTPS with an untrusted certificate is refused")
        t.eq(c.get("attempts"), "1", "a certificate failure is not retried")
        t.eq(len(srv.requests), 0, "nothing was sent over the untrusted connection")
        e["AWS_CA_BUNDLE"] = crt
        srv.reset([ok_json(b'{"QueueUrls":["tls"]}')])
        out = run(sqs_list(), e)
        t.ok(out["rc"] == 0 and first(out).get("body") == '{"QueueUrls":["tls"]}',
             "with AWS_CA_BUNDLE naming the certificate, HTTPS succeeds", out)
        if srv.requests:
            good, detail = verify_sigv4(*srv.requests[0])
            t.ok(good, "the HTTPS request is signed correctly", detail)
    finally:
        if srv:
            srv.close()
        shutil.rmtree(d, ignore_errors=True)


# ---- a forward proxy ---------------------------------------------------------------------

class Proxy(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), ProxyHandler)
        self.count = 0
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def close(self):
        self.shutdown()
        self.server_close()


class ProxyHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_any(self):
        self.server.count += 1
        u = urllib.parse.urlsplit(self.path)     # absolute URI from a proxy client
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        headers = {k: v for k, v in self.headers.items() if k.lower() != "proxy-connection"}
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
        conn.request(self.command, u.path + ("?" + u.query if u.query else ""), body=body,
                     headers=headers)
        r = conn.getresponse()
        data = r.read()
        conn.close()
        self.send_response_only(r.status)
        for k, v in r.getheaders():
            if k.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_HEAD = handle_any


def case_proxy(srv, env):
    proxy = Proxy()
    try:
        e = {k: v for k, v in env.items() if k not in PROXY_VARS}
        e["http_proxy"] = f"http://127.0.0.1:{proxy.server_address[1]}"
        srv.reset([ok_json()])
        out = run(sqs_list(), e)
        t.eq(out["rc"], 0, "through http_proxy: the call succeeds")
        t.eq(proxy.count, 1, "with http_proxy set, the request goes through the proxy")
        t.eq(len(srv.requests), 1, "the proxy forwarded it to the endpoint")
        if srv.requests:
            good, detail = verify_sigv4(*srv.requests[0])
            t.ok(good, "the signature survives the proxy", detail)
        e["no_proxy"] = "127.0.0.1"
        srv.reset([ok_json()])
        out = run(sqs_list(), e)
        t.eq(out["rc"], 0, "with no_proxy=127.0.0.1: the call succeeds")
        t.eq(proxy.count, 1, "with no_proxy=127.0.0.1 the proxy is bypassed")
    finally:
        proxy.close()


# ---- moto ---------------------------------------------------------------------------------

def case_moto(env):
    out = run(["sqs", "CreateQueue", "POST", "/", "--target", "AmazonSQS.CreateQueue", *JSON10,
               "--body", '{"QueueName":"opsdeck-http-test"}'], env)
    t.ok(out["rc"] == 0, "moto: SQS CreateQueue over JSON succeeds", out)
    out = run(sqs_list(), env)
    c = first(out)
    t.ok(out["rc"] == 0, "moto: SQS ListQueues over JSON succeeds", out)
    try:
        urls = json.loads(c.get("body", "{}")).get("QueueUrls", [])
    except ValueError:
        urls = []
    t.ok(any(u.endswith("/opsdeck-http-test") for u in urls), "moto: ListQueues lists the queue",
         c)
    out = run(["sqs", "GetQueueUrl", "POST", "/", "--target", "AmazonSQS.GetQueueUrl", *JSON10,
               "--body", '{"QueueName":"missing"}'], env)
    c = first(out)
    t.eq(c.get("code"), "AWS.SimpleQueueService.NonExistentQueue",
         "moto: a missing queue gives the query-protocol code")
    t.eq(c.get("attempts"), "1", "moto: a missing queue is not retried")
    t.ok(c.get("error", "").startswith("not found: sqs:GetQueueUrl at http://127.0.0.1:"),
         "moto: the line says not found", c)
    out = run(["s3", "CreateBucket", "PUT", "/opsdeck-http-bucket"], env)
    t.ok(out["rc"] == 0, "moto: S3 CreateBucket (PUT, empty body) succeeds", out)
    out = run(["s3", "ListBuckets", "GET", "/"], env)
    t.ok(out["rc"] == 0 and "opsdeck-http-bucket" in first(out).get("body", ""),
         "moto: S3 ListBuckets lists it", out)
    out = run(["s3", "HeadObject", "HEAD", "/opsdeck-http-bucket/missing"], env)
    c = first(out)
    t.eq((c.get("status"), c.get("code")), (404, "NotFound"), "moto: S3 HEAD on a missing key")


def case_moto_auth():
    """moto checks signatures and IAM policies with INITIAL_NO_AUTH_ACTION_COUNT set."""
    os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = "3"
    try:
        m = Moto().start()
    finally:
        del os.environ["INITIAL_NO_AUTH_ACTION_COUNT"]
    try:
        import boto3
        iam = boto3.client("iam", endpoint_url=m.endpoint, region_name="us-east-1",
                           aws_access_key_id=FAKE_KEY_ID, aws_secret_access_key=FAKE_SECRET)
        iam.create_user(UserName="opsdeck")
        key = iam.create_access_key(UserName="opsdeck")["AccessKey"]
        iam.put_user_policy(UserName="opsdeck", PolicyName="sqs", PolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "sqs:ListQueues", "Resource": "*"}]}))
        env = aws_env(m.endpoint)
        env["AWS_ACCESS_KEY_ID"] = key["AccessKeyId"]
        env["AWS_SECRET_ACCESS_KEY"] = key["SecretAccessKey"]
        out = run(sqs_list(), env)
        t.ok(out["rc"] == 0, "moto checking signatures accepts ours", out)
        out = run(["sqs", "GetQueueUrl", "POST", "/", "--target", "AmazonSQS.GetQueueUrl",
                   *JSON10, "--body", '{"QueueName":"q"}'], env)
        c = first(out)
        t.eq(c.get("code"), "AccessDenied", "an action the policy does not allow: AccessDenied")
        t.ok(c.get("error", "").startswith(
            f"access denied: sqs:GetQueueUrl at {m.endpoint} (profile default): AccessDenied: ")
            and c.get("error", "").endswith("— grant sqs:GetQueueUrl to this identity"),
            "the access-denied line names the permission to grant", c)
        env["AWS_SECRET_ACCESS_KEY"] = "wrong" + key["SecretAccessKey"]
        out = run(sqs_list(), env)
        c = first(out)
        t.eq(c.get("code"), "SignatureDoesNotMatch", "a wrong secret is rejected by moto")
        t.eq(c.get("attempts"), "1", "a rejected signature without skew is not retried")
        t.ok(c.get("error", "").startswith("credentials rejected: "),
             "the line says the credentials were rejected", c)
        t.ok(key["SecretAccessKey"] not in out["stdout"] + out["stderr"],
             "the secret is not printed")
    finally:
        m.stop()


def main():
    if not os.path.exists(TOOL):
        t.bail(f"{TOOL} not built")
    srv = Scripted()
    try:
        env = aws_env(srv.endpoint)
        t.run("retry then success", case_retry_then_success, srv, env)
        t.run("throttling", case_throttling, srv, env)
        t.run("client error", case_client_error, srv, env)
        t.run("clock skew", case_clock_skew, srv, env)
        t.run("timeout", case_timeout, srv, env)
        t.run("connection refused", case_refused, env)
        t.run("keep-alive", case_keepalive, srv, env)
        t.run("endpoint path", case_path_prefix, srv, env)
        t.run("expired token", case_expired_token, srv, env)
        t.run("in-flight cap", case_in_flight_cap, srv, env)
        t.run("body cap", case_body_cap, srv, env)
        t.run("streamed answers", case_stream, srv, env)
        t.run("free while pending", case_free_while_pending, env)
        t.run("proxy", case_proxy, srv, env)
        t.run("tls", case_tls, env)
    finally:
        srv.close()
    with Moto() as m:
        t.run("moto", case_moto, aws_env(m.endpoint))
    t.run("moto with auth", case_moto_auth)
    t.done()


main()
