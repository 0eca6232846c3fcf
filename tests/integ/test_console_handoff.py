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
  console opened) and in PER MIN (a rate from the last polls, positive), both as boto3 sent.
"""
import base64
import json
import os
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
    t.done()


if __name__ == "__main__":
    main()
