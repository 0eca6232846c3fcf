"""console.py - drive the opsdeck console in tests: headless script mode and tmux.

Headless (src/ui/ui.h, OPSDECK_SCRIPT): keys from a script, the screen dumped to text files.

    env = console_env(moto.endpoint)             # TERM/TZ/HOME/XDG/COLUMNS/LINES pinned
    s = Script().wait().dump("start").keys("2").wait().dump("sqs")
    r = run_script(env, s, cols=80, rows=24)     # r.rc, r.stderr, r.dumps["sqs"] (list of rows)
    ok, diff = rows_equal(r.dumps["sqs"][0:3], want_rows)

tmux (a real terminal): a private server per test, killed at the end, also on failure.

    with Tmux() as tm:
        tm.start(env, [OPSDECK], cols=80, rows=24)     # opsdeck in a shell wrapper that
        tm.wait_for("SQS")                             # records `stty -a` after it exits
        tm.keys("q"); st = tm.wait_exit()              # -> {"rc", "stty", "alt_screen"}

Nothing here kills anything by name: moto by its PID (awsenv.Moto), tmux by its private
socket, opsdeck by the PID read from the pane.
"""
import difflib
import os
import shlex
import shutil
import subprocess
import tempfile
import time

OPSDECK = os.environ.get("OPSDECK", "opsdeck")
# A fixed clock for ages and countdowns (ui.h: only honoured with OPSDECK_SCRIPT).
TEST_NOW = 1795000000     # 2026-11-18T11:06:40Z
TERM = "xterm-256color"
SCRIPT_TIMEOUT = 90       # seconds: a hung console fails the test instead of hanging make
DEADLINE = 30.0           # seconds to wait for a screen text in tmux (a bound, not a check)


def console_env(endpoint, base_env, cols=80, rows=24, now=TEST_NOW):
    """The environment for the console on an emulator. base_env is awsenv.aws_env()'s
    (HOME with an empty ~/.aws); this adds the terminal and the clock, and points
    XDG_CONFIG_HOME inside that HOME so opsdeck's own config is the test's."""
    env = dict(base_env)
    home = env["HOME"]
    env.update({
        "TERM": TERM, "COLUMNS": str(cols), "LINES": str(rows), "TZ": "UTC",
        "LC_ALL": "C.UTF-8", "XDG_CONFIG_HOME": os.path.join(home, ".config"),
        "AWS_ENDPOINT_URL": endpoint,
    })
    for k in ("NO_COLOR", "OPSDECK_SCRIPT", "OPSDECK_TEST_NOW", "TMUX", "TMUX_PANE"):
        env.pop(k, None)
    if now is not None:
        env["OPSDECK_TEST_NOW"] = str(now)
    os.makedirs(env["XDG_CONFIG_HOME"], exist_ok=True)
    return env


def write_app_config(env, text):
    """Writes opsdeck's own config ($XDG_CONFIG_HOME/opsdeck/config), 0600."""
    d = os.path.join(env["XDG_CONFIG_HOME"], "opsdeck")
    os.makedirs(d, exist_ok=True)
    p = os.path.join(d, "config")
    fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    return p


def audit_path(env):
    """Where opsdeck writes its audit log of writes under env ($XDG_STATE_HOME)."""
    return os.path.join(env["XDG_STATE_HOME"], "opsdeck", "audit.jsonl")


def audit_lines(env):
    """The audit log's lines, parsed (a line that is not JSON raises: it must not happen)."""
    import json
    try:
        with open(audit_path(env), encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]
    except FileNotFoundError:
        return []


def add_aws_profile(env, name, region="us-east-1"):
    """A profile in the test HOME's ~/.aws/config and credentials, with the fake keys."""
    with open(env["AWS_CONFIG_FILE"], "a", encoding="ascii") as f:
        f.write(f"\n[profile {name}]\nregion = {region}\n")
    with open(env["AWS_SHARED_CREDENTIALS_FILE"], "a", encoding="ascii") as f:
        f.write(f"\n[{name}]\naws_access_key_id = {env['AWS_ACCESS_KEY_ID']}\n"
                f"aws_secret_access_key = {env['AWS_SECRET_ACCESS_KEY']}\n")


# ---- headless script mode --------------------------------------------------------------

