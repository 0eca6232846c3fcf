"""awsenv.py - local AWS emulators for tests, the demo and the benchmark.

    with Moto() as m:                  # python3 -m moto.server on a free 127.0.0.1 port
        env = aws_env(m.endpoint)      # environment for opsdeck / the aws CLI
        c = boto3_clients(m.endpoint)  # {"sqs": ..., "sns": ..., "s3": ..., "cloudwatch": ...}
    with Fauxqs() as f:                # the fauxqs npm emulator (SQS JSON, SNS, S3)
        ...

Servers are only ever bound to 127.0.0.1 on a port chosen here, and are stopped by their
PID (never by name: other people's servers run on the same machine) when the `with` block
ends, at interpreter exit, and on SIGTERM/SIGINT, so a failing or interrupted test does not
leave one behind. Their output goes to a temp log file, shown in the error if they fail to
start.
"""
import atexit
import fcntl
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

FAUXQS_VERSION = "1.9.2"
REGION = "us-east-1"
START_TIMEOUT = 30.0   # overall bound for a server to answer, seconds
STOP_GRACE = 5.0       # SIGTERM, then SIGKILL after this many seconds

_HERE = os.path.dirname(os.path.abspath(__file__))

# Direct HTTP to 127.0.0.1 must never go through a proxy from the user's environment.
_NO_PROXY_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port():
    """A TCP port that was free on 127.0.0.1 a moment ago (bind port 0, read it, close).
    Another process can take it before we use it; callers retry on a bind failure."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---- process cleanup shared by every server -----------------------------------------

_live = set()
_live_lock = threading.Lock()
_handlers_installed = False


def _stop_all():
    with _live_lock:
        servers = list(_live)
    for srv in servers:
        srv.stop()


def _on_signal(signum, _frame):
    _stop_all()
    # Re-raise with the default action so the exit status says what happened.
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def _install_handlers():
    global _handlers_installed
    if _handlers_installed:
        return
    _handlers_installed = True
    atexit.register(_stop_all)
    # Signal handlers can only be set from the main thread; elsewhere atexit still covers
    # the normal exit paths.
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            if signal.getsignal(sig) in (signal.SIG_DFL, signal.default_int_handler, None):
                signal.signal(sig, _on_signal)


def pid_alive(pid):
    """True while a process with this PID exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        return state not in ("Z", "X")
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False


class ServerError(RuntimeError):
    """An emulator could not be installed or did not come up."""


class _Server:
    """A child process serving HTTP on 127.0.0.1:port, owned by PID."""
    name = "server"

    def __init__(self, attempts=3):
        self.attempts = attempts
        self.proc = None
        self.port = None
        self.endpoint = None
        self.log_path = None
        self._log = None

    # subclasses: argv for a port; a URL path that answers 2xx/4xx once ready
    def _argv(self, port):
        raise NotImplementedError

    ready_path = "/"

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def start(self):
        _install_handlers()
        errors = []
        for _ in range(self.attempts):
            port = free_port()
            try:
                self._spawn(port)
                return self
            except ServerError as e:
                errors.append(str(e))
        raise ServerError(f"{self.name} did not start after {self.attempts} attempts:\n"
                          + "\n".join(errors))

    def _spawn(self, port):
        fd, self.log_path = tempfile.mkstemp(prefix=f"opsdeck-{self.name}-", suffix=".log")
        self._log = os.fdopen(fd, "wb")
        env = dict(os.environ)
        for k in list(env):
            if k.lower() in ("http_proxy", "https_proxy", "all_proxy"):
                del env[k]
        self.proc = subprocess.Popen(self._argv(port), stdin=subprocess.DEVNULL,
                                     stdout=self._log, stderr=subprocess.STDOUT, env=env,
                                     start_new_session=True)  # Ctrl-C in a terminal goes to us, not it
        with _live_lock:
            _live.add(self)
        self.port = port
        self.endpoint = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                tail = self.log_tail()
                self.stop()
                raise ServerError(f"{self.name} exited with status {self.proc.returncode} "
                                  f"on port {port}:\n{tail}")
            if self._answers():
                return
            time.sleep(0.1)
        tail = self.log_tail()
        self.stop()
        raise ServerError(f"{self.name} did not answer on {self.endpoint} within "
                          f"{START_TIMEOUT:.0f} s:\n{tail}")

    def _answers(self):
        try:
            with _NO_PROXY_OPENER.open(self.endpoint + self.ready_path, timeout=2) as r:
                return r.status < 500
        except urllib.error.HTTPError as e:
            return e.code < 500
        except OSError:
            return False

    def log_tail(self, n=30):
        try:
            with open(self.log_path, "rb") as f:
                lines = f.read().decode("utf-8", "replace").splitlines()
            return "\n".join(lines[-n:]) or "(no output)"
        except OSError:
            return "(no log)"

    def stop(self):
        """Terminate by PID, kill after a grace period. Idempotent."""
        proc = self.proc
        if proc is None:
            return
        if proc.poll() is None:
            try:
                proc.terminate()
                proc.wait(timeout=STOP_GRACE)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=STOP_GRACE)
            except ProcessLookupError:
                pass
        with _live_lock:
            _live.discard(self)
        if self._log:
            self._log.close()
            self._log = None

    def remove_log(self):
        if self.log_path and os.path.exists(self.log_path):
            os.unlink(self.log_path)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        if exc[0] is None:
            self.remove_log()
        return False


