"""test_keyring_lazy.py - libsecret (and GLib with it) is loaded only when the keyring is used.

opsdeck is not linked with libsecret: src/creds/keyring.c dlopen()s it on the first keyring probe
that has a D-Bus session to talk to. This test checks, on the real binary:
  - readelf: no libsecret/GLib/GIO/GObject in DT_NEEDED; nm: no secret_* or g_* symbol left
    undefined (a GLib macro expanding to a direct call would show up here);
  - /proc/PID/maps of a running `opsdeck whoami`, read by a small forwarding proxy in front
    of moto when opsdeck's first request arrives (the process is alive and waiting for the
    answer, so there is no timing to guess): no libsecret or GLib with environment
    credentials (even with a working keyring), with OPSDECK_KEYRING=off, and without D-Bus
    (the usual SSH session); libsecret mapped when the keyring provider did use the keyring
    (the control that shows the maps check can see it);
  - the keyring still works when used: creds add / list / remove on a real gnome-keyring;
  - a libsecret that cannot be loaded or lacks a function (a stand-in library found first
    through LD_LIBRARY_PATH) is today's "no keyring" path: one line naming the cause,
    commands with other credentials still work, creds list refuses in one line.
Runs inside dbus-run-session with an unlocked gnome-keyring (tests/lib/keyringenv.py);
missing tools, readelf, nm or a C compiler are failures, not skips.
"""
import http.client
import http.server
import os
import shutil
import socketserver
import subprocess
import tempfile
import threading

from keyringenv import rerun_in_keyring_session
from tap import Tap

TOP_BUILDDIR = os.environ.get("TOP_BUILDDIR", ".")
OPSDECK = os.environ.get("OPSDECK", os.path.join(TOP_BUILDDIR, "opsdeck"))
INNER = "OPSDECK_KRLAZY_INNER"
GLIB_LIBS = ("libsecret-1.so", "libglib-2.0.so", "libgobject-2.0.so", "libgio-2.0.so")
KEYRING_LINE = "opsdeck: no keyring ("
AKID = "AKIALAZYKEYRING0WXYZ"
SECRET = "lazy-Secret/Value+0123456789abcdefghij"
FILE_AKID = "AKIALAZYFILEKEYS0001"
FILE_SECRET = "lazy-file-secret-value"


def run(argv, env, stdin_text=None):
    p = subprocess.run(argv, env=env, input=stdin_text, capture_output=True, text=True,
                       timeout=120)
    return p.returncode, p.stdout, p.stderr


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def glib_mapped(maps):
    """The libsecret/GLib libraries among the files mapped in a /proc/PID/maps text."""
    found = set()
    for line in maps.splitlines():
        path = os.path.basename(line.split()[-1]) if len(line.split()) >= 6 else ""
        for lib in GLIB_LIBS:
            if path.startswith(lib):
                found.add(lib)
    return sorted(found)


# ---- a proxy that reads the client's maps when its first request arrives ------------------

