"""test_console_demo.py - the live demo (tests/lib/demo.py) on a real terminal (tmux).

The demo starts moto, seeds the estate, keeps traffic flowing and opens the console. Quitting
the console with q, and Ctrl-C to the whole foreground process group, both end the demo with
moto stopped (its PID gone) and the terminal sane; so does the terminal hanging up (SIGHUP)."""
import os
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awsenv import pid_alive  # noqa: E402
from console import OPSDECK, Tmux, stty_sane  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()
HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.environ.get("TOP_SRCDIR", os.path.dirname(os.path.dirname(HERE)))


def show(rows):
    return "\n".join(rows)


def demo(sig):
    """The live demo under tmux: quit with q (or Ctrl-C to the console's process group),
    then moto and the traffic generator are gone (by PID)."""
    what = {None: "demo, q", signal.SIGINT: "demo, Ctrl-C",
            signal.SIGHUP: "demo, terminal closed"}[sig]
    with Tmux() as tm:
        env = dict(os.environ, XDG_CONFIG_HOME=tm.path("config"))  # not the user's config
        env.pop("OPSDECK_SCRIPT", None)
        tm.start(env, [sys.executable, os.path.join(TOP, "tests", "lib", "demo.py"), OPSDECK,
                       "--warmup", "1", "--objects", "5", "--moto-pid-file",
                       tm.path("moto.pid")], 100, 30)
        ok, rows = tm.wait_for(lambda rs: any("orders-intake" in r for r in rs) or
                               any("orders-dlq" in r for r in rs), deadline=90)
        t.ok(ok, f"{what}: the demo opens the console on the seeded estate", show(rows))
        try:
            with open(tm.path("moto.pid"), encoding="ascii") as f:
                moto_pid = int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            moto_pid = None
        t.ok(moto_pid is not None and pid_alive(moto_pid),
             f"{what}: the demo's moto runs while the console is open")
        if sig == signal.SIGHUP:
            # the terminal goes away (an SSH session dropped): tmux hangs up the pane
            tm.tmux("kill-server", check=False)
            tm.started = False
            end = time.monotonic() + 30
            while moto_pid and pid_alive(moto_pid) and time.monotonic() < end:
                time.sleep(0.2)
            t.ok(moto_pid is not None and not pid_alive(moto_pid),
                 f"{what}: moto (pid {moto_pid}) is stopped when the demo's terminal hangs up")
            return
        if sig is None:
            tm.text("q")
        else:
            tm.keys("C-c")
        st = tm.wait_exit(deadline=60)
        t.ok(st["done"], f"{what}: the demo exits", str(st))
        t.ok(moto_pid is not None and not pid_alive(moto_pid),
             f"{what}: moto (pid {moto_pid}) is stopped when the demo ends")
        t.eq(stty_sane(st["stty"]), [], f"{what}: the terminal is sane afterwards")


def main():
    t.run("demo q", demo, None)
    t.run("demo ctrl-c", demo, signal.SIGINT)
    t.run("demo hangup", demo, signal.SIGHUP)
    t.done()


if __name__ == "__main__":
    main()
