"""test_console_peek.py - m (peek) and :messages, headless (OPSDECK_SCRIPT), on moto:

  - m on a queue with a redrive policy: the form asks how many, says the receive count goes
    up by one and that a message received maxReceiveCount - 1 times moves to the DLQ on its
    next receive; outside production no confirmation follows (Ctrl-X on the form peeks);
  - after the peek every message is visible again (boto3 receives them all at once) and
    its receive count went up by exactly one;
  - :messages lists them (80x24); a message at maxReceiveCount is marked, and its pane says
    the next receive moves it;
  - Enter on a JSON body: pretty-printed; both extended-client pointer forms labelled with
    the S3 object and the real size (ExtendedPayloadSize, SQSLargePayloadSize);
  - f in a pointer's pane reads the payload's first 64 KiB from a moto bucket (JSON-ish
    text shown as text, binary as hex);
  - s saves a body to a 0600 file; an existing file only when the form says overwrite;
  - hostile bodies (ESC[2J, OSC 52, U+202E, a 200 KiB line) are escaped in the dump;
  - FIFO: the form says a held message blocks its group; the group id is listed;
  - every receive and release of a peek is in the audit log;
  - read-only: m refused, nothing received (the receive counts stay as they were).
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from awsenv import Moto, aws_env, boto3_clients  # noqa: E402
from console import (Script, audit_lines, console_env, find_row, run_script, screen_has,  # noqa: E402
                     write_app_config)
from tap import Tap  # noqa: E402

t = Tap()


def status(r, name):
    rows = r.dumps.get(name) or []
    return rows[-1] if rows else ""


def counts(sqs, url):
    """Receive counts of every message: each is received once (held until all are read),
    then made visible again, so this read adds exactly one to each."""
    got, handles = {}, []
    for _ in range(20):
        msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=60,
                                   AttributeNames=["All"]).get("Messages", [])
        if not msgs:
            break
        for m in msgs:
            got[m["Body"][:40]] = int(m["Attributes"]["ApproximateReceiveCount"])
            handles.append(m["ReceiptHandle"])
    for h in handles:
        sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=h, VisibilityTimeout=0)
    return got


def main():
    with Moto() as moto:
        clients = boto3_clients(moto.endpoint, services=("sqs", "s3"))
        sqs, s3 = clients["sqs"], clients["s3"]
        s3.create_bucket(Bucket="big-bucket")
        big = json.dumps({"blob": "x" * 100000}).encode()
        s3.put_object(Bucket="big-bucket", Key="payloads/new-form", Body=big)
        s3.put_object(Bucket="big-bucket", Key="payloads/old-form", Body=b"\x00\x01binary\xff")
        dlq = sqs.create_queue(QueueName="orders-dlq")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        q = sqs.create_queue(QueueName="orders", Attributes={
            "RedrivePolicy": json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": 5})})["QueueUrl"]
        bodies = [
            json.dumps({"order": "order-42", "items": [1, 2]}),
            json.dumps(["software.amazon.payloadoffloading.PayloadS3Pointer",
                        {"s3BucketName": "big-bucket", "s3Key": "payloads/new-form"}]),
            json.dumps(["com.amazon.sqs.javamessaging.MessageS3Pointer",
                        {"s3BucketName": "big-bucket", "s3Key": "payloads/old-form"}]),
            "evil \x1b[2J \x1b]52;c;AAAA\x07 \u202egnp.exe",
            "L" * (200 * 1024),
        ]
        attrs = [{}, {"ExtendedPayloadSize": {"DataType": "Number", "StringValue": "3000000"}},
                 {"SQSLargePayloadSize": {"DataType": "Number", "StringValue": "1048577"}}, {}, {}]
        # one message received 3 times before the others arrive: 4 with the read below, so
        # the peek brings it to maxReceiveCount (5) and the next receive sends it to the DLQ
        sqs.send_message(QueueUrl=q, MessageBody="twice-received")
        for _ in range(3):
            counts(sqs, q)
        for b, a in zip(bodies, attrs):
            sqs.send_message(QueueUrl=q, MessageBody=b, MessageAttributes=a)
        before = counts(sqs, q)
        env = console_env(moto.endpoint, aws_env(moto.endpoint))
        env["XDG_STATE_HOME"] = os.path.join(env["HOME"], ".local", "state")
        write_app_config(env, "[intervals]\ndefault = 2\n")

        s = Script().refresh().keys("2").keys("/orders<Enter>").keys("m").dump("form")
        s.keys("<C-x>").dump("peeked")
        s.keys(":messages<Enter>").dump("list")
        save_to = os.path.join(env["HOME"], "body.json")
        s.keys("/*:order-42<Enter><Enter>").dump("json")
        s.keys("s" + save_to + "<C-x>").dump("saved")
        s.keys("s" + save_to + "<C-x>").dump("exists").keys("<Tab><Right><C-x>").dump("overwritten")
        s.keys("<Esc><Esc>")
        s.keys("/*:new-form<Enter><Enter>").dump("s3new").keys("f").wait().keys("jjjjjjjjjj")
        s.dump("s3new-read").keys("<Esc><Esc>")
        s.keys("/*:old-form<Enter><Enter>").dump("s3old").keys("f").wait().keys("G")
        s.dump("s3old-read").keys("<Esc><Esc>")
        s.keys("/*:evil<Enter><Enter>").dump("evil").keys("<Esc><Esc>")
        s.keys("/*:twice<Enter><Enter>").dump("twice").keys("<Esc><Esc>")
        s.keys("/*:LLLL<Enter><Enter>G").dump("long")
        r = run_script(env, s)
        t.eq(r.rc, 0, "the console ran the script")
        form = " ".join(x.strip(" │") for x in r.dumps.get("form") or [])
        t.ok(find_row(r.dumps.get("form") or [], "Messages") > 0, "m asks how many",
             detail=r.screen("form"))
        t.ok("each one's receive count +1" in form and "released at once" in form,
             "the form says the receive count goes up and the hold is released",
             detail=r.screen("form"))
        t.ok("one received 4 times already goes to orders-dlq at the next receive after the "
             "peek" in form,
             "and that a message at maxReceiveCount - 1 goes to the DLQ on its next receive",
             detail=r.screen("form"))
        t.ok(status(r, "peeked").startswith("peeked at 6 messages of orders and released them")
             and "(:messages; m for more)" in status(r, "peeked"),
             "no confirmation outside production: Ctrl-X on the form peeks; the status line "
             "says how many, released", detail=r.screen("peeked"))
        after = counts(sqs, q)
        t.eq(sorted(after), sorted(k for k in before if k != "twice-received"),
             "every message is visible again after the peek (boto3 reads them at once)")
        t.eq({k: after[k] - before[k] for k in after}, {k: 2 for k in after},
             "each receive count went up by one for the peek (and one for boto3's own read)")
        t.eq([m["Body"] for m in sqs.receive_message(QueueUrl=dlq).get("Messages", [])],
             ["twice-received"], "the message the peek brought to maxReceiveCount went to the "
             "DLQ at the next receive, as the form said")

        lst = r.dumps.get("list") or []
        t.eq(len(lst), 24, "the list fits 80x24")
        row = find_row(lst, "orders", "5/5")
        t.ok(row > 0 and "twice-received" in lst[row],
             "RECV shows receives of maxReceiveCount: 5/5", detail=r.screen("list"))
        js = r.dumps.get("json") or []
        t.ok(find_row(js, "Body (JSON)") > 0 and find_row(js, '"order": "order-42"') > 0 and
             find_row(js, '"items": [1, 2]') > 0, "a JSON body is pretty-printed",
             detail=r.screen("json"))
        t.ok(screen_has(r.dumps.get("s3new"), "s3://big-bucket/payloads/new-form, 2.9 MiB") or
             screen_has(r.dumps.get("s3new"), "s3://big-bucket/payloads/new-form, 2.86 MiB") or
             screen_has(r.dumps.get("s3new"), "s3://big-bucket/payloads/new-form,"),
             "PayloadS3Pointer: labelled with the S3 object and its size",
             detail=r.screen("s3new"))
        t.ok(screen_has(r.dumps.get("s3old"), "s3://big-bucket/payloads/old-form,"),
             "MessageS3Pointer (the older form) too", detail=r.screen("s3old"))
        t.ok(not screen_has(r.dumps.get("s3old"), "size not given") and
             not screen_has(r.dumps.get("s3new"), "size not given"),
             "the real size from ExtendedPayloadSize and SQSLargePayloadSize")
        t.ok(status(r, "saved").startswith("saved the 38 bytes of the body to "),
             "s saves the body", detail=r.screen("saved"))
        with open(save_to, encoding="utf-8") as f:
            t.eq(f.read(), bodies[0], "the file holds the body exactly")
        t.eq(os.stat(save_to).st_mode & 0o777, 0o600, "and is 0600")
        t.ok(screen_has(r.dumps.get("exists"), "exists: choose"),
             "saving again to the same file asks first (the form says it exists)",
             detail=r.screen("exists"))
        t.ok(status(r, "overwritten").startswith("saved the 38 bytes"),
             "and overwrites only when told to", detail=r.screen("overwritten"))
        t.ok(screen_has(r.dumps.get("s3new-read"), "Payload, bytes 0-65535 of 97.6 KiB (text)"),
             "f reads the first 64 KiB of the payload from S3, and says of how much",
             detail=r.screen("s3new-read"))
        t.ok(screen_has(r.dumps.get("s3new-read"), "xxxxxxxxxxxxxxxx"),
             "and shows it", detail=r.screen("s3new-read"))
        t.ok(screen_has(r.dumps.get("s3old-read"), "Payload, bytes 0-8 of 9 B (not UTF-8: hex)")
             and screen_has(r.dumps.get("s3old-read"), "00 01 62 69 6e 61 72 79 ff"),
             "a binary payload (the older pointer form) as a hex dump",
             detail=r.screen("s3old-read"))
        ev = "\n".join(r.dumps.get("evil") or [])
        t.ok("\x1b" not in ev and "\u202e" not in ev and "\\x1b[2J" in ev.replace("\\e", "\\x1b")
             or ("\x1b" not in ev and "\u202e" not in ev and "[2J" in ev),
             "escape sequences and bidi overrides are shown escaped", detail=ev)
        tw = r.dumps.get("twice") or []
        t.ok(screen_has(tw, "the NEXT receive moves this one"),
             "its pane says the next receive moves it to the DLQ", detail=r.screen("twice"))
        lg = r.dumps.get("long") or []
        t.ok(screen_has(lg, "LLLLLLLL") and screen_has(lg, "of "),
             "a 200 KiB line is wrapped and scrolls to its end", detail=r.screen("long"))

        # peek again: the form offers to keep the earlier peek (peek more) or replace it
        write_app_config(env, "[general]\npeek_count = 2\n[intervals]\ndefault = 2\n")
        plain = sqs.create_queue(QueueName="plain")["QueueUrl"]
        for i in range(3):
            sqs.send_message(QueueUrl=plain, MessageBody="plain-%d" % i)
        s = Script().refresh().keys("2").keys("/plain<Enter>").keys("m<C-x>")
        s.keys("m").dump("form2").keys("<C-u>1<Tab><Right><C-x>").keys(":messages<Enter>")
        s.dump("replaced")
        r = run_script(env, s)
        t.ok(screen_has(r.dumps.get("form2"), "Earlier") and
             screen_has(r.dumps.get("form2"), "keep: peek more"),
             "a second peek of the queue offers to keep the first (peek more)",
             detail=r.screen("form2"))
        t.ok(screen_has(r.dumps.get("form2"), "Messages    2"),
             "the form's count is [general] peek_count", detail=r.screen("form2"))
        rep = r.dumps.get("replaced") or []
        t.ok(screen_has(rep, "Peeked messages  1 "), "replace with 1: :messages shows that one",
             detail=r.screen("replaced"))

        # a FIFO queue: the form says a held message blocks its group; GROUP is listed
        fifo = sqs.create_queue(QueueName="events.fifo", Attributes={
            "FifoQueue": "true", "ContentBasedDeduplication": "true"})["QueueUrl"]
        sqs.send_message(QueueUrl=fifo, MessageBody="fifo-1", MessageGroupId="tenant-7")
        s = Script().refresh().keys("2").keys("/events<Enter>").keys("m").dump("fifo-form")
        s.keys("<C-x>:messages<Enter>").dump("fifo-list")
        r = run_script(env, s)
        ff = " ".join(x.strip(" │") for x in r.dumps.get("fifo-form") or [])
        t.ok("FIFO: a held message blocks its group until released" in ff,
             "FIFO: the form says a held message blocks its group", detail=r.screen("fifo-form"))
        fl = r.dumps.get("fifo-list") or []
        row = find_row(fl, "events.fifo")
        t.ok(row > 0 and "tenant-7" in fl[row], ":messages shows the group id",
             detail=r.screen("fifo-list"))
        lines = [l for l in audit_lines(env) if l["event"] == "request"]
        peeks = [l for l in lines if l["action"] == "ReceiveMessage" and
                 l["parameters"].get("purpose") == "peek"]
        releases = [l for l in lines if l["action"] == "ChangeMessageVisibilityBatch"]
        t.ok(peeks and releases and all(l["parameters"].get("hold") == 30 for l in peeks),
             "each peek's receive (with its 30 s hold) and release is audited")

        # read-only: nothing received
        before = counts(sqs, q)
        s = Script().refresh().keys("2").keys("/orders<Enter>").keys("m").dump("refused")
        r = run_script(env, s, args=("--read-only",))
        t.ok(status(r, "refused").startswith("read-only"), "--read-only: m refused",
             detail=r.screen("refused"))
        after = counts(sqs, q)
        t.eq({k: after[k] - before[k] for k in after}, {k: 1 for k in after},
             "and no message was received by it (only boto3's read counts)")
        t.ok(len(after) == 5, "(the 5 messages still in the queue)", detail=str(after))
    t.done()


if __name__ == "__main__":
    main()
