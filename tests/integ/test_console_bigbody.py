"""test_console_bigbody.py - SQS's largest message, 1 MiB (1,048,576 bytes: moto takes it and
refuses a byte more, as SQS does), in a DLQ on moto, headless (OPSDECK_SCRIPT):

  - m peeks it from the dlq view; :messages lists it as 1 MiB with a one-line preview;
  - Enter shows the first 64 KiB and says how much more there is (the viewer does not lay
    out 13,000 lines nobody reads), G reaches that note;
  - s saves the whole body, byte for byte, to a 0600 file; y copies its first 256 KiB
    (OSC 52) and says so;
  - E exports it whole into the JSONL file, and so does `opsdeck dlq export`; `opsdeck dlq
    send` puts it back from the file into another queue, where boto3 reads the same body;
  - moto moves a message to the DLQ by the redrive policy without SQS's
    DeadLetterQueueSourceArn (checked with boto3): :messages then stays one flat list, with
    no source heading (the grouping is tested on the recorded AWS answer in
    test_view_messages).
"""
import base64
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from awsenv import Moto, aws_env, boto3_clients  # noqa: E402
from console import (OPSDECK, Script, Tmux, console_env, find_row, run_script,  # noqa: E402
                     screen_has, write_app_config)
from tap import Tap  # noqa: E402

t = Tap()
MIB = 1024 * 1024


def status(r, name):
    rows = r.dumps.get(name) or []
    return rows[-1] if rows else ""


def big_body():
    """1 MiB on one line, every 64-byte block numbered, so a body cut or shifted anywhere
    does not compare equal."""
    head, tail = "HEAD-", "-TAIL"
    blocks = "".join("%063d|" % i for i in range((MIB - len(head) - len(tail)) // 64 + 1))
    body = head + blocks[:MIB - len(head) - len(tail)] + tail
    assert len(body.encode()) == MIB
    return body


def receive_all(sqs, url):
    """Every message, each received once and released at once (visibility 0 after)."""
    got, handles = [], []
    for _ in range(10):
        msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=60,
                                   AttributeNames=["All"]).get("Messages", [])
        if not msgs:
            break
        got += msgs
        handles += [m["ReceiptHandle"] for m in msgs]
    for h in handles:
        sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=h, VisibilityTimeout=0)
    return got


