"""snsattr_relay.py - an HTTP relay on 127.0.0.1 in front of moto that adds topic attributes
moto stores but never returns: SetTopicAttributes takes SQSFailureFeedbackRoleArn and the
other delivery-status logging attributes, GetTopicAttributes leaves them out. The relay puts
them into GetTopicAttributes answers for the topics named, as <entry> elements of the
query-XML answer, so a test can show a topic with logging on. Everything else is relayed
as it came (moto does not check the signature's host).

    with SnsAttrRelay(moto.endpoint, {topic_arn: {"SQSFailureFeedbackRoleArn": role}}) as r:
        r.endpoint        # point every client here, boto3 included (it must read them too)
"""
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

from tamper_relay import answer, relay


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet: the test's output is TAP
        pass

    def do_GET(self):  # noqa: N802 - http.server's name
        status, headers, body = relay(self.server.owner.upstream, self, b"")
        answer(self, status, headers, body)

    def do_POST(self):  # noqa: N802 - http.server's name
        owner = self.server.owner
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        status, headers, body = relay(owner.upstream, self, raw)
        form = {}
        if b"Action=GetTopicAttributes" in raw:
            form = urllib.parse.parse_qs(raw.decode("utf-8", "replace"))
        extra = owner.attrs.get((form.get("TopicArn") or [""])[0])
        if status == 200 and extra and b"</Attributes>" in body:
            entries = "".join(f"<entry><key>{escape(k)}</key><value>{escape(v)}</value></entry>"
                              for k, v in extra.items()).encode()
            body = body.replace(b"</Attributes>", entries + b"</Attributes>", 1)
        answer(self, status, headers, body)


class SnsAttrRelay:
    def __init__(self, upstream, attrs):
        self.upstream = upstream.rstrip("/")
        self.attrs = attrs
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.owner = self
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        return False
