"""test_redrive_crash.py - the client-side mover's promise, on moto: a message is never lost.

500 messages (each with a message attribute) wait in a dead-letter queue. `opsdeck dlq
redrive DLQ --to QUEUE` is started 50 times in a fresh process and SIGKILLed at a random
point of its protocol each time: after the k-th new line of the audit log (k random, fixed
seed), that is while a receive, a send or a delete is on the way or was just answered.
Then it is run to its end. Afterwards:
  - every one of the 500 bodies is in the destination or still in the DLQ (none lost), with
    its message attribute; the duplicates are counted and reported;
  - the DLQ is empty and the journal is gone (the move finished);
  - the kills did land in both dangerous places: at least one left messages received but
    not confirmed sent (a resume releases them) and one left messages sent but not deleted
    (a resume deletes them), read from the journal each killed process left.
"""
import json
import os
import random
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from awsenv import Moto, aws_env, boto3_clients, sqs_receive_all  # noqa: E402
from tap import Tap  # noqa: E402

OPSDECK = os.environ["OPSDECK"]
N = 500
KILLS = 50
t = Tap()


def journal_state(state_dir):
    """(received, sent) held by the journal(s) in state_dir, replayed as the mover does."""
    d = os.path.join(state_dir, "opsdeck", "redrive")
    recv = sent = 0
    for name in os.listdir(d) if os.path.isdir(d) else []:
        held = {}
        with open(os.path.join(d, name), encoding="utf-8", errors="replace") as f:
            for line in f:
                try:
                    o = json.loads(line)
                except ValueError:
                    continue
                rh = o.get("rh")
                if o.get("op") == "recv" and rh not in held:
                    held[rh] = "recv"
                elif o.get("op") == "sent" and held.get(rh) == "recv":
                    held[rh] = "sent"
                elif o.get("op") == "done":
                    held.pop(rh, None)
        recv += sum(1 for v in held.values() if v == "recv")
        sent += sum(1 for v in held.values() if v == "sent")
    return recv, sent


def audit_len(path):
    try:
        with open(path, "rb") as f:
            return f.read().count(b"\n")
    except FileNotFoundError:
        return 0


def depth(sqs, url):
    a = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    return int(a["ApproximateNumberOfMessages"]), int(a["ApproximateNumberOfMessagesNotVisible"])


def main():
    seed = int(os.environ.get("REDRIVE_CRASH_SEED", "20261203"))
    rnd = random.Random(seed)
    t.diag("seed %d (REDRIVE_CRASH_SEED)" % seed)
    with Moto() as moto:
        sqs = boto3_clients(moto.endpoint, services=("sqs",))["sqs"]
        dlq = sqs.create_queue(QueueName="crash-dlq")["QueueUrl"]
        dest = sqs.create_queue(QueueName="crash-dest")["QueueUrl"]
        for i in range(0, N, 10):
            sqs.send_message_batch(QueueUrl=dlq, Entries=[
                {"Id": "e%d" % j, "MessageBody": "body-%03d" % (i + j),
                 "MessageAttributes": {"n": {"DataType": "Number",
                                             "StringValue": str(i + j)}}}
                for j in range(10)])
        env = aws_env(moto.endpoint)
        env["XDG_STATE_HOME"] = os.path.join(env["HOME"], ".local", "state")
        audit = os.path.join(env["XDG_STATE_HOME"], "opsdeck", "audit.jsonl")
        argv = [OPSDECK, "dlq", "redrive", dlq, "--to", dest, "--hold", "5", "--yes"]

        kills = finished_early = 0
        left_recv = left_sent = 0
        modes = set()
        while kills < KILLS:
            start = audit_len(audit)
            k = rnd.randint(1, 12)
            p = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            while p.poll() is None and audit_len(audit) < start + k:
                time.sleep(0.002)
            if p.poll() is not None:
                finished_early += 1
                if finished_early > 20:
                    break
                # everything visible was moved: the rest is held by a killed process
                # until its hold ends; start the next one when they are back
                while depth(sqs, dlq)[1] > 0 and depth(sqs, dlq)[0] == 0:
                    time.sleep(0.2)
                continue
            p.send_signal(signal.SIGKILL)
            p.wait()
            kills += 1
            r, s = journal_state(env["XDG_STATE_HOME"])
            jd = os.path.join(env["XDG_STATE_HOME"], "opsdeck", "redrive")
            modes |= {os.stat(os.path.join(jd, f)).st_mode & 0o777 for f in os.listdir(jd)}
            left_recv += r > 0
            left_sent += s > 0
        t.eq(kills, KILLS, "the mover was SIGKILLed %d times mid-move" % KILLS)
        t.diag("kills that left received-not-sent messages: %d, sent-not-deleted: %d"
               % (left_recv, left_sent))
        t.ok(left_recv > 0, "some kill left messages received but not confirmed sent")
        t.ok(left_sent > 0, "some kill left messages sent but not yet deleted")

        # run to the end: messages held by killed processes come back after their hold
        rc = None
        for _ in range(40):
            p = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                               text=True, timeout=300)
            rc = p.returncode
            vis, held = depth(sqs, dlq)
            if rc == 0 and vis == 0 and held == 0:
                break
            time.sleep(1)
        t.eq(rc, 0, "the last run ends with exit 0")
        t.ok(p.stdout.startswith("moved "), "and says how many it moved",
             detail=p.stdout + p.stderr)

        got = sqs_receive_all(sqs, dest)
        left = sqs_receive_all(sqs, dlq)
        bodies = [m["Body"] for m in got] + [m["Body"] for m in left]
        want = {"body-%03d" % i for i in range(N)}
        missing = want - set(bodies)
        t.eq(sorted(missing), [], "no message is lost: every body is in the destination or "
                                  "the DLQ")
        t.eq(sorted(set(bodies) - want), [], "nothing else appeared")
        t.eq(len(left), 0, "the DLQ is empty at the end")
        dups = len(bodies) - len(set(bodies))
        t.diag("duplicates after %d kills: %d of %d messages" % (kills, dups, N))
        bad_attr = [m["Body"] for m in got
                    if m.get("MessageAttributes", {}).get("n", {}).get("StringValue")
                    != str(int(m["Body"][5:]))]
        t.eq(bad_attr, [], "each message kept its message attribute")
        d = os.path.join(env["XDG_STATE_HOME"], "opsdeck", "redrive")
        t.eq(os.listdir(d) if os.path.isdir(d) else [], [],
             "the journal is removed once the move finished")
        t.eq(sorted(modes), [0o600], "the journal a killed mover left was 0600 every time")
    t.done()


if __name__ == "__main__":
    main()
