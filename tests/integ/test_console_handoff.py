"""test_console_handoff.py - the console on a real terminal (tmux, 80x24 and 120x40) for what
needs one: the clipboard, the hand-off to the aws CLI, a first poll still running, and a
DLQ growing while the console watches.

- y copies the selected queue's URL with OSC 52: the bytes on the terminal are the
  sequence with the URL in base64, and tmux (set-clipboard on, as the manual says) holds the
  URL in its paste buffer;
- :cli shows the aws CLI command that reads the same queue; y copies it, and that command,
  run by the aws CLI installed here, returns the queue boto3 knows;
- with an endpoint that accepts the connection and never answers (a listener of our own
  that holds it), the dlq view says "not read yet", not "0 holding", while the request is
  held;
- messages sent to a DLQ while it is on screen show in SINCE OPEN (the change since the
  console opened) and in PER MIN (a rate from the last polls, positive), both as boto3 sent;
- the light theme paints its own white background (at 256 and at 8 colours), so its black
  titles read on a dark terminal: tmux's capture with colours has no default background in
  the view.
"""
import base64
import json
import os
import re
import socket
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awsenv import Moto, aws_env, boto3_clients  # noqa: E402
from console import (OPSDECK, Tmux, boto3_queues, cell, console_env,  # noqa: E402
                     header_row, write_app_config)
from seed import seed  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()
CONFIG = "[intervals]\ndefault = 2\n"


def show(rows):
    return "\n".join(rows)


def tmux_env(env):
    e = dict(env)
    for k in ("COLUMNS", "LINES", "OPSDECK_TEST_NOW", "OPSDECK_SCRIPT"):
        e.pop(k, None)
    return e


def quit_console(tm):
    tm.text(":q")
    tm.keys("Enter")
    tm.wait_exit()


def copy_and_cli(env, q, cols, rows):
    url = q["orders-dlq"]["url"]
    with Tmux() as tm:
        tm.start(tmux_env(env), [OPSDECK, "--view", "sqs"], cols, rows, gate=True)
        # the manual's note: tmux passes OSC 52 on (and keeps a buffer) with this option
        tm.tmux("set-option", "-g", "set-clipboard", "on")
        raw = tm.pipe_raw()
        tm.go()
        ok, scr = tm.wait_for("orders-dlq")
        tm.text("/orders-dlq")
        tm.keys("Enter")
        tm.text("y")
        ok, scr = tm.wait_for("copied URL of orders-dlq")
        t.ok(ok, f"{cols}x{rows}: y says what it copied", show(scr))
        seq = b"\x1b]52;c;" + base64.b64encode(url.encode()) + b"\x07"
        with open(raw, "rb") as f:
            data = f.read()
        t.ok(seq in data, f"{cols}x{rows}: the terminal got OSC 52 with the queue's URL in "
             "base64", f"want {seq!r}\ngot OSC 52: {data[data.find(b']52;') - 1:][:200]!r}")
        buf = tm.tmux("show-buffer", check=False)
        t.eq(buf, url, f"{cols}x{rows}: tmux (set-clipboard on) holds the URL (boto3's)")

        tm.text(":cli")
        tm.keys("Enter")
        ok, scr = tm.wait_for("aws CLI: reads what the cursor is on")
        t.ok(ok and any("aws sqs get-queue-attributes" in r for r in scr),
             f"{cols}x{rows}: :cli shows the aws CLI command for the queue", show(scr))
        tm.text("y")
        ok, scr = tm.wait_for("copied the aws CLI command")
        cmd = tm.tmux("show-buffer", check=False)
        t.ok(ok and cmd.startswith("aws sqs get-queue-attributes --queue-url " + url) and
             "--endpoint-url" in cmd and "--region us-east-1" in cmd,
             f"{cols}x{rows}: y in the box copies the whole command, with the region and "
             "the endpoint", cmd)
        # the hand-off: the colleague's aws CLI (installed here, not ours) runs it
        p = subprocess.run(["sh", "-c", cmd], env=env, capture_output=True, text=True,
                           timeout=120)
        try:
            attrs = json.loads(p.stdout)["Attributes"]
        except (ValueError, KeyError):
            attrs = {}
        t.ok(p.returncode == 0 and attrs.get("QueueArn") == q["orders-dlq"]["arn"] and
             attrs.get("ApproximateNumberOfMessages") ==
             q["orders-dlq"]["attrs"]["ApproximateNumberOfMessages"],
             f"{cols}x{rows}: the aws CLI runs the command and reads the same queue",
             f"rc {p.returncode}\n{p.stdout[:500]}\n{p.stderr[-500:]}")
        quit_console(tm)


