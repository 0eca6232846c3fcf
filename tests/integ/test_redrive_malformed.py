"""test_redrive_malformed.py - the client-side mover given answers AWS would not give, on moto
behind a relay that changes them (tests/lib/tamper_relay.py). Its rule: a message is
deleted from the DLQ only when the destination confirmed it (its entry id, the MD5 of its
body). Each case runs `opsdeck dlq redrive DLQ --to DEST --yes` once and reads both queues
with boto3:
  - SendMessageBatch answered with a wrong MD5: nothing deleted, the messages released
    (visible in the DLQ at once), exit 1 saying the answer did not match;
  - answered with ids that were not sent: nothing deleted;
  - one entry failed (the others confirmed): only the confirmed ones deleted, the failed one
    stays in the DLQ, exit 4 (part way) naming the refusal;
  - a body that is not JSON: nothing deleted;
  - a 500 on every SendMessageBatch: nothing deleted;
  - a received message without a ReceiptHandle: the receive is refused, nothing sent;
  - DeleteMessageBatch failing: exit 1, the journal keeps what was sent; the next run
    (nothing changed) deletes those from the journal first and does not send them again.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from awsenv import Moto, aws_env, boto3_clients, sqs_receive_all  # noqa: E402
from tamper_relay import TamperRelay  # noqa: E402
from tap import Tap  # noqa: E402
import subprocess  # noqa: E402

OPSDECK = os.environ["OPSDECK"]
t = Tap()


def wrong_md5(status, doc):
    for e in doc.get("Successful", []):
        e["MD5OfMessageBody"] = "0" * 32
    return status, doc


def other_ids(status, doc):
    for e in doc.get("Successful", []):
        e["Id"] = "m99"
    return status, doc


def fail_m1(status, doc):
    ok = [e for e in doc.get("Successful", []) if e["Id"] != "m1"]
    failed = [{"Id": "m1", "SenderFault": True, "Code": "InvalidParameterValue",
               "Message": "refused by test"}] if len(ok) < len(doc.get("Successful", [])) else []
    return status, {"Successful": ok, "Failed": failed}


def not_json(status, doc):
    return status, "this is not JSON"


def no_receipt(status, doc):
    for m in doc.get("Messages", []):
        m.pop("ReceiptHandle", None)
    return status, doc


def main():
    with Moto() as moto:
        sqs = boto3_clients(moto.endpoint, services=("sqs",))["sqs"]
        dlq = sqs.create_queue(QueueName="bad-dlq")["QueueUrl"]
        dest = sqs.create_queue(QueueName="bad-dest")["QueueUrl"]
        home_env = aws_env(moto.endpoint)
        state = os.path.join(home_env["HOME"], ".local", "state")

        def case(hooks, n=3):
            sqs.purge_queue(QueueUrl=dlq)
            sqs.purge_queue(QueueUrl=dest)
            for i in range(n):
                sqs.send_message(QueueUrl=dlq, MessageBody="msg-%d" % i)
            with TamperRelay(moto.endpoint, hooks) as relay:
                env = aws_env(relay.endpoint, home=home_env["HOME"])
                env["XDG_STATE_HOME"] = state
                p = subprocess.run([OPSDECK, "dlq", "redrive", dlq, "--to", dest, "--yes"],
                                   env=env, stdin=subprocess.DEVNULL, capture_output=True,
                                   text=True, timeout=300)
                deletes = [e["ReceiptHandle"] for b in relay.actions("DeleteMessageBatch")
                           for e in b.get("Entries", [])]
                sends = sum(len(b.get("Entries", [])) for b in relay.actions("SendMessageBatch"))
            left = sorted(m["Body"] for m in sqs_receive_all(sqs, dlq))
            moved = sorted(m["Body"] for m in sqs_receive_all(sqs, dest))
            return p, deletes, sends, left, moved

        all3 = ["msg-0", "msg-1", "msg-2"]
        p, deletes, sends, left, moved = case({"SendMessageBatch": wrong_md5})
        t.eq(p.returncode, 1, "wrong MD5: exit 1")
        t.ok("do not match" in p.stderr, "saying the answer did not match", detail=p.stderr)
        t.eq(deletes, [], "nothing deleted")
        t.eq(left, all3, "every message is back in the DLQ at once (released)")
        t.eq(moved, all3, "(the destination got copies: a duplicate at worst, never a loss)")

        p, deletes, sends, left, moved = case({"SendMessageBatch": other_ids})
        t.eq((p.returncode, deletes, left), (1, [], all3), "ids that were not sent: nothing "
             "deleted, all in the DLQ, exit 1")

        p, deletes, sends, left, moved = case({"SendMessageBatch": fail_m1})
        t.eq(p.returncode, 4, "one entry failed: exit 4 (part way: the others moved)")
        t.ok("refused a message" in p.stderr and "InvalidParameterValue" in p.stderr,
             "naming the refusal", detail=p.stderr)
        t.eq(len(deletes), 2, "only the two confirmed messages are deleted")
        t.eq(len(left), 1, "the refused one stays in the DLQ")
        t.eq(sorted(set(left + moved)), all3, "and nothing is lost")

        p, deletes, sends, left, moved = case({"SendMessageBatch": not_json})
        t.eq((p.returncode, deletes, left), (1, [], all3), "an answer that is not JSON: "
             "nothing deleted, all in the DLQ, exit 1")

        p, deletes, sends, left, moved = case({"SendMessageBatch": TamperRelay.refuse(500)})
        t.eq((p.returncode, deletes, left, moved), (1, [], all3, []),
             "SendMessageBatch failing with 500: nothing deleted, nothing moved, exit 1")

        p, deletes, sends, left, moved = case({"ReceiveMessage": no_receipt})
        t.eq((p.returncode, sends, deletes, moved), (1, 0, [], []),
             "a message without a ReceiptHandle: the receive is refused, nothing sent")
        t.ok("ReceiveMessage" in p.stderr, "and the line names ReceiveMessage", detail=p.stderr)

        # deletes fail: the journal keeps what was sent; the next run only deletes them
        sqs.purge_queue(QueueUrl=dlq)
        sqs.purge_queue(QueueUrl=dest)
        for i in range(3):
            sqs.send_message(QueueUrl=dlq, MessageBody="msg-%d" % i)
        env = None
        with TamperRelay(moto.endpoint, {"DeleteMessageBatch": TamperRelay.refuse(500)}) as relay:
            env = aws_env(relay.endpoint, home=home_env["HOME"])
            env["XDG_STATE_HOME"] = state
            p = subprocess.run([OPSDECK, "dlq", "redrive", dlq, "--to", dest, "--hold", "300",
                                "--yes"], env=env, stdin=subprocess.DEVNULL, capture_output=True,
                               text=True, timeout=300)
        t.eq(p.returncode, 1, "DeleteMessageBatch failing: exit 1")
        jdir = os.path.join(state, "opsdeck", "redrive")
        t.eq(len(os.listdir(jdir)), 1, "the journal stays for a resume")
        with TamperRelay(moto.endpoint, {}) as relay:
            env = aws_env(relay.endpoint, home=home_env["HOME"])
            env["XDG_STATE_HOME"] = state
            p = subprocess.run([OPSDECK, "dlq", "redrive", dlq, "--to", dest, "--yes"],
                               env=env, stdin=subprocess.DEVNULL, capture_output=True,
                               text=True, timeout=300)
            sends = sum(len(b.get("Entries", [])) for b in relay.actions("SendMessageBatch"))
            deletes = sum(len(b.get("Entries", [])) for b in relay.actions("DeleteMessageBatch"))
        t.eq(p.returncode, 0, "the next run ends with exit 0")
        t.eq((sends, deletes), (0, 3), "it deletes the 3 sent messages from the journal and "
             "sends none again")
        t.eq(sorted(m["Body"] for m in sqs_receive_all(sqs, dest)), all3,
             "each message is in the destination once")
        t.eq(sqs_receive_all(sqs, dlq), [], "and none in the DLQ")
        t.eq(os.listdir(jdir), [], "the journal is gone")
    t.done()


if __name__ == "__main__":
    main()