class Script:
    """The lines of an OPSDECK_SCRIPT file, built fluently; dump names become file names."""

    def __init__(self):
        self.lines = []
        self.dumps = []

    def keys(self, text):
        self.lines.append(f"keys {text}")
        return self

    def dump(self, name):
        if not name.replace("-", "").replace("_", "").isalnum() or name in self.dumps:
            raise ValueError(f"bad or repeated dump name {name!r}")
        self.dumps.append(name)
        self.lines.append(f"dump {name}.txt")
        return self

    def resize(self, cols, rows):
        self.lines.append(f"resize {cols} {rows}")
        return self

    def sleep(self, ms):
        self.lines.append(f"sleep {int(ms)}")
        return self

    def wait(self):
        self.lines.append("wait")
        return self

    def refresh(self):
        """`r`, then a wait for the round it started: fresh data after an action, without
        sitting out a poll interval. Tests of staleness, backoff or intervals use wait()."""
        self.lines.append("refresh")
        return self

    def comment(self, text):
        self.lines.append(f"# {text}")
        return self

    def text(self):
        return "\n".join(self.lines) + "\n"


class Result:
    def __init__(self, rc, stdout, stderr, dumps, script):
        self.rc = rc
        self.stdout = stdout
        self.stderr = stderr
        self.dumps = dumps      # name -> list of rows (None when the dump was not written)
        self.script = script

    def screen(self, name):
        rows = self.dumps.get(name)
        return "(no dump written)" if rows is None else "\n".join(rows)

    def why(self, name=None):
        """Diagnostics for a failed case: exit code, stderr, the screen."""
        out = [f"exit {self.rc}; stderr: {self.stderr.strip()[-800:]!r}"]
        if name:
            out.append(f"--- screen {name} ---")
            out.append(self.screen(name))
        return "\n".join(out)


def run_script(env, script, cols=80, rows=24, args=(), timeout=SCRIPT_TIMEOUT):
    """Runs the console headless with script; returns a Result. The dumps are read from a
    private temp dir (the working directory of the run), removed afterwards."""
    d = tempfile.mkdtemp(prefix="opsdeck-screen-")
    try:
        sp = os.path.join(d, "script")
        with open(sp, "w", encoding="utf-8") as f:
            f.write(script.text())
        e = dict(env, OPSDECK_SCRIPT=sp, COLUMNS=str(cols), LINES=str(rows))
        try:
            p = subprocess.run([OPSDECK, *args], env=e, cwd=d, stdin=subprocess.DEVNULL,
                               capture_output=True, timeout=timeout)
            rc, out, err = p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")
        except subprocess.TimeoutExpired as ex:
            rc, out = "timeout", ex.stdout or b""
            err = (ex.stderr or b"").decode("utf-8", "replace") + \
                f"\n(console still running after {timeout}s: killed)"
        dumps = {}
        for name in script.dumps:
            p = os.path.join(d, f"{name}.txt")
            try:
                with open(p, "rb") as f:
                    dumps[name] = f.read().decode("utf-8", "replace").split("\n")
                mode = os.stat(p).st_mode & 0o777
                if mode != 0o600:
                    dumps[name].append(f"(dump file mode {mode:o}, not 600)")
                # one line per row: a final newline leaves an empty last element
                if dumps[name] and dumps[name][-1] == "":
                    dumps[name].pop()
            except OSError:
                dumps[name] = None
        return Result(rc, out, err, dumps, script.text())
    finally:
        shutil.rmtree(d, ignore_errors=True)


def pad_screen(rows, n):
    """A dump as exactly n rows (trailing blank rows are cut by some writers)."""
    rows = list(rows or [])
    return rows + [""] * (n - len(rows)) if len(rows) < n else rows


def rows_equal(got, want):
    """Compares rows (trailing blanks ignored); returns (equal, readable diff)."""
    g = [r.rstrip() for r in (got or [])]
    w = [r.rstrip() for r in want]
    if g == w:
        return True, ""
    diff = difflib.unified_diff(w, g, "expected", "screen", lineterm="", n=2)
    return False, "\n".join(diff)


def find_row(rows, *needles):
    """Index of the first row holding every needle, or -1."""
    for i, r in enumerate(rows or []):
        if all(n in r for n in needles):
            return i
    return -1


def col_of(header, title):
    """Column where title starts in a header row (-1 when absent)."""
    return header.find(title)


def screen_has(rows, text):
    return any(text in r for r in (rows or []))


# ---- tmux ------------------------------------------------------------------------------

