#!/usr/bin/env python3
"""bench_console.py - what the live console costs on 1000 SQS queues, as a user sees it:

  start-up   time from start to the first frame (split into time on a CPU and time
             waiting for one, with `opsdeck --version` for scale) and to a full sqs table
             (the view's title says every queue is shown), with the CPU and terminal bytes
             it took
  idle       CPU used while the sqs view stays open with nobody typing: (a) at the default
             intervals, polling 1000 queues, and (b) with polling pushed out to a day, the
             loop's own cost (clock, "updated Ns ago")
  refresh    bytes written to the terminal per poll cycle when nothing changed, and for the
             cycle in which one queue's depth changed (ncurses should redraw only that)
  memory     peak RSS (VmHWM) of the console at the end of each run

side by side, in the same run and against the same moto, with what a user would run instead
to get the same table: a sequential boto3 script and the aws CLI loop (both from
bench_snapshot.py, so the two benchmarks measure them the same way).

    python3 tests/bench/bench_console.py --opsdeck build/opsdeck [--queues 1000]
        [--idle-seconds 60] [--quiet-cycles 3] [--cli-sample 20] [--latency-ms N]
        [--cols 120 --rows 40] [--runs default,refresh,nopoll] [--wait-load 0.8]
        [--view sqs|sns|...] [--topics 3] [--out results.md]

Three consoles by default, one after the other: "default" (the default intervals: start-up
and idle CPU while it keeps polling), "refresh" ([intervals] sqs = 2s: bytes per cycle),
"nopoll" (every interval a day: idle CPU of the loop alone). Doc: doc/benchmarks.md,
"Console". BENCH_RAW_DIR=DIR keeps each console's raw terminal output with timestamps.

opsdeck runs in a real pseudo-terminal (TERM=xterm-256color, the window size set with
TIOCSWINSZ) with `--view sqs`; every chunk read from the pty master is timestamped and fed
to a small VT100/xterm screen model below, so the figures are taken from what the screen
shows, not from what the program says about itself. All traffic goes through the counting
proxy (countproxy.py), which also timestamps every request: a poll cycle is the time from
one ListQueues to the next, and the proxy cross-checks that every GetQueueAttributes was
answered before the table counted as full.

--view V (default sqs, whose figures and report are as above) opens another view on the same
1000 queues, to measure what polling costs while that view is open: there is no "N shown of
M" to wait for, so a run waits for V's first frame (the header drawn; for sns, with the seeded
topics on screen), counts that as "full" in the table's rows, then waits (up to --timeout) until every
queue's GetQueueAttributes has been answered once (the queues source's first read of them
all, whatever the view) so that the idle window does not start inside it. The idle row then
names every action (query-protocol ones too: ListTopics, GetTopicAttributes, ...), not only
SQS's. With --view sns, --topics N topics are seeded straight into moto (not counted),
bench-topic-00 subscribed by the first seeded queue over SQS; nobody types, so the topic list
is what is open (no topic's pane). For example, doc/benchmarks.md, "The sns view polling its
subscribers' queues":

    python3 tests/bench/bench_console.py --opsdeck build/opsdeck --view sns --runs default \
        --skip-cli --skip-boto3 --idle-seconds 120

Each console run gets its own XDG_CONFIG_HOME with an opsdeck config written for it
([intervals] only), so the user's own config never leaks in.

Not a test (not in `make check`): it prints figures and asserts nothing about them. moto and
every opsdeck started here are stopped by PID on every exit path (normal, exception,
SIGINT, SIGTERM).
"""
import argparse
import collections
import codecs
import fcntl
import os
import re
import select
import shlex
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
sys.path.insert(0, HERE)
from awsenv import Moto, aws_env, boto3_clients  # noqa: E402
import bench_snapshot  # noqa: E402  (the boto3 and CLI loops, measured the same way)
from countproxy import CountProxy, _Handler  # noqa: E402
from seed import seed_queues  # noqa: E402

# The sqs view's title, "SQS queues  N shown of M" (views/sqs.c). The table is full when
# both numbers are the number of queues seeded. Overridable with --full-regex.
FULL_RE = r"(\d+)\s+shown\s+of\s+(\d+)"
STOP_GRACE = 5.0

# ---- a screen model -------------------------------------------------------------------
# Just enough of xterm for what ncurses sends with TERM=xterm-256color: cursor addressing,
# erase, insert/delete, scroll regions, REP, the DEC line-drawing set, UTF-8 with wide and
# combining characters. Attributes and colours are parsed and ignored: only text matters
# for reading the screen. Unknown sequences are skipped whole.

_DEC_GRAPHICS = dict(zip("`afgjklmnopqrstuvwxyz{|}~",
                         "◆▒°±┘┐┌└┼⎺⎻─⎼⎽├┤┴┬│≤≥π≠£·"))