class _MapsHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *_):
        pass

    def do_POST(self):  # noqa: N802 - http.server's naming
        self._forward()

    def do_GET(self):  # noqa: N802
        self._forward()

    def _forward(self):
        srv = self.server
        srv.pid_set.wait(60)  # Popen returned: the pid is known (not a timed assertion)
        with srv.lock:
            if srv.pid and srv.maps is None:
                try:
                    with open(f"/proc/{srv.pid}/maps", encoding="utf-8",
                              errors="replace") as f:
                        srv.maps = f.read()
                except OSError as e:
                    srv.maps = f"(unreadable: {e})"
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        conn = http.client.HTTPConnection(srv.upstream_host, srv.upstream_port, timeout=60)
        # the Host header is part of the signature: passed through unchanged
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() not in ("connection", "keep-alive", "transfer-encoding")}
        conn.request(self.command, self.path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        conn.close()
        self.send_response(resp.status)
        for k, v in resp.getheaders():
            if k.lower() not in ("connection", "keep-alive", "transfer-encoding",
                                 "content-length"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class _MapsServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


class MapsProxy:
    """with MapsProxy(moto_endpoint) as p: p.endpoint; p.watch(pid); p.maps"""

    def __init__(self, upstream):
        hostport = upstream.split("://", 1)[1].rstrip("/")
        host, port = hostport.rsplit(":", 1)
        self.srv = _MapsServer(("127.0.0.1", 0), _MapsHandler)
        self.srv.upstream_host, self.srv.upstream_port = host, int(port)
        self.srv.lock = threading.Lock()
        self.srv.pid, self.srv.maps = None, None
        self.srv.pid_set = threading.Event()
        self.endpoint = f"http://127.0.0.1:{self.srv.server_address[1]}"
        self.thread = threading.Thread(target=self.srv.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *_):
        self.srv.shutdown()
        self.srv.server_close()

    def maps_of(self, argv, env):
        """Runs argv with env pointed at the proxy; returns (rc, out, err, maps or None)."""
        with self.srv.lock:
            self.srv.pid, self.srv.maps = None, None
            self.srv.pid_set.clear()
        p = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        with self.srv.lock:
            self.srv.pid = p.pid
        self.srv.pid_set.set()  # a request that came first waits for this
        try:
            out, err = p.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            p.kill()
            out, err = p.communicate()
        with self.srv.lock:
            maps, self.srv.pid = self.srv.maps, None
            self.srv.pid_set.clear()
        return p.returncode, out, err, maps


# ---- the checks ---------------------------------------------------------------------------

def test_not_linked(t):
    tools = {n: shutil.which(n) for n in ("readelf", "nm")}
    if not t.ok(all(tools.values()), "readelf and nm are installed (binutils)", tools):
        return
    dyn = subprocess.run(["readelf", "-d", OPSDECK], capture_output=True, text=True).stdout
    needed = [line.split("[", 1)[1].rstrip("]") for line in dyn.splitlines()
              if "(NEEDED)" in line]
    t.ok(needed and "libc.so.6" in needed, "readelf -d lists opsdeck's libraries", dyn)
    t.eq([n for n in needed if n.startswith(GLIB_LIBS)], [],
         "opsdeck does not NEED libsecret, GLib, GObject or GIO")
    und = subprocess.run(["nm", "-D", "--undefined-only", OPSDECK], capture_output=True,
                         text=True).stdout
    names = [line.split()[-1].split("@")[0] for line in und.splitlines() if line.split()]
    t.ok("dlopen" in names and "curl_multi_add_handle" in names,
         "nm -D --undefined-only lists opsdeck's imports (dlopen among them)", und[:2000])
    t.eq([n for n in names if n.startswith(("secret_", "g_"))], [],
         "no secret_* or g_* symbol is left for the dynamic linker to bind")


def test_maps(t, env, endpoint):
    from awsenv import aws_env

    home = tempfile.mkdtemp(prefix="opsdeck-krlazy-maps-")
    try:
        with MapsProxy(endpoint) as proxy:
            base = aws_env(proxy.endpoint, base=env, home=home)
            whoami = [OPSDECK, "whoami"]

            # environment credentials with a working keyring: the keyring is never asked
            rc, out, err, maps = proxy.maps_of(whoami, base)
            t.ok(rc == 0 and maps is not None and "opsdeck" in maps,
                 "env credentials: whoami works; its maps were read while it ran",
                 f"rc={rc}\n{out}{err}\n{(maps or '')[:500]}")
            t.eq(glib_mapped(maps or ""), [],
                 "env credentials, keyring available: libsecret and GLib are not mapped")

            # file credentials: the keyring provider (before the credentials file) is asked
            file_env = dict(base)
            for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
                del file_env[k]
            write(file_env["AWS_SHARED_CREDENTIALS_FILE"],
                  f"[default]\naws_access_key_id = {FILE_AKID}\n"
                  f"aws_secret_access_key = {FILE_SECRET}\n")

            off = dict(file_env, OPSDECK_KEYRING="off")
            rc, out, err, maps = proxy.maps_of(whoami, off)
            t.ok(rc == 0 and maps is not None and err == "",
                 "OPSDECK_KEYRING=off, file credentials: whoami works, silently",
                 f"rc={rc}\n{out}{err}")
            t.eq(glib_mapped(maps or ""), [],
                 "OPSDECK_KEYRING=off: libsecret and GLib are not mapped")

            nobus = dict(file_env)
            for k in ("DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "XDG_RUNTIME_DIR"):
                nobus.pop(k, None)
            rc, out, err, maps = proxy.maps_of(whoami, nobus)
            t.ok(rc == 0 and maps is not None and err.startswith(KEYRING_LINE) and
                 "D-Bus" in err and err.count("\n") == 1,
                 "no D-Bus, file credentials: whoami works; one 'no keyring' line",
                 f"rc={rc}\n{out}{err}")
            t.eq(glib_mapped(maps or ""), [],
                 "no D-Bus (the SSH case): libsecret and GLib are not even loaded")

            rc, out, err, maps = proxy.maps_of(whoami, file_env)
            t.ok(rc == 0 and maps is not None and KEYRING_LINE not in err,
                 "keyring available, file credentials: whoami works, no notice",
                 f"rc={rc}\n{out}{err}")
            t.ok("libsecret-1.so" in glib_mapped(maps or "") and
                 "libglib-2.0.so" in glib_mapped(maps or ""),
                 "the keyring provider was asked: libsecret and GLib are mapped then",
                 glib_mapped(maps or ""))
    finally:
        shutil.rmtree(home, True)


def test_keyring_works(t, env):
    home = tempfile.mkdtemp(prefix="opsdeck-krlazy-home-")
    try:
        e = dict(env, HOME=home)
        write(os.path.join(home, ".aws", "config"), "[profile lazy]\nregion = us-east-1\n")
        rc, out, err = run([OPSDECK, "creds", "add", "lazy"], e, f"{AKID}\n{SECRET}\n")
        t.ok(rc == 0 and "...WXYZ" in out, "creds add stores the keys in the keyring",
             out + err)
        rc, out, err = run([OPSDECK, "creds", "list"], e)
        rows = [line.split() for line in out.splitlines()[1:]]
        t.eq((rc, rows), (0, [["lazy", "long-term", "...WXYZ", "never"]]),
             "creds list reads them back through the loaded libsecret")
        rc, out, err = run([OPSDECK, "creds", "remove", "lazy"], e)
        t.ok(rc == 0 and "removed" in out, "creds remove", out + err)
        rc, out, err = run([OPSDECK, "creds", "list"], e)
        t.ok(rc == 0 and "lazy" not in out, "creds list is empty after remove", out + err)
    finally:
        shutil.rmtree(home, True)


def build_fakes(tmp):
    """Two stand-ins for libsecret-1.so.0: one that loads but has none of its functions,
    one that cannot load (it needs a library that is gone). Returns (lacking_dir, broken_dir)
    or raises with the compiler's message."""
    cc = os.environ.get("CC", "cc").split()
    src = os.path.join(tmp, "fake.c")
    write(src, "int opsdeck_fake_libsecret = 1;\n")
    lacking = os.path.join(tmp, "lacking")
    broken = os.path.join(tmp, "broken")
    os.makedirs(lacking)
    os.makedirs(broken)

    def cc_run(*args):
        r = subprocess.run(cc + ["-shared", "-fPIC", *args], capture_output=True, text=True)
        if r.returncode:
            raise RuntimeError(f"{cc} failed: {r.stderr}")

    cc_run("-Wl,-soname,libsecret-1.so.0", "-o", os.path.join(lacking, "libsecret-1.so.0"),
           src)
    gone = os.path.join(broken, "libopsdeck-gone.so")
    cc_run("-Wl,-soname,libopsdeck-gone.so", "-o", gone, src)
    cc_run("-Wl,-soname,libsecret-1.so.0", "-o", os.path.join(broken, "libsecret-1.so.0"),
           src, "-Wl,--no-as-needed", "-L" + broken, "-lopsdeck-gone")
    os.unlink(gone)
    return lacking, broken


def test_unloadable(t, env, endpoint):
    from awsenv import aws_env

    tmp = tempfile.mkdtemp(prefix="opsdeck-krlazy-fake-")
    try:
        lacking, broken = build_fakes(tmp)
        for d, cause, what in ((lacking, "libsecret could not be used: ", "undefined symbol"),
                               (broken, "libsecret could not be loaded: ",
                                "libopsdeck-gone.so")):
            label = "a libsecret lacking its functions" if d == lacking else \
                "a libsecret that cannot load"
            e = aws_env(endpoint, base=env, home=os.path.join(tmp, "home"))
            e["LD_LIBRARY_PATH"] = d + (":" + env["LD_LIBRARY_PATH"]
                                        if env.get("LD_LIBRARY_PATH") else "")
            for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
                del e[k]
            write(e["AWS_SHARED_CREDENTIALS_FILE"],
                  f"[default]\naws_access_key_id = {FILE_AKID}\n"
                  f"aws_secret_access_key = {FILE_SECRET}\n")
            rc, out, err = run([OPSDECK, "whoami"], e)
            lines = err.splitlines()
            t.ok(rc == 0 and len(lines) == 1 and lines[0].startswith(KEYRING_LINE + cause) and
                 what in lines[0] and "memory only" in lines[0],
                 f"{label}: whoami with file keys works; one notice naming the cause",
                 f"rc={rc}\n{out}{err}")
            rc, out, err = run([OPSDECK, "creds", "list"], e)
            t.ok(rc == 1 and err.count("\n") == 1 and "no keyring" in err and cause in err,
                 f"{label}: creds list refuses in one line naming the cause", f"rc={rc}\n{err}")
            rc, out, err = run([OPSDECK, "creds", "add", "x"], e, f"{AKID}\n{SECRET}\n")
            t.ok(rc == 1 and SECRET not in out + err and "no keyring" in err,
                 f"{label}: creds add refuses, the secret not echoed", f"rc={rc}\n{err}")
    finally:
        shutil.rmtree(tmp, True)


def inner():
    from awsenv import Moto

    t = Tap()
    env = dict(os.environ)
    env.pop(INNER, None)
    for k in list(env):
        if k.startswith("AWS_") and k != "AWS_EC2_METADATA_DISABLED":
            del env[k]
    t.ok(bool(env.get("DBUS_SESSION_BUS_ADDRESS")), "inside a D-Bus session with a keyring")
    t.run("not linked", test_not_linked, t)
    t.run("keyring works", test_keyring_works, t, env)
    with Moto() as m:
        t.run("maps", test_maps, t, env, m.endpoint)
        t.run("unloadable libsecret", test_unloadable, t, env, m.endpoint)
    t.done()


if __name__ == "__main__":
    if os.environ.get(INNER) == "1":
        inner()
    else:
        rerun_in_keyring_session(__file__, INNER, timeout=600)