class Tmux:
    """A private tmux server (its own socket, -L opsdeck-test-PID-N) with one session that
    runs opsdeck inside a shell wrapper. The wrapper records the exit code, `stty -a` and
    whether the alternate screen was left after opsdeck exits. kill-server on exit."""
    _n = 0

    def __init__(self):
        Tmux._n += 1
        self.sock = f"opsdeck-test-{os.getpid()}-{Tmux._n}"
        self.dir = tempfile.mkdtemp(prefix="opsdeck-tmux-")
        self.session = "t"
        self.started = False

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def tmux(self, *args, check=True, timeout=20, env=None):
        p = subprocess.run(["tmux", "-u", "-L", self.sock, "-f", "/dev/null", *args],
                           capture_output=True, text=True, timeout=timeout, env=env)
        if check and p.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {p.stderr.strip()}")
        return p.stdout

    def path(self, name):
        return os.path.join(self.dir, name)

    def start(self, env, argv, cols=80, rows=24, gate=False):
        """Starts the session running argv under env. gate=True holds opsdeck until go()
        (so pipe-pane can be attached before its first byte)."""
        wrapper = self.path("run.sh")
        # The pane inherits the environment of the tmux server, which is the one of the
        # command that starts it: no file, no argv holds the (fake) keys.
        spawn_env = {k: v for k, v in env.items()
                     if k not in ("TMUX", "TMUX_PANE", "COLUMNS", "LINES", "OPSDECK_SCRIPT",
                                  "OPSDECK_TEST_NOW")}
        go = self.path("go")
        with open(wrapper, "w", encoding="utf-8") as f:
            f.write("#!/bin/sh\n")
            # Ctrl-C and Ctrl-\ in the pane go to the whole process group: the wrapper must
            # outlive them to record the terminal's state (a trap, unlike an ignore, is not
            # inherited).
            f.write("trap : INT QUIT\n")
            if gate:
                f.write(f"while [ ! -e {shlex.quote(go)} ]; do sleep 0.05; done\n")
            f.write(" ".join(shlex.quote(a) for a in argv) + f" 2>{shlex.quote(self.path('stderr'))}\n")
            f.write(f"echo $? > {shlex.quote(self.path('rc'))}\n")
            f.write(f"stty -a > {shlex.quote(self.path('stty'))} 2>&1\n")
            f.write(f"echo done > {shlex.quote(self.path('done'))}\n")
            # keep the pane (and its screen) alive for capture-pane after opsdeck is gone
            f.write("exec sleep 600\n")
        os.chmod(wrapper, 0o700)
        # The session's environment: TERM is set by tmux itself (screen/tmux-256color).
        self.tmux("new-session", "-d", "-s", self.session, "-x", str(cols), "-y", str(rows),
                  f"sh {shlex.quote(wrapper)}", env=spawn_env)
        self.started = True
        self.socket_path = self.tmux("display", "-p", "#{socket_path}", check=False).strip()
        self.tmux("set-option", "-t", self.session, "remain-on-exit", "on", check=False)

    def go(self):
        with open(self.path("go"), "w", encoding="ascii") as f:
            f.write("go\n")

    def pipe_raw(self, name="raw"):
        """Records every byte the pane's program writes to the terminal into a file."""
        out = self.path(name)
        open(out, "wb").close()
        self.tmux("pipe-pane", "-O", "-t", self.session, f"cat >> {shlex.quote(out)}")
        return out

    def keys(self, *keys, literal=False):
        """send-keys: tmux key names ("Enter", "Escape", "C-c") or literal text."""
        args = ["send-keys", "-t", self.session]
        if literal:
            args.append("-l")
        self.tmux(*args, *keys)

    def text(self, s):
        self.keys(s, literal=True)

    def capture(self):
        """The visible screen as rows (trailing blanks cut)."""
        out = self.tmux("capture-pane", "-p", "-t", self.session, check=False)
        if out.endswith("\n"):
            out = out[:-1]   # one newline per row: not a row of its own
        return [r.rstrip() for r in out.split("\n")]

    def wait_for(self, pred, deadline=DEADLINE):
        """Polls the screen until pred(rows) (or a string in it) holds; returns (ok, rows)."""
        if isinstance(pred, str):
            needle = pred
            pred = lambda rows: any(needle in r for r in rows)  # noqa: E731
        end = time.monotonic() + deadline
        rows = []
        while True:
            rows = self.capture()
            if pred(rows):
                return True, rows
            if time.monotonic() > end:
                return False, rows
            time.sleep(0.1)

    def wait_settled(self, pred, key, settle=0.5, deadline=DEADLINE):
        """Like wait_for, and then until key(rows) has stayed the same for `settle` seconds
        with pred still holding: a capture can catch the terminal half-way through a redraw
        (curses writes a full screen in more than one write, and tmux shows each as it comes),
        so a screen kept to compare with later must be one the console has finished."""
        end = time.monotonic() + deadline
        ok, rows = self.wait_for(pred, deadline)
        if not ok:
            return False, rows
        since, seen = time.monotonic(), key(rows)
        while time.monotonic() - since < settle:
            if time.monotonic() > end:
                return False, rows
            time.sleep(0.1)
            rows = self.capture()
            if not pred(rows) or key(rows) != seen:
                since, seen = time.monotonic(), key(rows)
        return True, rows

    def resize(self, cols, rows):
        self.tmux("resize-window", "-t", self.session, "-x", str(cols), "-y", str(rows))

    def pane_pid(self):
        return int(self.tmux("display", "-p", "-t", self.session, "#{pane_pid}").strip())

    def opsdeck_pid(self):
        """The PID of opsdeck: the pane's shell's child (not sleep/stty)."""
        sh = self.pane_pid()
        try:
            with open(f"/proc/{sh}/task/{sh}/children", encoding="ascii") as f:
                kids = [int(x) for x in f.read().split()]
        except OSError:
            return None
        for k in kids:
            try:
                with open(f"/proc/{k}/comm", encoding="ascii") as f:
                    if f.read().strip() == "opsdeck":
                        return k
            except OSError:
                pass
        return None

    def wait_exit(self, deadline=DEADLINE):
        """Waits for the wrapper's records after opsdeck exits; returns a dict with rc
        (int or None), stty (text or None), stderr, done (bool)."""
        end = time.monotonic() + deadline
        while not os.path.exists(self.path("done")) and time.monotonic() < end:
            time.sleep(0.1)
        res = {"done": os.path.exists(self.path("done"))}
        for k in ("rc", "stty", "stderr"):
            try:
                with open(self.path(k), encoding="utf-8", errors="replace") as f:
                    res[k] = f.read()
            except OSError:
                res[k] = None
        try:
            res["rc"] = int(res["rc"].strip()) if res["rc"] else None
        except ValueError:
            pass
        res["alt_screen"] = self.tmux("display", "-p", "-t", self.session,
                                      "#{alternate_on}", check=False).strip()
        return res

    def close(self):
        if self.started:
            self.tmux("kill-server", check=False)
            self.started = False
        # kill-server can leave its socket file behind: remove ours (by its exact path)
        if getattr(self, "socket_path", None) and os.path.basename(self.socket_path) == self.sock:
            try:
                os.unlink(self.socket_path)
            except OSError:
                pass
        shutil.rmtree(self.dir, ignore_errors=True)