class Moto(_Server):
    """moto's server (every service on one port)."""
    name = "moto"
    ready_path = "/moto-api/"

    def _argv(self, port):
        return [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]

    def reset(self):
        """Clear every resource in this moto (POST /moto-api/reset)."""
        req = urllib.request.Request(self.endpoint + "/moto-api/reset", data=b"", method="POST")
        with _NO_PROXY_OPENER.open(req, timeout=10) as r:
            r.read()


def node_dir():
    """Where fauxqs is installed: $OPSDECK_NODE_DIR, else TOP_BUILDDIR/tests/.node (so
    `make distclean` can own it), else a per-user cache."""
    if os.environ.get("OPSDECK_NODE_DIR"):
        return os.environ["OPSDECK_NODE_DIR"]
    if os.environ.get("TOP_BUILDDIR"):
        return os.path.join(os.environ["TOP_BUILDDIR"], "tests", ".node")
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return os.path.join(cache, "opsdeck", "node")


def fauxqs_install(prefix=None):
    """npm-installs fauxqs@FAUXQS_VERSION into prefix once; returns prefix. A lock file
    keeps parallel tests from running two installs into the same folder."""
    prefix = prefix or node_dir()
    pkg = os.path.join(prefix, "node_modules", "fauxqs", "package.json")
    os.makedirs(prefix, exist_ok=True)
    with open(os.path.join(prefix, ".install.lock"), "w", encoding="ascii") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _installed_version(pkg) == FAUXQS_VERSION:
            return prefix
        npm = shutil.which("npm")
        if not npm or not shutil.which("node"):
            raise ServerError("fauxqs needs node and npm (Debian packages nodejs, npm)")
        r = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--loglevel=error",
                            "--prefix", prefix, f"fauxqs@{FAUXQS_VERSION}"],
                           stdin=subprocess.DEVNULL, capture_output=True, text=True,
                           timeout=300, check=False)
        if r.returncode != 0 or _installed_version(pkg) != FAUXQS_VERSION:
            raise ServerError(f"npm install fauxqs@{FAUXQS_VERSION} into {prefix} failed "
                              f"(status {r.returncode}):\n{r.stderr[-2000:]}")
    return prefix


def _installed_version(pkg_json):
    import json
    try:
        with open(pkg_json, encoding="utf-8") as f:
            return json.load(f).get("version")
    except (OSError, ValueError):
        return None


class Fauxqs(_Server):
    """The fauxqs emulator (SQS over JSON only, SNS, S3 path-style) via our launcher
    fauxqs_server.mjs, which binds 127.0.0.1 (fauxqs's own CLI binds 0.0.0.0).
    Queue URLs look like http://sqs.us-east-1.localhost:PORT/000000000000/NAME."""
    name = "fauxqs"
    ready_path = "/health"

    def __init__(self, prefix=None, attempts=3):
        super().__init__(attempts)
        self.prefix = prefix

    def start(self):
        self.prefix = fauxqs_install(self.prefix)
        return super().start()

    def _argv(self, port):
        return ["node", os.path.join(_HERE, "fauxqs_server.mjs"), self.prefix, str(port)]


