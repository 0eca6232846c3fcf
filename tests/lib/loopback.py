"""loopback.py - a test's own HTTP server in a thread of the test, on 127.0.0.1 at a free
port, for servers small enough to be written in Python (fake_sqs.py, sigv4_verify.py).

    class MyServer(LoopbackServer):
        handler = MyHandler              # a BaseHTTPRequestHandler; self.server.owner is us
    with MyServer() as s:
        s.endpoint                       # http://127.0.0.1:PORT
Stopped when the with block ends, also when the test fails inside it."""
import threading
from http.server import ThreadingHTTPServer


class LoopbackServer:
    handler = None

    def __init__(self):
        self._srv = None
        self.endpoint = None

    def start(self):
        self._srv = ThreadingHTTPServer(("127.0.0.1", 0), self.handler)
        self._srv.daemon_threads = True
        self._srv.owner = self
        threading.Thread(target=self._srv.serve_forever, daemon=True).start()
        self.endpoint = f"http://127.0.0.1:{self._srv.server_port}"
        return self

    def stop(self):
        if self._srv:
            self._srv.shutdown()
            self._srv.server_close()
            self._srv = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False
