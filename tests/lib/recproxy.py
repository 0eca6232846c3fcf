"""recproxy.py - a recording TCP relay on 127.0.0.1 in front of an emulator, for tests that
must show what reached the server, down to the byte.

    with RecordingProxy("127.0.0.1", moto_port) as p:
        ... point opsdeck at p.endpoint ...
        p.connections, p.bytes_in, p.sent()       # what clients sent, byte for byte
        p.targets()                               # X-Amz-Target values seen, in order
        p.reset()

Below HTTP on purpose: every byte a client writes is counted before it is relayed, so "zero
bytes" means nothing at all reached the server, not "no request was parsed". The relay
threads are daemons; stop() closes every socket (nothing is killed by name).
"""
import re
import socket
import threading


class RecordingProxy:
    def __init__(self, upstream_host, upstream_port):
        self.up = (upstream_host, upstream_port)
        self.lock = threading.Lock()
        self.connections = 0
        self.bytes_in = 0
        self._data = bytearray()
        self._socks = []
        self.lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.lsock.bind(("127.0.0.1", 0))
        self.lsock.listen(64)
        self.port = self.lsock.getsockname()[1]
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.stopping = False
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def _pump(self, src, dst, record):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if record:
                    with self.lock:
                        self.bytes_in += len(data)
                        self._data += data
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def _accept(self):
        while not self.stopping:
            try:
                c, _ = self.lsock.accept()
            except OSError:
                return
            with self.lock:
                self.connections += 1
            try:
                u = socket.create_connection(self.up, timeout=30)
                u.settimeout(None)
            except OSError:
                c.close()
                continue
            with self.lock:
                self._socks += [c, u]
            threading.Thread(target=self._pump, args=(c, u, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(u, c, False), daemon=True).start()

    def sent(self):
        """Every byte clients sent, in arrival order."""
        with self.lock:
            return bytes(self._data)

    def targets(self):
        """The X-Amz-Target header of every request sent (JSON protocols), in order."""
        return [m.decode() for m in re.findall(rb"(?im)^x-amz-target:\s*(\S+)\r?$", self.sent())]

    def reset(self):
        with self.lock:
            self.connections = 0
            self.bytes_in = 0
            self._data = bytearray()

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.stopping = True
        try:
            self.lsock.close()
        except OSError:
            pass
        with self.lock:
            socks, self._socks = self._socks, []
        for s in socks:
            try:
                s.close()
            except OSError:
                pass

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False
