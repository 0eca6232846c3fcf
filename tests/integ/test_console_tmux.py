"""test_console_tmux.py - the console on a real terminal: tmux (a private server per case).

opsdeck runs in a tmux pane inside a shell wrapper that, after opsdeck exits, records its
exit code and `stty -a`; tmux says whether the pane is still on the alternate screen. Keys go
in with send-keys, the screen comes back with capture-pane, polled until a text appears (a
deadline for waiting, never an assertion on time). Cases: start at 80x24, every view by
number key and by `:` command, the filter, a resize to 120x40, quitting with :q and with q,
and every signal that ends the process (SIGQUIT SIGABRT SIGSEGV SIGBUS SIGFPE SIGILL SIGTERM
SIGHUP SIGINT, and SIGUSR1 SIGALRM SIGPIPE of the same class) sent from outside, plus Ctrl-\
and Ctrl-C typed on the terminal: each leaves the terminal sane (icanon, echo, isig back;
alternate screen left) with the exit status the signal means. TERM=dumb (and an unknown
TERM) is refused with one line pointing at `opsdeck snapshot`; in LANG=C non-ASCII names are
shown as \\u{...} escapes, aligned, and no byte above 0x7F reaches the terminal.
The live demo has its own test, test_console_demo.py."""
import os
import signal
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awsenv import Moto, aws_env  # noqa: E402
from console import OPSDECK, Tmux, console_env, stty_sane  # noqa: E402
from hostile import Hostile  # noqa: E402
from seed import seed  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()
NAMES = 18  # the first column: queue names, cut at 80 columns
HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.environ.get("TOP_SRCDIR", os.path.dirname(os.path.dirname(HERE)))


def show(rows):
    return "\n".join(rows)


def started(tm, what):
    ok, rows = tm.wait_for(lambda rs: any("us-east-1" in r for r in rs[:1]) and
                           any("updated" in r for r in rs))
    return t.ok(ok, f"{what}: the console starts (header with the region, data loaded)",
                show(rows) + "\nstderr: " + str(tm.wait_exit(0).get("stderr")))


def terminal_restored(tm, what, want_rc=0):
    st = tm.wait_exit()
    t.ok(st["done"] and (want_rc is None or st["rc"] == want_rc),
         f"{what}: opsdeck exits" + (f" with status {want_rc}" if want_rc is not None else ""),
         f"{st}")
    t.eq(stty_sane(st["stty"]), [], f"{what}: the terminal is back in cooked mode "
         "(icanon echo isig icrnl opost)")
    t.eq(st["alt_screen"], "0", f"{what}: the alternate screen is left")
    rows = tm.capture()
    t.ok(not any("us-east-1" in r and "default" in r for r in rows[:1]),
         f"{what}: the console's screen is gone from the terminal", show(rows))