# ---- clients -------------------------------------------------------------------------

FAKE_KEY_ID = "AKIAOPSDECKTESTING01"
FAKE_SECRET = "opsdeck-testing-secret-not-a-real-key"

_PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY",
               "ALL_PROXY", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN",
               "AWS_SECURITY_TOKEN", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE",
               "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
               "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
               "AWS_EC2_METADATA_SERVICE_ENDPOINT",
               "AWS_CA_BUNDLE")


def aws_env(endpoint, base=None, home=None):
    """Environment (a new dict) for running opsdeck or the aws CLI against an emulator:
    fake static keys, us-east-1, AWS_ENDPOINT_URL, an isolated HOME with empty config and
    credentials files, no proxy, no IMDS lookups. home defaults to a new temp dir that
    lives until interpreter exit. NB: aws CLI v1 ignores AWS_ENDPOINT_URL for sqs in
    us-east-1; run it with aws_cli_argv()."""
    env = dict(os.environ if base is None else base)
    for k in list(env):
        if k in _PROXY_VARS or k.startswith("AWS_ENDPOINT_URL"):
            del env[k]
    if home is None:
        home = tempfile.mkdtemp(prefix="opsdeck-home-")
        atexit.register(shutil.rmtree, home, True)
    aws_dir = os.path.join(home, ".aws")
    os.makedirs(aws_dir, exist_ok=True)
    cfg = os.path.join(aws_dir, "config")
    creds = os.path.join(aws_dir, "credentials")
    for p in (cfg, creds):
        open(p, "a", encoding="ascii").close()
    env.update({
        "HOME": home,
        "AWS_ACCESS_KEY_ID": FAKE_KEY_ID,
        "AWS_SECRET_ACCESS_KEY": FAKE_SECRET,
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,   # botocore 1.43 / aws CLI v1 read only this one
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_CONFIG_FILE": cfg,
        "AWS_SHARED_CREDENTIALS_FILE": creds,
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_PAGER": "",
        "NO_PROXY": "127.0.0.1,localhost,.localhost",
        "no_proxy": "127.0.0.1,localhost,.localhost",
    })
    return env


def aws_cli_argv(endpoint, *args):
    """argv for the aws CLI (v1) on the emulator. --endpoint-url is required: for sqs in
    us-east-1 the CLI's SSL-common-name customisation replaces AWS_ENDPOINT_URL with
    https://queue.amazonaws.com, i.e. it would try the internet."""
    return ["aws", "--endpoint-url", endpoint, *args]


def boto3_clients(endpoint, services=("sqs", "sns", "s3", "cloudwatch"), max_pool=10):
    """boto3 clients on the emulator, S3 path-style (fauxqs and moto both accept it; an
    IP endpoint can't do virtual hosts anyway), with no proxy and standard retries."""
    import boto3
    from botocore.config import Config
    cfg = Config(region_name=REGION, retries={"mode": "standard", "max_attempts": 3},
                 s3={"addressing_style": "path"}, proxies={}, max_pool_connections=max_pool)
    session = boto3.session.Session(aws_access_key_id=FAKE_KEY_ID,
                                    aws_secret_access_key=FAKE_SECRET, region_name=REGION)
    # boto3 would otherwise read the user's ~/.aws and proxy variables: keep tests isolated.
    return {s: session.client(s, endpoint_url=endpoint, config=cfg) for s in services}


def sqs_receive_all(sqs, url):
    """Every message visible in the queue at url, read with boto3 (message attributes and
    system attributes included) and deleted, so the next read starts empty."""
    msgs = []
    for _ in range(100):
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0,
                                  MessageAttributeNames=["All"],
                                  AttributeNames=["All"]).get("Messages", [])
        if not got:
            break
        msgs += got
        for m in got:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    return msgs