class Holder:
    """A loopback listener that accepts connections and never answers: a first poll that
    is still running. Closed (by us) at the end."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.conns = []
        self.stop = threading.Event()
        self.th = threading.Thread(target=self.run, daemon=True)
        self.th.start()

    def run(self):
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                c, _ = self.sock.accept()
                self.conns.append(c)
            except OSError:
                pass

    def close(self):
        self.stop.set()
        self.th.join(timeout=5)
        for c in self.conns:
            c.close()
        self.sock.close()


def not_read_yet(base_env, cols, rows):
    h = Holder()
    try:
        env = console_env(f"http://127.0.0.1:{h.port}", base_env)
        write_app_config(env, CONFIG)
        with Tmux() as tm:
            tm.start(tmux_env(env), [OPSDECK, "--view", "dlq"], cols, rows)
            ok, scr = tm.wait_for(lambda rs: any("Dead-letter queues" in r for r in rs) and
                                  len(h.conns) > 0)
            held = len(h.conns) > 0
            t.ok(ok and held and scr[1] == "Dead-letter queues  not read yet" and
                 not any("holding" in r or "total" in r for r in scr),
                 f"{cols}x{rows}: while the first request is held, the dlq view says 'not "
                 "read yet', no count", show(scr))
            quit_console(tm)
    finally:
        h.close()


def growth(env, q, cols, rows):
    sqs = boto3_clients(env["AWS_ENDPOINT_URL"], services=("sqs",))["sqs"]
    url = q["billing-dlq"]["url"]
    before = int(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=[
        "ApproximateNumberOfMessages"])["Attributes"]["ApproximateNumberOfMessages"])
    with Tmux() as tm:
        tm.start(tmux_env(env), [OPSDECK, "--view", "dlq"], cols, rows)
        ok, scr = tm.wait_for(lambda rs: any(r.startswith("billing-dlq ") for r in rs))
        for i in range(6):
            sqs.send_message(QueueUrl=url, MessageBody=f"failed-{i}")

        def grown(rs):
            h = header_row(rs, "DEPTH", "SINCE OPEN", "PER MIN")
            rr = [r for r in rs if r.startswith("billing-dlq ")]
            return h >= 0 and rr and cell(rr[0], rs[h], "OPEN") == "+6"
        ok, scr = tm.wait_for(grown, deadline=60)
        h = header_row(scr, "DEPTH", "SINCE OPEN", "PER MIN")
        row = next((r for r in scr if r.startswith("billing-dlq ")), "")
        depth = cell(row, scr[h], "DEPTH") if h >= 0 else None
        rate = cell(row, scr[h], "MIN") if h >= 0 else None
        t.ok(ok and depth == str(before + 6),
             f"{cols}x{rows}: six messages sent to billing-dlq (boto3): DEPTH {before + 6}, "
             "SINCE OPEN +6", show(scr))
        t.ok(ok and rate is not None and rate.startswith("+") and rate != "+0",
             f"{cols}x{rows}: PER MIN shows the growth as a positive rate from the last polls",
             f"PER MIN {rate!r}\n" + show(scr))
        quit_console(tm)
        for _ in range(6):   # the next size starts from the same depth
            got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                      VisibilityTimeout=0).get("Messages", [])
            for m in got:
                if m["Body"].startswith("failed-"):
                    sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])


SGR = re.compile(r"\x1b\[([0-9;]*)m")


def backgrounds(rows):
    """For each row of a `capture-pane -e` (whose SGR carries over from row to row), the
    background of every character drawn: None for the terminal's own, else "w" for white
    (47 at 8 colours, 107 / colour 15 / 231 above)."""
    bg, out = None, []
    for r in rows:
        seen, i = [], 0
        for m in SGR.finditer(r):
            seen += [bg] * len(r[i:m.start()])
            i = m.end()
            p = [int(x) if x else 0 for x in m.group(1).split(";")] if m.group(1) else [0]
            k = 0
            while k < len(p):
                if p[k] in (0, 49):
                    bg = None
                elif p[k] in (47, 107):
                    bg = "w"
                elif 40 <= p[k] <= 46 or 100 <= p[k] <= 106:
                    bg = p[k]
                elif p[k] == 48 and k + 2 < len(p) and p[k + 1] == 5:
                    bg = "w" if p[k + 2] in (15, 231) else p[k + 2]
                    k += 2
                k += 1
        seen += [bg] * len(r[i:])
        out.append(seen)
    return out


def light_theme(env, term):
    """The light theme on a terminal of `term`'s colours: the view's rows are drawn on the
    theme's white, never on the terminal's own background."""
    with Tmux() as tm:
        tm.start(tmux_env(env), ["env", f"TERM={term}", OPSDECK, "--view", "sqs", "--theme",
                                 "light"], 80, 24)
        ok, scr = tm.wait_for("orders-dlq")
        rows = tm.tmux("capture-pane", "-p", "-e", "-t", tm.session).split("\n")
        bgs = backgrounds(rows)
        # rows 1-21 are the view; the table's header bar (row 2) and the cursor's row (3)
        # have backgrounds of their own
        bad = [(y, rows[y]) for y in range(1, 22) if y not in (2, 3) and
               any(b != "w" for b in bgs[y])]
        t.ok(ok and scr[1].startswith("SQS queues") and not bad,
             f"light theme at {term}: the view's text (black titles too) on the theme's own "
             "white, nowhere on the terminal's background", "\n".join(map(repr, bad[:5])))
        quit_console(tm)


def main():
    with Moto() as m:
        seed(m.endpoint, objects=5)
        q = boto3_queues(boto3_clients(m.endpoint, services=("sqs",))["sqs"])
        base = aws_env(m.endpoint)
        env = console_env(m.endpoint, base)
        write_app_config(env, CONFIG)
        for cols, rows in ((80, 24), (120, 40)):
            t.run(f"copy and cli {cols}", copy_and_cli, env, q, cols, rows)
            t.run(f"not read yet {cols}", not_read_yet, base, cols, rows)
            t.run(f"growth {cols}", growth, env, q, cols, rows)
        for term in ("xterm-256color", "xterm"):
            t.run(f"light theme {term}", light_theme, env, term)
    t.done()


if __name__ == "__main__":
    main()