def navigate(env):
    with Tmux() as tm:
        tm.start(env, [OPSDECK], 80, 24)
        if not started(tm, "80x24"):
            return
        # each view's title row (row 1) says which view it is
        steps = [("2", "SQS queues  26 shown of 26", "2 opens the sqs view"),
                 ("3", "Dead-letter queues  3 holding messages", "3 opens the dlq view"),
                 ("1", "Dead-letter queues holding messages", "1 opens the overview")]
        screens = {}
        for key, title, what in steps:
            tm.text(key)
            # kept to compare with below: a finished screen, not one caught mid-redraw
            ok, rows = tm.wait_settled(lambda rs, x=title: rs[1].startswith(x),
                                       key=lambda rs: [r[:NAMES] for r in rs[1:-2]])
            screens[key] = rows
            t.ok(ok, f"tmux: {what}", show(rows))
        for cmd, key in (("sqs", "2"), ("dlq", "3"), ("overview", "1")):
            tm.text(f":{cmd}")
            tm.keys("Enter")
            # the same view: the same title and the same rows by name (the numbers, the
            # metrics and the sparklines move with each poll, more so on a loaded machine)
            # (the overview: the same section headings; its sections fill in as their
            # sources are first read, so their items may differ)
            def same(rs, k=key):
                if k == "1":
                    return ([r[:NAMES] for r in rs[1:-2] if r and not r.startswith(" ")] ==
                            [r[:NAMES] for r in screens[k][1:-2] if r and not r.startswith(" ")])
                return (rs[1][:20] == screens[k][1][:20] and
                        [r[:NAMES] for r in rs[2:-2]] == [r[:NAMES] for r in screens[k][2:-2]])
            ok, rows = tm.wait_for(same)
            t.ok(ok, f"tmux: :{cmd} shows the view of key {key}",
                 show(rows) + f"\n--- what key {key} showed:\n" + show(screens[key]))
        # filter in the sqs view
        tm.text("2")
        tm.wait_for("search-indexer")
        tm.text("/orders")
        tm.keys("Enter")
        ok, rows = tm.wait_for(lambda rs: any("orders-intake" in r for r in rs) and
                               not any("search-indexer" in r for r in rs))
        t.ok(ok, "tmux: /orders keeps orders-intake and hides search-indexer", show(rows))
        # resize: the layout uses the new width and height. At 80 columns the longest queue
        # name is cut; at 120 it fits.
        long = "customer-profile-updates.fifo"
        tm.text("/")
        tm.keys("Escape")   # Esc in the filter prompt clears the filter: every queue again
        # 16 columns for names at 80: the numbers keep their room, each sortable column
        # has room for its title and the sort mark
        ok, rows = tm.wait_for(lambda rs: any(long[:15] + "\u2026" in r for r in rs))
        t.ok(ok and not any(long in r for r in rows),
             f"tmux: at 80x24 the longest name is cut ({long[:15]}\u2026)", show(rows))
        tm.resize(120, 40)
        ok, rows = tm.wait_for(lambda rs: len(rs) == 40 and any(long + " " in r for r in rs)
                               and rs[39].startswith("updated") and "q back" in rs[38])
        t.ok(ok, "tmux: after resize-window 120x40 the table uses the new width (the name "
             "fits) and the footer and status line are on rows 38 and 39",
             show(rows) + f"\n({len(rows)} rows, widest {max(map(len, rows))})")
        tm.text(":q")
        tm.keys("Enter")
        terminal_restored(tm, ":q")


def quit_q(env):
    with Tmux() as tm:
        tm.start(env, [OPSDECK], 80, 24)
        if not started(tm, "q"):
            return
        tm.text("q")
        terminal_restored(tm, "q at the top view")


# What the shell reports after each signal: SIGINT, SIGTERM and SIGHUP quit through the
# loop (0, 128+15, 128+1); every other one restores the terminal, then takes its default
# action, so the process dies of it (the shell says 128+signal).
QUITS = {signal.SIGINT: 0, signal.SIGTERM: 128 + signal.SIGTERM,
         signal.SIGHUP: 128 + signal.SIGHUP}
SIGNALS = (signal.SIGQUIT, signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS, signal.SIGFPE,
           signal.SIGILL, signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGUSR1,
           signal.SIGALRM, signal.SIGPIPE)


def killed(env, sig):
    """A signal from outside: each one restores the terminal before the process ends
    (ui.h, loop.h)."""
    what = signal.Signals(sig).name
    with Tmux() as tm:
        tm.start(env, [OPSDECK], 80, 24)
        if not started(tm, what):
            return
        pid = tm.opsdeck_pid()
        if not t.ok(pid is not None, f"{what}: opsdeck's PID found under the pane's shell"):
            return
        os.kill(pid, sig)
        terminal_restored(tm, what, want_rc=QUITS.get(sig, 128 + sig))


def typed(env, key, sig):
    """The signal keys typed on the terminal (the console runs in cbreak mode, so the
    terminal turns them into signals for the whole process group)."""
    what = f"{key} typed"
    with Tmux() as tm:
        tm.start(env, [OPSDECK], 80, 24)
        if not started(tm, what):
            return
        tm.keys(key)
        terminal_restored(tm, what, want_rc=QUITS.get(sig, 128 + sig))