def run(env, *args):
    p = subprocess.run([OPSDECK, *args], env=env, stdin=subprocess.DEVNULL,
                       capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def main():
    with Moto() as moto:
        sqs = boto3_clients(moto.endpoint, services=("sqs",))["sqs"]
        big = {"MaximumMessageSize": str(MIB)}
        dlq = sqs.create_queue(QueueName="big-dlq", Attributes=big)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])[
            "Attributes"]["QueueArn"]
        src = sqs.create_queue(QueueName="big-src", Attributes=dict(big, RedrivePolicy=json.dumps(
            {"deadLetterTargetArn": arn, "maxReceiveCount": "1"})))["QueueUrl"]
        back = sqs.create_queue(QueueName="big-back", Attributes=big)["QueueUrl"]
        body = big_body()
        sqs.send_message(QueueUrl=dlq, MessageBody=body)
        try:
            sqs.send_message(QueueUrl=dlq, MessageBody=body + "x")
            refused = False
        except sqs.exceptions.ClientError:
            refused = True
        t.ok(refused, "moto refuses a body of 1 MiB + 1 byte: 1 MiB is the largest there is")

        # a message moto moves by the redrive policy (received twice with maxReceiveCount 1)
        sqs.send_message(QueueUrl=src, MessageBody="moved-by-moto")
        for _ in range(3):
            for m in sqs.receive_message(QueueUrl=src, VisibilityTimeout=0).get("Messages", []):
                pass
        in_dlq = receive_all(sqs, dlq)
        moved = [m for m in in_dlq if m["Body"] == "moved-by-moto"]
        t.ok(len(moved) == 1 and len(in_dlq) == 2, "moto moved the message to big-dlq",
             detail=str([m["Body"][:20] for m in in_dlq]))
        t.ok(moved and "DeadLetterQueueSourceArn" not in moved[0]["Attributes"],
             "moto gives no DeadLetterQueueSourceArn (AWS does): nothing to group by here",
             detail=str(moved[0]["Attributes"] if moved else ""))

        env = console_env(moto.endpoint, aws_env(moto.endpoint))
        env["XDG_STATE_HOME"] = os.path.join(env["HOME"], ".local", "state")
        write_app_config(env, "[intervals]\ndefault = 2\n")
        save_to = os.path.join(env["HOME"], "big-body.txt")
        s = Script().refresh().keys("3").keys("/big-dlq<Enter>").refresh().keys("m<C-x>")
        s.dump("peeked").keys(":messages<Enter>").dump("list")
        s.keys("/*:HEAD<Enter><Enter>").dump("open").keys("G").dump("end")
        s.keys("s" + save_to + "<C-x>").dump("saved").keys("y").dump("copied")
        r = run_script(env, s)
        t.eq(r.rc, 0, "the console ran the script")
        t.ok(status(r, "peeked").startswith("peeked at 2 messages of big-dlq"),
             "m peeked at both messages of the DLQ", detail=r.screen("peeked"))
        lst = r.dumps.get("list") or []
        row = find_row(lst, "big-dlq", "HEAD-0000")
        t.ok(row > 0 and "1 MiB" in lst[row], ":messages: the 1 MiB message on one row, its size "
             "and the start of its body", detail=r.screen("list"))
        t.ok(not screen_has(lst, "by source queue") and not screen_has(lst, " from "),
             "no source heading when SQS gave no source", detail=r.screen("list"))
        t.ok(screen_has(r.dumps.get("open"), "Body, the first 64") and
             screen_has(r.dumps.get("open"), "of 1 MiB (text)") and
             screen_has(r.dumps.get("open"), "HEAD-0000"),
             "Enter: the first 64 KiB of the 1 MiB body, said so", detail=r.screen("open"))
        t.ok(screen_has(r.dumps.get("end"), "KiB more not shown: s saves the whole body"),
             "G: the note of how much more there is", detail=r.screen("end"))
        t.ok(status(r, "saved").startswith("saved the 1048576 bytes of the body to "),
             "s: saved all 1048576 bytes", detail=r.screen("saved"))
        with open(save_to, encoding="utf-8") as f:
            t.ok(f.read() == body, "the file holds the whole body, byte for byte")
        t.eq(os.stat(save_to).st_mode & 0o777, 0o600, "and is 0600")
        # y: the clipboard gets the first 256 KiB, said so (the bytes: the tmux case below)
        t.ok(status(r, "copied").startswith("copied the first 262144 bytes of the body (of 1048576)"),
             "y: the status line says the copy is a part", detail=r.screen("copied"))

        # E: export from the dlq view; the file holds the whole body
        path = os.path.join(env["HOME"], "big-export.jsonl")
        s = Script().refresh().keys("3").keys("/big-dlq<Enter>").refresh().keys("E")
        s.keys(path + "<C-x>").keys("y").dump("exported")
        r = run_script(env, s)
        t.ok(screen_has(r.dumps.get("exported"), "exported 2 messages of big-dlq"),
             "E: the export ends with both messages", detail=r.screen("exported"))
        with open(path, encoding="utf-8") as f:
            got = [json.loads(x)["Body"] for x in f]
        t.ok(sorted(got) == sorted([body, "moved-by-moto"]),
             "the exported file holds the 1 MiB body whole", detail=str([len(b) for b in got]))

        # headless: dlq export, then dlq send the file to another queue
        out = os.path.join(env["HOME"], "big-headless.jsonl")
        rc, so, se = run(env, "dlq", "export", "big-dlq", out, "--yes")
        t.ok(rc == 0, "opsdeck dlq export exits 0", detail=se)
        with open(out, encoding="utf-8") as f:
            got = [json.loads(x)["Body"] for x in f]
        t.ok(body in got, "and its file holds the 1 MiB body whole",
             detail=str([len(b) for b in got]))
        rc, so, se = run(env, "dlq", "send", out, "big-back", "--yes")
        t.ok(rc == 0, "opsdeck dlq send puts the file's messages into big-back", detail=se)
        bodies = [m["Body"] for m in receive_all(sqs, back)]
        t.ok(body in bodies and len(bodies) == 2,
             "boto3 reads the same 1 MiB body from big-back", detail=str([len(b) for b in bodies]))
        t.eq(len(receive_all(sqs, dlq)), 2, "both messages are still in big-dlq")

        # y in a real terminal: the first 256 KiB reach the terminal as OSC 52 and tmux
        # (set-clipboard on) holds them, byte for byte
        tenv = {k: v for k, v in env.items()
                if k not in ("COLUMNS", "LINES", "OPSDECK_TEST_NOW", "OPSDECK_SCRIPT")}
        part = 256 * 1024
        with Tmux() as tm:
            tm.start(tenv, [OPSDECK, "--view", "dlq"], 120, 40, gate=True)
            tm.tmux("set-option", "-g", "set-clipboard", "on")
            raw = tm.pipe_raw()
            tm.go()
            ok, scr = tm.wait_for("big-dlq")
            tm.text("/big-dlq")
            tm.keys("Enter")
            tm.text("m")
            ok, scr = tm.wait_for("Peek")
            tm.keys("C-x")
            ok, scr = tm.wait_for("peeked at 2 messages")
            tm.text(":messages")
            tm.keys("Enter")
            tm.text("/*:HEAD")
            tm.keys("Enter")
            tm.keys("Enter")
            ok, scr = tm.wait_for("of 1 MiB (text)")
            tm.text("y")
            ok, scr = tm.wait_for("copied the first 262144 bytes of the body (of 1048576)")
            t.ok(ok, "tmux: y says it copied the first 256 KiB of the 1 MiB body", "\n".join(scr))
            seq = b"\x1b]52;c;" + base64.b64encode(body[:part].encode()) + b"\x07"
            # tmux's pipe-pane writes the ~350 KB to the file some time after the screen
            # shows the status line: read until the sequence is whole or a minute has passed
            end = time.monotonic() + 60
            while True:
                with open(raw, "rb") as f:
                    data = f.read()
                if seq in data or time.monotonic() > end:
                    break
                time.sleep(0.2)
            t.ok(seq in data, "tmux: the terminal got OSC 52 with the body's first 256 KiB",
                 "OSC 52 found: %r" % data[data.find(b"]52;"):][:80])
            buf = tm.tmux("show-buffer", check=False)
            t.ok(buf == body[:part], "tmux (set-clipboard on) holds those 256 KiB",
                 "buffer: %d bytes, starts %r" % (len(buf or ""), (buf or "")[:40]))
            tm.text(":q")
            tm.keys("Enter")
            tm.wait_exit()
    t.done()


if __name__ == "__main__":
    main()