def stty_sane(stty):
    """Problems in `stty -a` output that say the terminal was left raw (empty list: sane)."""
    if not stty:
        return ["no stty record"]
    words = stty.replace(";", " ").split()
    bad = [f for f in ("icanon", "echo", "isig", "icrnl", "opost") if f"-{f}" in words
           or f not in words]
    return bad


# ---- reading tables off a screen ---------------------------------------------------------

def header_row(rows, *titles):
    """Index of the first row holding every title (a table's header), or -1."""
    return find_row(rows, *titles)


def cell(row, header, title):
    """The text of row under a column title: the word(s) overlapping the title's columns,
    extended to the blanks around them (works for left- and right-aligned cells)."""
    start = header.find(title)
    if start < 0:
        return None
    end = start + len(title)
    row = row.ljust(end)
    seg_s, seg_e = start, end
    while seg_s > 0 and row[seg_s - 1] != " ":
        seg_s -= 1
    while seg_e < len(row) and row[seg_e] != " ":
        seg_e += 1
    return row[seg_s:seg_e].strip()


def table_names(rows, hdr, stop_at):
    """First words of the rows after the header hdr, up to row stop_at (exclusive), skipping
    blank rows: the names a table shows, in screen order."""
    out = []
    for r in rows[hdr + 1:stop_at]:
        w = r.split()
        if w:
            out.append(w[0])
    return out


def boto3_queues(sqs):
    """{name: {"url", "arn", "attrs", "dlq", "visible"}} for every queue, read with the boto3
    client given: what the console's screens are checked against."""
    import json
    out = {}
    for url in sqs.list_queues(MaxResults=1000).get("QueueUrls", []):
        a = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        dlq = (json.loads(a["RedrivePolicy"])["deadLetterTargetArn"].rsplit(":", 1)[1]
               if "RedrivePolicy" in a else None)
        out[url.rsplit("/", 1)[1]] = {"url": url, "arn": a["QueueArn"], "attrs": a,
                                      "dlq": dlq,
                                      "visible": int(a["ApproximateNumberOfMessages"])}
    return out


def display_width(s):
    """Terminal columns of s (wide East Asian characters count 2, combining marks 0)."""
    import unicodedata
    w = 0
    for ch in s:
        if unicodedata.combining(ch):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w
