"""sigv4_verify.py - check, as AWS does, that a request was signed with the key we expect.

moto accepts any signature, so "signed with the keyring's keys" cannot be seen through it.
Here botocore (a signer we did not write) signs the received request again - the headers it
names in SignedHeaders, at the time in its X-Amz-Date, with the secret the test expects for
its access key id - and the two signatures must be equal.

    who, problem = verify(method, target, headers, body, {"AKIA...": "secret"})
    # who: the access key id that signed it (when the signature is right), problem: why not

    with VerifyingProxy(moto.endpoint, {"AKIA...": "secret"}) as px:   # 127.0.0.1, free port
        env["AWS_ENDPOINT_URL"] = px.endpoint
        ...                                     # px.seen: [(method, target, who, problem)]

The proxy forwards a request whose signature is right to the upstream server and answers any
other with 403 SignatureDoesNotMatch (an XML error body, as the query services send).
"""
import datetime
import hmac
import http.client
import re
import threading
import types
import urllib.parse
from http.server import BaseHTTPRequestHandler
from unittest import mock

import botocore.auth as bauth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from loopback import LoopbackServer

_AUTH_RE = re.compile(r"^AWS4-HMAC-SHA256 Credential=([^/,]+)/(\d{8})/([^/,]+)/([^/,]+)/aws4_request,"
                      r"\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]{64})$")


def verify(method, target, headers, body, secrets):
    """headers: (name, value) pairs as received, repeated names kept in order. Returns
    (access key id, None) when the signature is the one botocore makes with secrets[key id],
    else (None, a one-line reason)."""
    values = {}
    for name, value in headers:
        values.setdefault(name.lower(), []).append(value)
    auth = values.get("authorization", [""])[0]
    m = _AUTH_RE.match(auth)
    if not m:
        return None, "no SigV4 Authorization header"
    akid, day, region, service, signed, signature = m.groups()
    if akid not in secrets:
        return None, f"signed with an unexpected access key id ({akid})"
    stamp = values.get("x-amz-date", [""])[0]
    try:
        when = datetime.datetime.strptime(stamp, "%Y%m%dT%H%M%SZ")
    except ValueError:
        return None, f"no valid X-Amz-Date ({stamp!r})"
    if when.strftime("%Y%m%d") != day:
        return None, "the credential scope's day is not X-Amz-Date's"

    host = values.get("host", [""])[0]
    req = AWSRequest(method=method, url=f"http://{host}{target}", data=body or b"")
    for name in signed.split(";"):
        if name not in values:
            return None, f"signed header {name} is not in the request"
        if name in ("authorization", "x-amz-date"):
            continue
        for v in values[name]:
            req.headers.add_header(name, v)
    token = values.get("x-amz-security-token", [None])[0] \
        if "x-amz-security-token" in signed.split(";") else None
    creds = Credentials(akid, secrets[akid], token)
    if service == "s3":
        signer = bauth.S3SigV4Auth(creds, service, region)
        if values.get("x-amz-content-sha256", [""])[0] == bauth.UNSIGNED_PAYLOAD:
            req.context["payload_signing_enabled"] = False
            req.context["client_config"] = types.SimpleNamespace(
                s3={"payload_signing_enabled": False})
    else:
        signer = bauth.SigV4Auth(creds, service, region)
    with mock.patch("botocore.auth.get_current_datetime", return_value=when):
        signer.add_auth(req)
    want = req.headers["Authorization"].rsplit("Signature=", 1)[1]
    if not hmac.compare_digest(want, signature):
        return None, (f"signature does not match the expected secret for {akid} "
                      f"({service} {method} {target.split('?')[0]})")
    return akid, None


_DENIED = (b'<?xml version="1.0"?><ErrorResponse><Error><Type>Sender</Type>'
           b'<Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated '
           b'does not match the signature you provided.</Message></Error>'
           b'<RequestId>sigv4-verify</RequestId></ErrorResponse>')
_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "proxy-connection"}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _any(self):
        px = self.server.owner
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = list(self.headers.items())
        who, problem = verify(self.command, self.path, headers, body, px.secrets)
        with px.lock:
            px.seen.append((self.command, self.path, who, problem))
        if problem:
            return self._reply(403, [("Content-Type", "text/xml")], _DENIED)
        up = http.client.HTTPConnection(px.upstream.hostname, px.upstream.port, timeout=120)
        try:
            up.request(self.command, self.path, body=body or None,
                       headers={k: v for k, v in headers if k.lower() not in _HOP})
            r = up.getresponse()
            data = r.read()
            self._reply(r.status, [(k, v) for k, v in r.getheaders()
                                   if k.lower() not in _HOP], data)
        finally:
            up.close()

    def _reply(self, status, headers, data):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _any


class VerifyingProxy(LoopbackServer):
    """A loopback HTTP proxy that lets through only requests signed with the given keys."""
    handler = _Handler

    def __init__(self, upstream, secrets):
        super().__init__()
        self.upstream = urllib.parse.urlsplit(upstream)
        self.secrets = dict(secrets)
        self.seen = []
        self.lock = threading.Lock()