class Screen:
    def __init__(self, cols, rows):
        self.cols, self.rows = cols, rows
        self.dec = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.state = "ground"
        self.seq = ""
        self.g0_graphics = False
        self.reset()

    def reset(self):
        self.grid = [[" "] * self.cols for _ in range(self.rows)]
        self.x = self.y = 0
        self.top, self.bottom = 0, self.rows - 1
        self.wrap_pending = False
        self.last = " "
        self.saved = (0, 0)
        self.touched = set(range(self.rows))   # rows written since take_touched()

    def take_touched(self):
        """The rows whose cells were written or erased since the last call."""
        t, self.touched = self.touched, set()
        return t

    def text(self, row):
        return "".join(c for c in self.grid[row] if c is not None).rstrip()

    def lines(self):
        return [self.text(r) for r in range(self.rows)]

    # -- input
    def feed(self, data):
        for ch in self.dec.decode(data):
            st = self.state
            if st == "ground":
                if ch == "\x1b":
                    self.state, self.seq = "esc", ""
                elif ch < " " or ch == "\x7f":
                    self._control(ch)
                else:
                    self._print(ch)
            elif st == "esc":
                self._esc(ch)
            elif st == "csi":
                if "\x40" <= ch <= "\x7e":
                    self.state = "ground"
                    self._csi(self.seq, ch)
                elif ch == "\x1b":
                    self.state, self.seq = "esc", ""
                else:
                    self.seq += ch
            elif st == "osc":          # ends with BEL or ST (ESC \)
                if ch == "\x07":
                    self.state = "ground"
                elif ch == "\x1b":
                    self.state = "osc_esc"
            elif st == "osc_esc":
                self.state = "ground" if ch == "\\" else "osc"
            elif st == "charset":      # ESC ( X: designate G0
                self.g0_graphics = ch == "0"
                self.state = "ground"
            elif st == "skip1":        # ESC ) X, ESC # X, ...: one more char, ignored
                self.state = "ground"

    def _control(self, ch):
        if ch == "\r":
            self.x, self.wrap_pending = 0, False
        elif ch in "\n\x0b\x0c":
            self._index()
        elif ch == "\b":
            self.x, self.wrap_pending = max(0, self.x - 1), False
        elif ch == "\t":
            self.x, self.wrap_pending = min(self.cols - 1, (self.x // 8 + 1) * 8), False
        # BEL, SO, SI and the rest: nothing on screen

    def _esc(self, ch):
        self.state = "ground"
        if ch == "[":
            self.state, self.seq = "csi", ""
        elif ch == "]":
            self.state = "osc"
        elif ch == "(":
            self.state = "charset"
        elif ch in ")*+#%":
            self.state = "skip1"
        elif ch == "D":
            self._index()
        elif ch == "E":
            self.x = 0
            self._index()
        elif ch == "M":
            self._reverse_index()
        elif ch == "7":
            self.saved = (self.x, self.y)
        elif ch == "8":
            self.x, self.y = self.saved
            self.wrap_pending = False
        elif ch == "c":
            self.reset()
        # ESC = / ESC > (keypad) and others: no effect on the text

    def _print(self, ch):
        if self.g0_graphics:
            ch = _DEC_GRAPHICS.get(ch, ch)
        if unicodedata.combining(ch):
            px = self.x - 1 if self.x > 0 and not self.wrap_pending else self.x
            if self.grid[self.y][px] is not None:
                self.grid[self.y][px] += ch
            return
        width = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if self.wrap_pending or self.x + width > self.cols:
            self.x, self.wrap_pending = 0, False
            self._index()
        row = self.grid[self.y]
        row[self.x] = ch
        self.touched.add(self.y)
        if width == 2 and self.x + 1 < self.cols:
            row[self.x + 1] = None       # the right half of a wide character
        self.last = ch
        self.x += width
        if self.x >= self.cols:
            self.x, self.wrap_pending = self.cols - 1, True

    def _index(self):
        self.wrap_pending = False
        if self.y == self.bottom:
            self._scroll_up(1)
        elif self.y < self.rows - 1:
            self.y += 1

    def _reverse_index(self):
        self.wrap_pending = False
        if self.y == self.top:
            self._scroll_down(1)
        elif self.y > 0:
            self.y -= 1

    def _blank(self):
        return [" "] * self.cols

    def _scroll_up(self, n, top=None):
        top = self.top if top is None else top
        for _ in range(min(n, self.bottom - top + 1)):
            del self.grid[top]
            self.grid.insert(self.bottom, self._blank())

    def _scroll_down(self, n, top=None):
        top = self.top if top is None else top
        for _ in range(min(n, self.bottom - top + 1)):
            del self.grid[self.bottom]
            self.grid.insert(top, self._blank())

    def _csi(self, seq, final):
        if final in "JKXLMSTr@P":
            self.touched.add(self.y)      # erase/insert/delete/scroll: this row at least
            if final in "JLMST":
                self.touched.update(range(self.y if final != "S" else self.top, self.rows))
        private = seq[:1] in ("?", ">", "<", "=")
        if private:
            seq = seq[1:]
        if any(c in seq for c in " !\"$'"):   # intermediates: DECSTR, DECSCUSR, ...
            return
        try:
            ps = [int(p) if p else 0 for p in seq.split(";")] if seq else []
        except ValueError:
            return

        def p(i=0, default=1):
            v = ps[i] if i < len(ps) else 0
            return v if v else default
        if private:
            if final in "hl" and any(m in ps for m in (47, 1047, 1049)):
                self.grid = [self._blank() for _ in range(self.rows)]   # alternate screen
            return
        self.wrap_pending = False if final not in "m" else self.wrap_pending
        if final in "Hf":
            self.y = min(self.rows - 1, p(0) - 1)
            self.x = min(self.cols - 1, p(1) - 1)
        elif final == "A":
            self.y = max(self.top if self.y >= self.top else 0, self.y - p())
        elif final == "B":
            self.y = min(self.bottom if self.y <= self.bottom else self.rows - 1, self.y + p())
        elif final in "Ca":
            self.x = min(self.cols - 1, self.x + p())
        elif final == "D":
            self.x = max(0, self.x - p())
        elif final == "E":
            self.x, self.y = 0, min(self.rows - 1, self.y + p())
        elif final == "F":
            self.x, self.y = 0, max(0, self.y - p())
        elif final in "G`":
            self.x = min(self.cols - 1, p() - 1)
        elif final == "d":
            self.y = min(self.rows - 1, p() - 1)
        elif final == "J":
            mode = ps[0] if ps else 0
            if mode == 0:
                self.grid[self.y][self.x:] = [" "] * (self.cols - self.x)
                for r in range(self.y + 1, self.rows):
                    self.grid[r] = self._blank()
            elif mode == 1:
                self.grid[self.y][:self.x + 1] = [" "] * (self.x + 1)
                for r in range(self.y):
                    self.grid[r] = self._blank()
            elif mode in (2, 3):
                self.grid = [self._blank() for _ in range(self.rows)]
        elif final == "K":
            mode = ps[0] if ps else 0
            row = self.grid[self.y]
            if mode == 0:
                row[self.x:] = [" "] * (self.cols - self.x)
            elif mode == 1:
                row[:self.x + 1] = [" "] * (self.x + 1)
            else:
                self.grid[self.y] = self._blank()
        elif final == "X":
            n = min(p(), self.cols - self.x)
            self.grid[self.y][self.x:self.x + n] = [" "] * n
        elif final == "@":
            row = self.grid[self.y]
            n = min(p(), self.cols - self.x)
            row[self.x:self.x] = [" "] * n
            del row[self.cols:]
        elif final == "P":
            row = self.grid[self.y]
            n = min(p(), self.cols - self.x)
            del row[self.x:self.x + n]
            row.extend([" "] * n)
        elif final == "L" and self.top <= self.y <= self.bottom:
            self._scroll_down(p(), self.y)
            self.x = 0
        elif final == "M" and self.top <= self.y <= self.bottom:
            self._scroll_up(p(), self.y)
            self.x = 0
        elif final == "S":
            self._scroll_up(p())
        elif final == "T":
            self._scroll_down(p())
        elif final == "r":
            top, bottom = p(0) - 1, p(1, self.rows) - 1
            if 0 <= top < bottom < self.rows:
                self.top, self.bottom = top, bottom
                self.x = self.y = 0
        elif final == "b":                      # REP: the last character again
            for _ in range(min(p(), self.cols * self.rows)):
                self._print(self.last)
        elif final == "s":
            self.saved = (self.x, self.y)
        elif final == "u":
            self.x, self.y = self.saved
        # m (SGR), h/l (modes), n (reports), t, ...: no effect on the text


# ---- the counting proxy, with timestamps ---------------------------------------------

class _TimedHandler(_Handler):
    """Records when each answer went back, and its status, for the request's action."""

    def send_response_only(self, code, message=None):
        proxy = self.server.owner
        proxy._answered(code)
        super().send_response_only(code, message)


class TimedProxy(CountProxy):
    """countproxy.CountProxy, also logging (time, action) of every request and
    (time, action, status) of every answer. Only the SQS JSON actions are named here (the
    X-Amz-Target); everything else is "other" in the log (the base class still counts it
    by name)."""

    def __init__(self, upstream, latency_ms=0):
        super().__init__(upstream, latency_ms)
        self.srv.RequestHandlerClass = _TimedHandler
        self.srv.handle_error = self._handle_error
        self.requests = []      # (monotonic time, action)
        self.named = []         # (monotonic time, action as countproxy names it: query too)
        self.answers = []       # (monotonic time, action, status)
        self._tl = threading.local()

    def _handle_error(self, request, client_address):
        # A console stopped with SIGTERM closes its connections mid-request; the proxy's
        # write then fails. That is the benchmark's doing, not an error worth a traceback.
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        type(self.srv).handle_error(self.srv, request, client_address)

    def _count(self, method, headers, path, body):
        super()._count(method, headers, path, body)
        action = headers.get("X-Amz-Target", "").rsplit(".", 1)[-1] or "other"
        named = self.action_name(method, headers, path, body)
        now = time.monotonic()
        self._tl.action, self._tl.sent = action, now
        with self.lock:
            self.requests.append((now, action))
            self.named.append((now, named))

    def _answered(self, code):
        with self.lock:
            self.answers.append((time.monotonic(), getattr(self._tl, "action", "other"), code,
                                 getattr(self._tl, "sent", 0.0)))

    def drain(self, timeout=60.0):
        """Waits until every request seen has been answered: a console stopped mid-cycle
        leaves requests at moto, whose answers must not be counted for the next one."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.answers) >= len(self.requests):
                    return True
            time.sleep(0.1)
        return False

    def times(self, action, since=0.0, log=None):
        with self.lock:
            return [t for t, a, *_ in (log if log is not None else self.requests)
                    if a == action and t >= since]

    def answered_ok(self, action, since=0.0, until=None):
        """2xx answers to `action` requests sent at or after since, answered by until."""
        with self.lock:
            return sum(1 for t, a, code, sent in self.answers if a == action and sent >= since
                       and (until is None or t <= until) and 200 <= code < 300)


# ---- opsdeck in a pseudo-terminal -----------------------------------------------------

_consoles = set()


class Console:
    """opsdeck in a pty of cols x rows; a thread drains the master, timestamps each chunk
    and feeds the screen model. Stopped by PID (SIGTERM, then SIGKILL)."""

    def __init__(self, argv, env, cols, rows):
        self.argv, self.env, self.cols, self.rows = argv, env, cols, rows
        self.screen = Screen(cols, rows)
        self.chunks = []            # (monotonic time, byte count, rows touched)
        self.lock = threading.Lock()
        self.cond = threading.Condition(self.lock)
        self.proc = None
        self.eof = False
        self.watchers = []          # callables(now) run after each chunk, under the lock
        # BENCH_RAW_DIR=DIR: every chunk, as "@seconds bytes" then the bytes, to
        # DIR/<pid>.raw, to see what a refresh actually sent
        self.raw = None

    def start(self):
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", self.rows, self.cols, 0, 0))
        self.master = master

        def child_setup():
            # a session of its own with the pty as its controlling terminal, as a login
            # shell would give it (SIGWINCH, /dev/tty); Ctrl-C in our terminal is not its
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen(self.argv, env=self.env, stdin=slave, stdout=slave,
                                     stderr=slave, close_fds=True, preexec_fn=child_setup)
        os.close(slave)
        _consoles.add(self)
        if os.environ.get("BENCH_RAW_DIR"):
            self.raw = open(os.path.join(os.environ["BENCH_RAW_DIR"],
                                         f"{self.proc.pid}.raw"), "wb")
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        return self

    def _read(self):
        while True:
            try:
                r, _, _ = select.select([self.master], [], [], 0.5)
                if not r:
                    if self.proc.poll() is not None:
                        break
                    continue
                data = os.read(self.master, 65536)
            except OSError:         # EIO: the slave side is closed, the program is gone
                break
            if not data:
                break
            now = time.monotonic()
            if self.raw:
                self.raw.write(f"\n@{now - self.t0:.6f} {len(data)}\n".encode() + data)
            with self.cond:
                self.screen.feed(data)
                self.chunks.append((now, len(data), frozenset(self.screen.take_touched())))
                for w in list(self.watchers):
                    w(now)
                self.cond.notify_all()
        with self.cond:
            self.eof = True
            self.cond.notify_all()

    def wait_for(self, pred, timeout):
        """Waits until pred() (called under the lock) is true, the program is gone, or the
        timeout; returns pred()'s last value."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                v = pred()
                if v or self.eof:
                    return v
                left = deadline - time.monotonic()
                if left <= 0:
                    return v
                self.cond.wait(min(left, 0.5))

    def bytes_between(self, a, b):
        with self.lock:
            return sum(n for t, n, _ in self.chunks if a <= t < b)

    def writes_between(self, a, b):
        with self.lock:
            return sum(1 for t, _, _ in self.chunks if a <= t < b)

    def rows_between(self, a, b):
        """Screen rows written between a and b, sorted."""
        with self.lock:
            return sorted(set().union(*[r for t, _, r in self.chunks if a <= t < b]))

    def lines(self):
        with self.lock:
            return self.screen.lines()

    def cpu_seconds(self):
        """utime + stime of the console so far, from /proc/PID/stat (None once gone)."""
        try:
            with open(f"/proc/{self.proc.pid}/stat", encoding="ascii") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            return None

    def sched(self):
        """(seconds on a CPU, seconds runnable but waiting for one), ns precision: the sums
        of /proc/PID/task/*/schedstat's first two fields over the live threads. The first is
        finer than /proc/PID/stat's 10 ms ticks; the second is what a busy machine adds to
        a wall time."""
        run = wait = 0
        try:
            tasks = os.listdir(f"/proc/{self.proc.pid}/task")
        except OSError:
            return None
        for tid in tasks:
            try:
                with open(f"/proc/{self.proc.pid}/task/{tid}/schedstat", encoding="ascii") as f:
                    fields = f.read().split()
                run += int(fields[0])
                wait += int(fields[1])
            except (OSError, ValueError, IndexError):
                pass
        return run / 1e9, wait / 1e9

    def run_seconds(self):
        s = self.sched()
        return s[0] if s else None

    def status_kb(self, key):
        try:
            with open(f"/proc/{self.proc.pid}/status", encoding="ascii") as f:
                for line in f:
                    if line.startswith(key + ":"):
                        return int(line.split()[1])
        except (OSError, ValueError, IndexError):
            pass
        return None

    def stop(self):
        """SIGTERM (the console quits cleanly on it), SIGKILL after a grace. Idempotent.
        Returns the exit status."""
        p = self.proc
        if p is None:
            return None
        if p.poll() is None:
            try:
                p.send_signal(signal.SIGTERM)
                p.wait(timeout=STOP_GRACE)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(timeout=STOP_GRACE)
            except ProcessLookupError:
                pass
        self.reader.join(timeout=2)
        if self.raw:
            self.raw.close()
        try:
            os.close(self.master)
        except OSError:
            pass
        _consoles.discard(self)
        return p.returncode


def _stop_consoles():
    for c in list(_consoles):
        c.stop()


def _on_signal(signum, _frame):
    # Unwind through every `finally` and `with` (moto, proxy, consoles); exit 128+signal.
    raise SystemExit(128 + signum)


# ---- the runs -------------------------------------------------------------------------

def write_config(intervals):
    """A fresh XDG_CONFIG_HOME holding opsdeck/config with these [intervals]."""
    xdg = tempfile.mkdtemp(prefix="bench-console-xdg-")
    os.makedirs(os.path.join(xdg, "opsdeck"))
    path = os.path.join(xdg, "opsdeck", "config")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write("# written by tests/bench/bench_console.py\n")
        if intervals:
            f.write("[intervals]\n")
            for k, v in intervals.items():
                f.write(f"{k} = {v}\n")
    return xdg


def console_env(base_env, xdg):
    env = dict(base_env)
    for k in ("OPSDECK_SCRIPT", "OPSDECK_TEST_NOW", "COLUMNS", "LINES", "NO_COLOR"):
        env.pop(k, None)
    env.update(TERM="xterm-256color", XDG_CONFIG_HOME=xdg, LC_ALL="C.UTF-8", LANG="C.UTF-8")
    return env


def start_console(a, proxy, base_env, intervals, nqueues, label):
    """Starts opsdeck --view sqs and waits for the full table; with --view V (not sqs), waits
    for V's first frame with every name in a.ready_names on screen (the seeded topics for
    sns) and counts that as "full". Returns (console, figures)."""
    xdg = write_config(intervals)
    env = console_env(base_env, xdg)
    full_re = re.compile(a.full_regex)
    view = a.view
    ready = list(getattr(a, "ready_names", []) or [])
    con = Console([a.opsdeck, "--view", view], env, a.cols, a.rows)
    marks = {}

    def watch(now):
        scr = con.screen
        if "first_byte" not in marks:
            marks["first_byte"] = now
        if "first_frame" not in marks and scr.text(0).strip():
            marks["first_frame"] = now      # the header row has something on it
            marks["ff_sched"] = con.sched()
        if view != "sqs":
            if "full" not in marks and "first_frame" in marks:
                text = "\n".join(scr.lines())
                if all(n in text for n in ready):
                    marks["full"] = now
                    marks["full_line"] = (f"{view} view drawn, {len(ready)} seeded names "
                                          f"on screen")
                    marks["full_cpu"] = con.cpu_seconds()
                else:
                    marks["last_title"] = scr.text(0).strip()
            return
        if "full" not in marks:
            for line in scr.lines():
                m = full_re.search(line)
                if m and all(int(g) == nqueues for g in m.groups()):
                    marks["full"] = now
                    marks["full_line"] = line.strip()
                    marks["full_cpu"] = con.cpu_seconds()
                    break
            else:
                for line in scr.lines():
                    m = full_re.search(line)
                    if m:
                        marks["last_title"] = line.strip()
    con.watchers.append(watch)
    t_req = time.monotonic()
    con.start()
    con.wait_for(lambda: "full" in marks, a.timeout)
    fig = {"label": label, "intervals": intervals, "xdg": xdg}
    if "full" not in marks:
        time.sleep(0.5)
        fig["failed"] = (f"no full table within {a.timeout:.0f} s "
                         f"(exit status {con.proc.poll()}; title seen: "
                         f"{marks.get('last_title', 'none')!r}); screen:\n"
                         + "\n".join("    " + x for x in con.lines() if x.strip()))
        return con, fig
    t0 = con.t0
    gqa_sent = len(proxy.times("GetQueueAttributes", since=t_req))
    gqa_ok = proxy.answered_ok("GetQueueAttributes", since=t_req, until=marks["full"])
    lq = proxy.times("ListQueues", since=t_req)
    fig.update(
        first_byte_ms=(marks["first_byte"] - t0) * 1000,
        first_frame_ms=(marks["first_frame"] - t0) * 1000 if "first_frame" in marks else None,
        ff_run_ms=marks["ff_sched"][0] * 1000 if marks.get("ff_sched") else None,
        ff_wait_ms=marks["ff_sched"][1] * 1000 if marks.get("ff_sched") else None,
        full_s=marks["full"] - t0,
        full_line=marks["full_line"],
        full_cpu=marks["full_cpu"],
        full_bytes=con.bytes_between(t0, marks["full"] + 1e-9),
        gqa_ok_at_full=gqa_ok, gqa_sent=gqa_sent,
        listqueues_first_ms=(lq[0] - t0) * 1000 if lq else None,
        t_full=marks["full"])
    if view != "sqs":
        # Not a table of queues: the idle window must not start inside the console's first
        # read of every queue (the queues source reads them all once, whatever the view), so
        # wait for GetQueueAttributes answered for every queue since the start, if it comes.
        deadline = time.monotonic() + a.timeout
        while (proxy.answered_ok("GetQueueAttributes", since=t_req) < nqueues
               and time.monotonic() < deadline):
            time.sleep(0.2)
        done = proxy.answered_ok("GetQueueAttributes", since=t_req)
        fig["first_pass_s"] = (time.monotonic() - t0) if done >= nqueues else None
        fig["first_pass_gqa"] = done
    return con, fig


def phase_idle(con, proxy, seconds, settle, named=False):
    """CPU and terminal bytes over `seconds` with nobody typing. named: requests by
    countproxy's name for every action (query-protocol ones too), not only SQS's."""
    time.sleep(settle)
    c0, n0, t0 = con.cpu_seconds(), con.run_seconds(), time.monotonic()
    r0 = len(proxy.times("GetQueueAttributes", since=0))
    time.sleep(seconds)
    c1, n1, t1 = con.cpu_seconds(), con.run_seconds(), time.monotonic()
    if c0 is None or c1 is None:
        return {"failed": f"the console exited during the idle window (status {con.proc.poll()})"}
    span = t1 - t0
    run = (n1 - n0) if n0 is not None and n1 is not None else None
    with proxy.lock:
        sent = collections.Counter(a for t, a in (proxy.named if named else proxy.requests)
                                   if t0 <= t < t1)
    return {"seconds": span, "cpu": c1 - c0, "core_pct": (c1 - c0) / span * 100,
            "cpu_per_min": (c1 - c0) / span * 60,
            "sched_pct": run / span * 100 if run is not None else None,
            "bytes": con.bytes_between(t0, t1), "writes": con.writes_between(t0, t1),
            "gqa": len(proxy.times("GetQueueAttributes", since=0)) - r0,
            "per_min": sum(sent.values()) / span * 60,
            "by_action": ", ".join(f"{a} {n / span * 60:.0f}" for a, n in sent.most_common()),
            "cycles": len([t for t in proxy.times("ListQueues") if t0 <= t < t1])}


def _queue_row(con, names):
    """(row index, text, name) of the first table row that shows a seeded queue name."""
    for i, ln in enumerate(con.lines()):
        for w in ln.split():
            if w in names:
                return i, ln, w
    return None


def phase_refresh(a, con, proxy, endpoint):
    """Bytes per poll cycle (ListQueues to ListQueues) when nothing changes, then for the
    cycle in which one visible queue's depth changes."""
    out = {"quiet": []}
    timeout = a.timeout
    # cycles completed after the full table: wait for quiet_cycles + 1 cycle starts
    start = time.monotonic()

    def starts():
        return proxy.times("ListQueues", since=start)
    deadline = start + timeout * (a.quiet_cycles + 1)
    while len(starts()) < a.quiet_cycles + 1 and time.monotonic() < deadline:
        time.sleep(0.2)
    s = starts()
    for i in range(len(s) - 1):
        out["quiet"].append({"bytes": con.bytes_between(s[i], s[i + 1]),
                             "writes": con.writes_between(s[i], s[i + 1]),
                             "rows": con.rows_between(s[i], s[i + 1]),
                             "seconds": s[i + 1] - s[i]})
    if len(out["quiet"]) < a.quiet_cycles:
        out["failed"] = f"only {len(out['quiet'])} poll cycles in {timeout * (a.quiet_cycles + 1):.0f} s"
        return out
    # one number changes: a message into the first queue shown in the table
    names = set(a.queue_names)
    row = _queue_row(con, names)
    if not row:
        out["failed"] = "no seeded queue name on the screen to change"
        return out
    y, before, name = row
    sqs = boto3_clients(endpoint, services=("sqs",))["sqs"]   # straight to moto: not counted
    t_send = time.monotonic()
    sqs.send_message(QueueUrl=a.queue_urls[name], MessageBody="bench_console: one more")

    def changed():
        for i, ln in enumerate(con.screen.lines()):
            if name in ln.split():
                return (i, ln) if ln != before else None
        return ("gone", None)
    res = con.wait_for(changed, timeout * 2)
    if not res:
        out["failed"] = f"queue {name}'s row did not change within {timeout * 2:.0f} s of the send"
        return out
    t_change = time.monotonic()
    with con.lock:
        # the chunk that changed it: the last one at or before now
        t_change = max((t for t, _, _ in con.chunks if t >= t_send), default=t_change)
    # the cycle that holds the change: from the last ListQueues before it to the next one
    while time.monotonic() < t_change + timeout and not [t for t in proxy.times("ListQueues") if t > t_change]:
        time.sleep(0.2)
    lq = proxy.times("ListQueues")
    c0 = max((t for t in lq if t <= t_change), default=None)
    c1 = min((t for t in lq if t > t_change), default=None)
    if c0 is None or c1 is None:
        out["failed"] = "the cycle around the change did not complete"
        return out
    out["change"] = {"queue": name, "row": y, "row_after": res[0], "before": before.strip(),
                     "after": (res[1] or "").strip(), "bytes": con.bytes_between(c0, c1),
                     "writes": con.writes_between(c0, c1), "seconds": c1 - c0,
                     "rows": con.rows_between(c0, c1),
                     "visible_ms": (t_change - t_send) * 1000}
    return out


def run_console(a, proxy, env, intervals, label, do_idle=False, do_refresh=False, endpoint=None):
    con, fig = start_console(a, proxy, env, intervals, a.queues, label)
    try:
        if "failed" in fig:
            return fig
        if do_idle:
            fig["idle"] = phase_idle(con, proxy, a.idle_seconds, a.settle,
                                     named=a.view != "sqs")
        if do_refresh:
            fig["refresh"] = phase_refresh(a, con, proxy, endpoint)
        fig["rss_kb"] = con.status_kb("VmHWM")
        fig["final_screen"] = con.lines()
        # a sanity check of the screen model: seeded queue names it shows in the table
        names = set(a.queue_names)
        fig["names_on_screen"] = sum(1 for ln in fig["final_screen"] for w in ln.split()
                                     if w in names)
    finally:
        fig["exit"] = con.stop()
        shutil.rmtree(fig["xdg"], ignore_errors=True)
        proxy.drain()
    return fig


def start_floor(opsdeck, env, n=5):
    """`opsdeck --version` n times: the cost of starting the program at all (loading
    libcurl, OpenSSL, libxml2, GLib...), which every first frame includes. Returns
    (median wall ms, min wall ms, peak RSS KiB, median CPU ms). CPU from wait4's rusage
    (microseconds, not ticks); RSS from time(1) as for boto3 and the CLI, since a child's
    ru_maxrss starts from the forking Python's."""
    walls, cpus, rss = [], [], None
    for _ in range(n):
        t0 = time.monotonic()
        p = subprocess.Popen([opsdeck, "--version"], env=env, stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _pid, status, ru = os.wait4(p.pid, 0)
        walls.append((time.monotonic() - t0) * 1000)
        p.returncode = os.waitstatus_to_exitcode(status)   # reaped here, not by Popen
        if p.returncode != 0:
            return None
        cpus.append((ru.ru_utime + ru.ru_stime) * 1000)
    rss = bench_snapshot.run_measured([opsdeck, "--version"], env)[2]
    return statistics.median(walls), min(walls), rss, statistics.median(cpus)


def seed_topics(a, endpoint):
    """--view sns: a.topics topics straight into moto (not counted), the first subscribed by
    the first seeded queue over SQS; a.ready_names are the topic names the view must show."""
    c = boto3_clients(endpoint, services=("sns", "sqs"))
    q0 = a.queue_names[0]
    q_arn = c["sqs"].get_queue_attributes(QueueUrl=a.queue_urls[q0],
                                          AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    a.topic_arns, a.ready_names = [], []
    for i in range(a.topics):
        name = f"bench-topic-{i:02d}"
        arn = c["sns"].create_topic(Name=name)["TopicArn"]
        a.topic_arns.append(arn)
        a.ready_names.append(name)
        if i == 0:
            c["sns"].subscribe(TopicArn=arn, Protocol="sqs", Endpoint=q_arn)
    print(f"seeded {a.topics} SNS topics; {a.ready_names[0]} -> SQS {q0}", file=sys.stderr)


# ---- reporting ------------------------------------------------------------------------

def machine():
    out = [f"nproc {os.cpu_count()}"]
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("model name"):
                    out.append("CPU " + line.split(":", 1)[1].strip())
                    break
    except OSError:
        pass
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            out.append(f"MemTotal {int(f.readline().split()[1]) / 1048576:.1f} GiB")
    except (OSError, ValueError, IndexError):
        pass
    out.append("Linux " + os.uname().release)
    out.append("Python " + sys.version.split()[0])
    try:
        import moto
        out.append("moto " + moto.__version__)
    except (ImportError, AttributeError):
        pass
    try:
        import boto3
        out.append("boto3 " + boto3.__version__)
    except ImportError:
        pass
    return "; ".join(out)


def _rows(rows):
    return ",".join(str(r) for r in rows) or "none"


def _f(v, fmt, none="–"):
    return none if v is None else format(v, fmt)


def report(a, runs, boto3_row, cli_row, started, host, load0, seed_s, floor):
    A = runs.get("default")
    B = runs.get("refresh")
    C = runs.get("nopoll")
    L = []
    lat = (f"+{a.latency_ms:g} ms per request at the proxy" if a.latency_ms
           else "no added latency (moto-bound)")
    extra = (f" and {len(a.topic_arns)} SNS topics (one with an SQS subscription)"
             if getattr(a, "topic_arns", None) else "")
    L.append(f"Console on {a.queues} SQS queues{extra} in moto, {lat}; opsdeck --view {a.view} "
             f"in a {a.cols}x{a.rows} pty, TERM=xterm-256color")
    L.append("")
    for r in runs.values():
        if "failed" in r:
            L.append(f"- run {r['label']}: FAILED: {r['failed']}")
    L.append("| figure | opsdeck console | target | boto3, sequential script | aws CLI loop |")
    L.append("|---|---:|---|---:|---:|")

    def ok(r):
        return r is not None and "failed" not in r
    starts = [r for r in runs.values() if ok(r)]

    def each(key, fmt):
        vals = [r.get(key) for r in starts]
        return " / ".join(_f(v, fmt) for v in vals) if vals else "–"
    star = "*" if cli_row and cli_row.get("extrapolated") else ""
    cli = cli_row or {}
    L.append(f"| first frame, ms (header drawn; each run) | {each('first_frame_ms', '.1f')} "
             f"| < 50 | – | – |")
    ffs = " / ".join(f"{_f(r.get('ff_run_ms'), '.1f')} + {_f(r.get('ff_wait_ms'), '.1f')}"
                     for r in starts) or "–"
    L.append(f"| … of which on a CPU + runnable but waiting for a CPU, ms (schedstat, read "
             f"as the frame arrived) | {ffs} | | – | – |")
    L.append(f"| first byte on the terminal, ms | {each('first_byte_ms', '.1f')} | | – | – |")
    if floor:
        L.append(f"| … for scale: `opsdeck --version` start to exit, ms (median / min of 5); "
                 f"its CPU ms (median); peak RSS MB | {floor[0]:.1f} / {floor[1]:.1f}; "
                 f"{floor[3]:.1f}; {_f(floor[2] / 1024 if floor[2] else None, '.1f')} "
                 f"| | – | – |")
    full_what = ("full sqs table, s (title shows all; each run)" if a.view == "sqs" else
                 f"{a.view} view drawn with the seeded names, s (each run)")
    L.append(f"| {full_what} | {each('full_s', '.2f')} | | "
             f"{_f(boto3_row.get('wall'), '.2f')} (wall) | {_f(cli.get('wall'), '.1f')}{star} (wall) |")
    L.append(f"| CPU s to the full table (user+sys) | {each('full_cpu', '.2f')} | | "
             f"{_f(boto3_row.get('cpu'), '.2f')} | {_f(cli.get('cpu'), '.1f')}{star} |")
    cli_gqa = (f"{cli['measured']['queues']} (sampled)" if star
               else str(cli.get("actions", {}).get("GetQueueAttributes", "–")))
    L.append(f"| GetQueueAttributes answered 2xx when the title said full | "
             f"{each('gqa_ok_at_full', 'd')} | {a.queues} | "
             f"{boto3_row.get('actions', {}).get('GetQueueAttributes', '–')} | {cli_gqa} |")
    L.append(f"| terminal bytes to the full table | {each('full_bytes', 'd')} | | – | – |")
    if a.view != "sqs":
        L.append(f"| {a.view} view: every queue's GetQueueAttributes answered (the first pass, "
                 f"before the idle window), s; answered | {each('first_pass_s', '.1f')}; "
                 f"{each('first_pass_gqa', 'd')} | | – | – |")
    if ok(A) and "idle" in A and "failed" not in A["idle"]:
        i = A["idle"]
        per = (boto3_row["cpu"] / 10 * 60) if boto3_row.get("cpu") is not None else None
        L.append(f"| idle, default intervals (10 s): CPU % of a core / CPU s per min | "
                 f"{i['core_pct']:.2f} % / {i['cpu_per_min']:.2f} (schedstat: "
                 f"{_f(i['sched_pct'], '.2f')} %) | < 1 % | "
                 f"{_f(per, '.1f')} s/min† | – |")
        L.append(f"| … over the window: s, polls (ListQueues), GetQueueAttributes, terminal bytes | "
                 f"{i['seconds']:.0f} s, {i['cycles']}, {i['gqa']}, {i['bytes']} | | | |")
        other = ("query-protocol calls are \"other\"" if a.view == "sqs"
                 else "every action named")
        L.append(f"| … every request reaching the server, per minute (by action; {other}) "
                 f"| {i['per_min']:.0f} ({i['by_action']}) | <= 600 | | |")
    if ok(C) and "idle" in C and "failed" not in C["idle"]:
        i = C["idle"]
        L.append(f"| idle, polling off (intervals 1d): CPU % of a core / CPU s per min | "
                 f"{i['core_pct']:.3f} % / {i['cpu_per_min']:.3f} (schedstat: "
                 f"{_f(i['sched_pct'], '.4f')} %) | < 1 % | – | – |")
        L.append(f"| … terminal bytes per minute, writes per minute | "
                 f"{i['bytes'] / i['seconds'] * 60:.0f}, {i['writes'] / i['seconds'] * 60:.0f} | | | |")
    if ok(B) and "refresh" in B:
        rf = B["refresh"]
        q = rf.get("quiet", [])
        if q:
            qb = [x["bytes"] for x in q]
            L.append(f"| terminal bytes per quiet refresh (poll cycle; each cycle) | "
                     f"{' / '.join(str(x) for x in qb)} (median {statistics.median(qb):.0f}) | "
                     f"< 2048 | – | – |")
            L.append(f"| … poll cycle length with sqs = {a.sqs_interval}, s | "
                     + " / ".join(f"{x['seconds']:.1f}" for x in q) + " | | | |")
        if "change" in rf:
            c = rf["change"]
            L.append(f"| terminal bytes for the cycle where one queue's depth changed | "
                     f"{c['bytes']} ({c['writes']} writes, {c['seconds']:.1f} s) | < 2048 | – | – |")
        if "failed" in rf:
            L.append(f"| refresh measurement | FAILED: {rf['failed']} | | | |")
    rss = " / ".join(f"{r['rss_kb'] / 1024:.1f}" for r in starts if r.get("rss_kb")) or "–"
    b_rss = f"{boto3_row['rss_kb'] / 1024:.1f}" if boto3_row.get("rss_kb") else "–"
    c_rss = f"{cli['rss_kb'] / 1024:.1f}" if cli.get("rss_kb") else "–"
    L.append(f"| peak RSS MB (VmHWM at the end of each run) | {rss} | < 30 | {b_rss} | "
             f"{c_rss} (one process) |")
    L.append("")
    L.append("Runs (each a fresh console; figures joined by / are in this order): "
             + "; ".join(f"{r['label']} ([intervals] "
                         + (", ".join(f"{k} = {v}" for k, v in r["intervals"].items()) or "defaults")
                         + ")" for r in runs.values()))
    if cli_row and cli_row.get("extrapolated"):
        m = cli_row["measured"]
        L.append(f"* aws CLI EXTRAPOLATED linearly {cli_row['extrapolated']}: measured "
                 f"{m['invocations']} CLI processes, {m['wall']:.2f} s wall, {m['cpu']:.2f} s CPU.")
    elif cli_row and "unavailable" in cli_row:
        L.append(f"aws CLI: unavailable: {cli_row['unavailable']}")
    if "unavailable" in boto3_row:
        L.append(f"boto3: unavailable: {boto3_row['unavailable']}")
    L.append("† derived, not measured: the boto3 script's CPU for one full pass, repeated every "
             "10 s as a watch loop would, per minute.")
    for r in runs.values():
        if ok(r):
            L.append(f"Title when full ({r['label']}): \"{r['full_line']}\"; seeded queue names "
                     f"on the screen model at the end: {r['names_on_screen']}; exit status after "
                     f"SIGTERM: {r['exit']}.")
    if ok(B) and "change" in B.get("refresh", {}):
        c = B["refresh"]["change"]
        L.append(f"Changed queue {c['queue']} (screen row {c['row']} -> {c['row_after']}), on "
                 f"screen {c['visible_ms'] / 1000:.1f} s after the send_message: "
                 f"\"{c['before']}\" -> \"{c['after']}\"; rows written in that cycle: "
                 f"{_rows(c['rows'])}.")
    if ok(B) and B.get("refresh", {}).get("quiet"):
        L.append("Rows written in each quiet cycle: "
                 + " / ".join(_rows(x["rows"]) for x in B["refresh"]["quiet"])
                 + f" (row 0 is the header, row {a.rows - 1} the status line).")
    L.append("")
    L.append(f"Run {started}; {host}; seeding took {seed_s:.1f} s; load average at start "
             f"{load0[0]:.2f} {load0[1]:.2f} {load0[2]:.2f}, at the end "
             + "%.2f %.2f %.2f" % os.getloadavg() + ".")
    L.append(f"Command: {' '.join(shlex.quote(x) for x in sys.argv)}")
    return "\n".join(L) + "\n"


def main():
    ap = argparse.ArgumentParser(description="the opsdeck console on 1000 queues: start-up, "
                                 "idle CPU, terminal bytes per refresh, RSS; vs boto3 and the aws CLI")
    ap.add_argument("--opsdeck", default=os.environ.get("OPSDECK"), help="opsdeck binary ($OPSDECK)")
    ap.add_argument("--queues", type=int, default=1000)
    ap.add_argument("--cols", type=int, default=120)
    ap.add_argument("--rows", type=int, default=40)
    ap.add_argument("--idle-seconds", type=float, default=60.0,
                    help="length of each idle CPU window (default 60)")
    ap.add_argument("--settle", type=float, default=3.0,
                    help="seconds after the full table before an idle window starts")
    ap.add_argument("--quiet-cycles", type=int, default=3,
                    help="poll cycles measured with nothing changing (default 3)")
    ap.add_argument("--sqs-interval", default="2s",
                    help="[intervals] sqs for the refresh run (default 2s, the minimum)")
    ap.add_argument("--cli-sample", type=int, default=20,
                    help="aws CLI: time list-queues + N get-queue-attributes and extrapolate "
                         "(0: all queues, 15-25 minutes)")
    ap.add_argument("--skip-cli", action="store_true")
    ap.add_argument("--skip-boto3", action="store_true")
    ap.add_argument("--runs", default="default,refresh,nopoll",
                    help="console runs, comma-separated: default (idle CPU at default "
                         "intervals), refresh (bytes per refresh), nopoll (idle CPU, polling off)")
    ap.add_argument("--latency-ms", type=float, default=0.0)
    ap.add_argument("--timeout", type=float, default=120.0,
                    help="longest wait for any one thing (full table, a poll cycle)")
    ap.add_argument("--full-regex", default=FULL_RE,
                    help="the title's 'N shown of M' (groups must all equal --queues)")
    ap.add_argument("--wait-load", type=float, default=0.0,
                    help="first wait (up to 5 min) for the 1-minute load average to fall under this")
    ap.add_argument("--view", default="sqs",
                    help="the view the console opens (default sqs). Another view skips the "
                         "full-table wait: it waits for the view's first frame (for sns: with "
                         "the seeded topics on screen); sns also seeds --topics topics")
    ap.add_argument("--topics", type=int, default=3,
                    help="with --view sns: SNS topics seeded (straight into moto), the first "
                         "with an SQS subscription to the first queue (default 3)")
    ap.add_argument("--out", help="also write the table as markdown here")
    a = ap.parse_args()
    if not a.opsdeck or not os.access(a.opsdeck, os.X_OK):
        ap.error(f"no executable opsdeck at {a.opsdeck!r} (--opsdeck or $OPSDECK)")
    a.opsdeck = os.path.abspath(a.opsdeck)
    wanted = [x.strip() for x in a.runs.split(",") if x.strip()]
    bad = [x for x in wanted if x not in ("default", "refresh", "nopoll")]
    if bad:
        ap.error(f"unknown run(s): {', '.join(bad)}")

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _on_signal)      # before Moto(): it then leaves ours in place
    if a.wait_load:
        until = time.monotonic() + 300
        while os.getloadavg()[0] >= a.wait_load and time.monotonic() < until:
            time.sleep(10)
    started = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    load0 = os.getloadavg()
    host = machine()
    runs = {}
    boto3_row, cli_row, floor, seed_s = {}, None, None, 0.0
    try:
        with Moto() as moto, TimedProxy(moto.endpoint, a.latency_ms) as proxy:
            t = time.monotonic()
            seeded = seed_queues(moto.endpoint, a.queues)
            seed_s = time.monotonic() - t
            a.queue_urls = seeded["queues"]
            a.queue_names = list(seeded["queues"])
            if len(a.queue_names) != a.queues:
                print(f"seeded {len(a.queue_names)} queues, not {a.queues}", file=sys.stderr)
                a.queues = len(a.queue_names)
            print(f"seeded {a.queues} queues in {seed_s:.1f} s (moto {moto.endpoint}, "
                  f"proxy {proxy.endpoint})", file=sys.stderr)
            if a.view == "sns":
                seed_topics(a, moto.endpoint)
            env = aws_env(proxy.endpoint)
            floor = start_floor(a.opsdeck, env)
            plan = {"default": {},
                    "refresh": {"sqs": a.sqs_interval},
                    "nopoll": {"default": "1d"}}
            for name in wanted:
                r = run_console(a, proxy, env, plan[name], name,
                                do_idle=name in ("default", "nopoll"),
                                do_refresh=name == "refresh", endpoint=moto.endpoint)
                runs[name] = r
                print(f"console run {name}: {r.get('failed', 'done')}", file=sys.stderr)
            if not a.skip_boto3:
                boto3_row = bench_snapshot.bench_boto3(proxy, env)
                print("boto3: done", file=sys.stderr)
            if not a.skip_cli:
                cli_row = bench_snapshot.bench_cli(proxy, env, a.queues, a.cli_sample)
                print("aws CLI: done", file=sys.stderr)
    finally:
        _stop_consoles()
    md = report(a, runs, boto3_row, cli_row, started, host, load0, seed_s, floor)
    print(md)
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            f.write(md)
    for r in runs.values():
        if r.get("final_screen") and os.environ.get("BENCH_SHOW_SCREEN"):
            print(f"--- final screen of run {r['label']} ---")
            print("\n".join(r["final_screen"]))
    return 1 if any("failed" in r for r in runs.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