def dumb_terminal(env):
    """A terminal that cannot move the cursor (TERM=dumb) or that this machine has no
    description of is refused with one line pointing at `opsdeck snapshot`, before anything
    is drawn or asked of AWS: the terminal is untouched."""
    for term, why in (("dumb", "cannot move the cursor"),
                      ("no-such-terminal", "has no description")):
        with Tmux() as tm:
            tm.start(env, ["env", f"TERM={term}", OPSDECK], 80, 24)
            st = tm.wait_exit()
            err = (st.get("stderr") or "").strip()
            t.eq(st["rc"], 1, f"TERM={term}: opsdeck exits 1")
            t.ok(len(err.splitlines()) == 1 and f"TERM={term}" in err and why in err and
                 "`opsdeck snapshot`" in err,
                 f"TERM={term}: one line naming the terminal type and pointing at "
                 "`opsdeck snapshot`", err)
            t.eq(stty_sane(st["stty"]), [], f"TERM={term}: the terminal is left as it was")
            t.eq(st["alt_screen"], "0", f"TERM={term}: no alternate screen")


def lang_c(m):
    """In a C locale the terminal is not UTF-8: a queue shown under a non-ASCII name (the
    hostile endpoint renames two of moto's queues both ways) is drawn with \\u{...} escapes,
    never as raw bytes, and the columns after the name stay aligned with the other rows."""
    shown = {"cafe-orders": "caf\u00e9-orders", "nihon-jobs": "\u65e5\u672c-jobs"}
    sqs = boto3_sqs(m.endpoint)
    for real in ("cafe-orders", "nihon-jobs", "a-plain"):
        sqs.create_queue(QueueName=real)
    with Hostile(m.endpoint) as h:
        h.rename = shown
        env = console_env(h.endpoint, aws_env(h.endpoint), now=None)
        env["LC_ALL"] = env["LANG"] = "C"
        with Tmux() as tm:
            raw = None
            tm.start(env, [OPSDECK, "--view", "sqs"], 100, 24, gate=True)
            raw = tm.pipe_raw()
            tm.go()
            ok, rows = tm.wait_for(lambda rs: any("a-plain" in r for r in rs) and
                                   any("caf" in r for r in rs))
            t.ok(ok, "LANG=C: the sqs view lists the queues", show(rows))
            cafe = next((r for r in rows if "caf" in r), "")
            nihon = next((r for r in rows if "-jobs" in r or "u{65E5}" in r), "")
            plain = next((r for r in rows if "a-plain" in r), "")
            t.ok("caf\\u{00E9}-orders" in cafe, "LANG=C: caf\u00e9 is shown as caf\\u{00E9}",
                 cafe)
            t.ok(nihon.startswith("\\u{65E5}\\u{672C}") or "\\u{65E5}" in nihon,
                 "LANG=C: the Japanese name is shown as \\u{65E5}\\u{672C}...", nihon)
            # the first column after the name starts at the same place on every row
            def after_name(r):
                i = r.find("  ", 2)
                return len(r) - len(r[i:].lstrip()) if i >= 0 else -1
            t.ok(cafe and nihon and plain and
                 after_name(cafe) == after_name(nihon) == after_name(plain),
                 "LANG=C: the columns after the names line up",
                 "\n".join((cafe, nihon, plain)))
            tm.text("q")
            tm.wait_exit()
            with open(raw, "rb") as f:
                data = f.read()
            t.ok(not any(b >= 0x80 for b in data),
                 "LANG=C: not one byte above 0x7F was written to the terminal",
                 [hex(b) for b in data if b >= 0x80][:10])


def boto3_sqs(endpoint):
    from awsenv import boto3_clients
    return boto3_clients(endpoint, services=("sqs",))["sqs"]


def main():
    if subprocess.run(["tmux", "-V"], capture_output=True).returncode != 0:
        t.bail("tmux is not installed (Debian package tmux)")
    with Moto() as m:
        seed(m.endpoint, objects=20)
        env = console_env(m.endpoint, aws_env(m.endpoint), now=None)
        t.run("navigate", navigate, env)
        t.run("q", quit_q, env)
        for sig in SIGNALS:
            t.run(signal.Signals(sig).name.lower(), killed, env, sig)
        t.run("ctrl-backslash", typed, env, "C-\\", signal.SIGQUIT)
        t.run("ctrl-c", typed, env, "C-c", signal.SIGINT)
        t.run("TERM=dumb", dumb_terminal, env)
        t.run("LANG=C", lang_c, m)
    t.done()


if __name__ == "__main__":
    main()
