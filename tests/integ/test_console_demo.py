"""test_console_demo.py - the live demo (tests/lib/demo.py) on a real terminal (tmux).

The demo starts moto, seeds the estate, keeps traffic flowing and opens the console. Quitting
the console with q, and Ctrl-C to the whole foreground process group, both end the demo with
moto stopped (its PID gone) and the terminal sane; so does the terminal hanging up (SIGHUP).
The documented form `demo.py PATH [--keep] -- ARGS` passes ARGS to opsdeck (the console opens
on `--view dlq`; `-- snapshot --json` prints a snapshot), --keep keeps moto after opsdeck,
and the CloudWatch ages the demo publishes are the real age of the oldest message in each
queue, checked against the messages' SentTimestamp read with boto3."""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awsenv import boto3_clients, pid_alive  # noqa: E402
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
        # the documented form: opsdeck's own arguments after `--`
        tm.start(env, [sys.executable, os.path.join(TOP, "tests", "lib", "demo.py"), OPSDECK,
                       "--warmup", "1", "--objects", "5", "--moto-pid-file",
                       tm.path("moto.pid"), "--", "--view", "dlq"], 100, 30)
        ok, rows = tm.wait_for(lambda rs: any("orders-dlq" in r for r in rs), deadline=90)
        t.ok(ok and rows[1].startswith("Dead-letter queues"),
             f"{what}: the demo opens the console on the seeded estate, in the view given "
             "after --", show(rows))
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


def read_until(path, needle, proc, deadline=180):
    """The text of path once it holds needle (or the process ended, or the bound passed)."""
    end = time.monotonic() + deadline
    while True:
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
        except OSError:
            text = ""
        if needle in text or proc.poll() is not None or time.monotonic() > end:
            return text
        time.sleep(0.2)


def oldest_sent(endpoint, url):
    """The SentTimestamp (seconds) of the oldest message in the queue, read with boto3: every
    message received once, hidden for a minute so the next receive returns others, until none
    is left (the traffic keeps adding to orders-intake: a kept demo holds hundreds, and SQS
    returns them in no particular order)."""
    sqs = boto3_clients(endpoint, services=("sqs",))["sqs"]
    oldest = None
    for _ in range(1000):   # bounded: 10 000 messages at most
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=60,
                                  AttributeNames=["SentTimestamp"]).get("Messages", [])
        if not got:
            break
        for m in got:
            ts = int(m["Attributes"]["SentTimestamp"]) / 1000.0
            oldest = ts if oldest is None or ts < oldest else oldest
    return oldest


def demo_snapshot_and_ages():
    """`demo.py OPSDECK --keep -- snapshot --json` (no terminal): the snapshot is printed,
    moto stays up after it, and the ages the demo published and the snapshot read are the
    age of the oldest message really sent; Ctrl-C then stops moto."""
    d = tempfile.mkdtemp(prefix="opsdeck-demo-")
    out, err = os.path.join(d, "out"), os.path.join(d, "err")
    pidf, log = os.path.join(d, "moto.pid"), os.path.join(d, "metrics.jsonl")
    env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(d, "config"))
    env.pop("OPSDECK_SCRIPT", None)
    argv = [sys.executable, os.path.join(TOP, "tests", "lib", "demo.py"), OPSDECK, "--keep",
            "--warmup", "12", "--objects", "5", "--moto-pid-file", pidf, "--metrics-log", log,
            "--", "snapshot", "--json"]
    with open(out, "w") as fo, open(err, "w") as fe:
        p = subprocess.Popen(argv, env=env, stdout=fo, stderr=fe, stdin=subprocess.DEVNULL)
    try:
        text = read_until(err, "opsdeck exited", p)
        t.ok("opsdeck exited; moto and traffic keep running" in text and p.poll() is None,
             "--keep: after opsdeck exits the demo keeps moto running", text[-1500:])
        endpoint = next((w for line in text.splitlines() if "moto listens on" in line
                         for w in line.split() if w.startswith("http://127.0.0.1:")), None)
        with open(out, encoding="utf-8") as f:
            raw = f.read()
        try:
            snap = json.loads(raw)
        except ValueError:
            snap = None
        t.ok(snap is not None and endpoint is not None,
             "-- snapshot --json reaches opsdeck: a JSON snapshot on stdout", raw[:500] + text[-800:])
        if snap is None or endpoint is None:
            return
        q = {x["name"]: x for x in snap["queues"]}
        entries = []
        with open(log, encoding="ascii") as f:
            entries = [json.loads(line) for line in f if line.strip()]
        for name in ("orders-dlq", "orders-intake"):
            sent = oldest_sent(endpoint, q[name]["url"])
            mine = [e for e in entries if e["queue"] == name]
            # each published age is the time since the oldest message was sent (the send's
            # round trip apart: the demo notes the time when send_message returns)
            bad = [(e["age"], e["time"] - sent) for e in mine
                   if sent is None or abs(e["age"] - (e["time"] - sent)) > 5]
            t.ok(mine and not bad, f"{name}: every age the demo published is the age of the "
                 "oldest message in the queue (SentTimestamp via boto3)",
                 f"oldest sent {sent}; published vs true: {bad or mine}")
            got = q[name]["oldest_age_seconds"]
            t.ok(got is not None and any(abs(got - e["age"]) < 0.01 for e in mine),
                 f"{name}: the snapshot's oldest age is one the demo published, not a made-up "
                 "900+60n", f"snapshot {got}; published {[e['age'] for e in mine]}")
    finally:
        if p.poll() is None:
            p.send_signal(signal.SIGINT)
            try:
                p.wait(timeout=60)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        try:
            with open(pidf, encoding="ascii") as f:
                moto_pid = int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            moto_pid = None
        # 130 when the demo's own handler ran, killed by SIGINT when awsenv's (which stops
        # moto first, then re-raises the signal) did: both are "ended by Ctrl-C"
        t.ok(moto_pid is not None and not pid_alive(moto_pid) and
             p.returncode in (130, -signal.SIGINT),
             "Ctrl-C ends the kept demo: moto stopped",
             f"moto pid {moto_pid}, demo exit {p.returncode}")
        shutil.rmtree(d, ignore_errors=True)


def main():
    t.run("demo -- snapshot, ages", demo_snapshot_and_ages)
    t.run("demo q", demo, None)
    t.run("demo ctrl-c", demo, signal.SIGINT)
    t.run("demo hangup", demo, signal.SIGHUP)
    t.done()


if __name__ == "__main__":
    main()
