"""test_redrive.py - `opsdeck dlq redrive`, end to end.

  - server side (StartMessageMoveTask): against tests/lib/movetask_server.py relaying every
    other request to moto (moto answers the move-task actions with HTTP 500): the task is
    started for the DLQ's ARN with no destination and the rate asked for, its progress read
    until COMPLETED, the count printed; boto3 talking to the same fake reads the same task;
  - on moto alone the server-side move is not there: exit 1, a line that says what to do;
  - exit statuses that say what happened: 1 failed with nothing moved, 2 a QUEUE that is no
    queue ARN, 3 refused (read-only) or not confirmed, 4 stopped part way (a `dlq send` the
    queue refuses a message of after 10 were sent);
  - client side (--to): every message moved with its body and message attributes; to a FIFO
    queue with the group id kept and the original MessageId as the deduplication id; QUEUE
    given as an ARN; every write audited (receive, send, delete) with the confirmation;
  - read-only refuses `dlq redrive`, `dlq export` and `dlq send` with zero bytes on the wire
    (a recording relay) and no file written, and a non-terminal stdin without --yes refuses
    with nothing moved;
  - a journal left by another move at the same path is refused, not resumed;
  - export, purge, send back: `dlq export` writes every message once (0600) and leaves them
    in the queue, refuses an existing file; `dlq send` puts them back with their attributes;
    a file with a bad line sends nothing; export and send audit each of their requests
    (request and outcome, confirmed by --yes).
"""
import hashlib
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from awsenv import Moto, aws_env, boto3_clients, sqs_receive_all  # noqa: E402
from console import audit_lines  # noqa: E402
from movetask_server import MoveTaskServer  # noqa: E402
from recproxy import RecordingProxy  # noqa: E402
from tap import Tap  # noqa: E402

OPSDECK = os.environ["OPSDECK"]
t = Tap()


def run(env, *args):
    p = subprocess.run([OPSDECK, *args], env=env, stdin=subprocess.DEVNULL,
                       capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def fill(sqs, url, n, prefix="m"):
    for i in range(0, n, 10):
        sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": "e%d" % j, "MessageBody": "%s-%03d" % (prefix, i + j),
             "MessageAttributes": {"kind": {"DataType": "String", "StringValue": "k%d" % (i + j)},
                                   "blob": {"DataType": "Binary", "BinaryValue": b"\x00\xff%d" % j}}}
            for j in range(min(10, n - i))])


def audited(lines, cmd, url, actions):
    """Each of actions has a request and an outcome line in lines (the command's own), every
    request on url and confirmed by --yes, and no request of another action."""
    acts = [(l["event"], l["action"]) for l in lines]
    for a in actions:
        t.ok(("request", a) in acts and ("outcome", a) in acts,
             "%s: %s is audited (request and outcome)" % (cmd, a), detail=str(acts))
    reqs = [l for l in lines if l["event"] == "request"]
    t.ok(reqs and {l["action"] for l in reqs} <= set(actions) and
         all(l["parameters"].get("confirmation") == "--yes" and l.get("resource") == url
             for l in reqs),
         "%s: every request names the queue and --yes, and is one of %s" % (cmd, ", ".join(actions)),
         detail=json.dumps(reqs[:2]))


def main():
    with Moto() as moto:
        sqs = boto3_clients(moto.endpoint, services=("sqs",))["sqs"]
        dlq = sqs.create_queue(QueueName="orders-dlq")["QueueUrl"]
        dest = sqs.create_queue(QueueName="orders")["QueueUrl"]
        fifo = sqs.create_queue(QueueName="events.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
        dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        env = aws_env(moto.endpoint)
        env["XDG_STATE_HOME"] = os.path.join(env["HOME"], ".local", "state")

        # ---- server side, on a fake with the move-task actions ---------------------------------
        with MoveTaskServer(to_move=7, step=3, upstream=moto.endpoint) as fake:
            fenv = dict(env, AWS_ENDPOINT_URL=fake.endpoint)
            rc, out, err = run(fenv, "dlq", "redrive", dlq, "--rate", "50", "--yes")
            t.eq(rc, 0, "server-side redrive exits 0")
            t.eq(out, "moved 7 messages from orders-dlq back to their sources\n",
                 "it prints what was moved, and where")
            starts = [b for (tg, b) in fake.requests if tg.endswith("StartMessageMoveTask")]
            t.eq(starts, [{"SourceArn": dlq_arn, "MaxNumberOfMessagesPerSecond": 50}],
                 "one StartMessageMoveTask: the DLQ's ARN, no destination, the rate")
            lists = [b for (tg, b) in fake.requests if tg.endswith("ListMessageMoveTasks")]
            t.eq(len(lists), 3, "progress read with ListMessageMoveTasks until COMPLETED (3+3+1)")
            b3 = boto3_clients(fake.endpoint, services=("sqs",))["sqs"]
            task = b3.list_message_move_tasks(SourceArn=dlq_arn, MaxResults=1)["Results"][0]
            t.eq((task["Status"], task["ApproximateNumberOfMessagesMoved"]), ("COMPLETED", 7),
                 "boto3 on the same fake reads the task COMPLETED with 7 moved")

            rc, out, err = run(fenv, "dlq", "redrive", "arn:aws:sqs:us-east-1:123456789012:missing", "--yes")
            t.eq(rc, 1, "an ARN of a queue that is not there: exit 1")
            rc, out, err = run(fenv, "dlq", "redrive", "arn:aws:sqs:us-east-1", "--yes")
            t.eq(rc, 2, "a QUEUE that is no queue ARN: exit 2 (usage)")
            t.ok("is not a queue ARN" in err, "saying so", detail=err)

        rc, out, err = run(env, "dlq", "redrive", "orders-dlq", "--yes")
        t.eq(rc, 1, "moto has no StartMessageMoveTask: exit 1")
        t.ok("give a destination queue (To)" in err and "StartMessageMoveTask" in err,
             "and the line says what failed and what to do instead", detail=err)

        # ---- client side -------------------------------------------------------------------------
        fill(sqs, dlq, 23)
        rc, out, err = run(env, "dlq", "redrive", dlq_arn, "--to", dest, "--yes")
        t.eq(rc, 0, "client-side redrive (QUEUE as an ARN) exits 0")
        t.eq(out, "moved 23 messages from orders-dlq to %s\n" % dest, "it prints the count")
        got = sqs_receive_all(sqs, dest)
        t.eq(sorted(m["Body"] for m in got), ["m-%03d" % i for i in range(23)],
             "every body arrives once")
        t.ok(all(m["MessageAttributes"]["kind"]["StringValue"] == "k%d" % int(m["Body"][2:])
                 and m["MessageAttributes"]["blob"]["BinaryValue"].startswith(b"\x00\xff")
                 for m in got), "with its String and Binary message attributes")
        t.eq(sqs_receive_all(sqs, dlq), [], "and the DLQ is empty")
        lines = audit_lines(env)
        acts = [(l["event"], l["action"]) for l in lines]
        for a in ("ReceiveMessage", "SendMessageBatch", "DeleteMessageBatch"):
            t.ok(("request", a) in acts and ("outcome", a) in acts,
                 "%s is audited (request and outcome)" % a)
        sends = [l for l in lines if l["action"] == "SendMessageBatch" and l["event"] == "request"]
        t.ok(sends and all(l["parameters"].get("to") == dest and
                           l["parameters"].get("confirmation") == "--yes" for l in sends),
             "the audit names the destination and the confirmation")
        t.ok(not any("m-0" in json.dumps(l) for l in lines), "no body in the audit")

        # FIFO destination
        fill(sqs, dlq, 4, prefix="f")
        rc, out, err = run(env, "dlq", "redrive", "orders-dlq", "--to", fifo, "--yes")
        t.eq(rc, 0, "to a FIFO queue: exit 0")
        got = sqs_receive_all(sqs, fifo)
        t.eq(sorted(m["Body"] for m in got), ["f-%03d" % i for i in range(4)], "all arrive")
        t.ok(all(m["Attributes"].get("MessageGroupId") == "opsdeck-redrive" for m in got),
             "a message without a group gets the group opsdeck-redrive")
        dd = [m["Attributes"].get("MessageDeduplicationId", "") for m in got]
        t.ok(all(len(x) == 36 and x.count("-") == 4 for x in dd) and len(set(dd)) == 4,
             "the deduplication id is the original MessageId (one per message)", detail=str(dd))

        # ---- refusals ----------------------------------------------------------------------------
        fill(sqs, dlq, 3, prefix="r")
        with RecordingProxy("127.0.0.1", int(moto.endpoint.rsplit(":", 1)[1])) as px:
            penv = aws_env(px.endpoint)
            penv["XDG_STATE_HOME"] = env["XDG_STATE_HOME"]
            rc, out, err = run(penv, "--read-only", "dlq", "redrive", dlq, "--to", dest, "--yes")
            t.eq(rc, 3, "--read-only: exit 3 (refused)")
            t.ok("read-only" in err, "saying read-only", detail=err)
            t.eq((px.connections, px.bytes_in), (0, 0), "and not one byte reached the server")
            px.reset()
            ro_file = os.path.join(env["HOME"], "ro.jsonl")
            rc, out, err = run(penv, "--read-only", "dlq", "export", dlq, ro_file, "--yes")
            t.eq(rc, 3, "dlq export --read-only: exit 3 (refused)")
            t.ok("read-only" in err, "saying read-only", detail=err)
            t.eq((px.connections, px.bytes_in), (0, 0), "and not one byte reached the server")
            t.ok(not os.path.exists(ro_file), "and no file was written")
            px.reset()
            with open(ro_file, "w") as f:
                f.write(json.dumps({"MessageId": "ro-1", "Body": "ro"}) + "\n")
            rc, out, err = run(penv, "--read-only", "dlq", "send", ro_file, dlq, "--yes")
            t.eq(rc, 3, "dlq send --read-only: exit 3 (refused)")
            t.ok("read-only" in err, "saying read-only", detail=err)
            t.eq((px.connections, px.bytes_in), (0, 0), "and not one byte reached the server")
            px.reset()
            rc, out, err = run(penv, "dlq", "redrive", dlq, "--to", dest)
            t.eq(rc, 3, "no --yes with stdin not a terminal: exit 3 (not confirmed)")
            t.ok("--yes" in err, "saying --yes is needed", detail=err)
            t.ok(not any("ReceiveMessage" in x or "SendMessage" in x for x in px.targets()),
                 "and no message was received or sent")
        t.eq(len(sqs_receive_all(sqs, dlq)), 3, "the DLQ still holds its 3 messages")

        # ---- a journal that is not this move's ----------------------------------------------------
        fill(sqs, dlq, 2, prefix="j")
        rc, out, err = run(env, "dlq", "redrive", dlq, "--to", dest, "--yes", "--rate", "1")
        jdir = os.path.join(env["XDG_STATE_HOME"], "opsdeck", "redrive")
        t.eq(os.listdir(jdir), [], "a finished move leaves no journal")
        sqs_receive_all(sqs, dest)
        fill(sqs, dlq, 2, prefix="k")
        # plant a journal at the path this move would use, written for another pair
        name = hashlib.sha256(("%s\n%s" % (dlq, dest)).encode()).hexdigest()[:16] + ".jsonl"
        with open(os.path.join(jdir, name), "w") as f:
            f.write(json.dumps({"op": "move", "from": dlq, "to": fifo}) + "\n")
            f.write(json.dumps({"op": "recv", "rh": "x", "id": "y"}) + "\n")
            f.write(json.dumps({"op": "sent", "rh": "x"}) + "\n")
        os.chmod(os.path.join(jdir, name), 0o600)
        rc, out, err = run(env, "dlq", "redrive", dlq, "--to", dest, "--yes")
        t.eq(rc, 1, "a journal of another move at the path: exit 1")
        t.ok("for another move" in err, "saying so", detail=err)
        t.eq(len(sqs_receive_all(sqs, dlq)), 2, "and nothing was moved")

        # ---- export, purge, send back --------------------------------------------------------------
        sqs.purge_queue(QueueUrl=dlq)
        sqs_receive_all(sqs, dest)
        fill(sqs, dlq, 15, prefix="x")
        out_file = os.path.join(env["HOME"], "poison.jsonl")
        seen = len(audit_lines(env))
        rc, out, err = run(env, "dlq", "export", "orders-dlq", out_file, "--yes")
        t.eq(rc, 0, "dlq export exits 0")
        audited(audit_lines(env)[seen:], "dlq export", dlq,
                ("ReceiveMessage", "ChangeMessageVisibilityBatch"))
        t.eq(out, "exported 15 messages of orders-dlq to %s (0600); they stay in the queue\n"
             % out_file, "it says how many, where, and that they stay")
        t.eq(os.stat(out_file).st_mode & 0o777, 0o600, "the file is 0600")
        with open(out_file, encoding="utf-8") as f:
            lines = [json.loads(x) for x in f]
        t.eq(sorted(x["Body"] for x in lines), ["x-%03d" % i for i in range(15)],
             "one line per message, each once")
        ref = {m["Body"]: m for m in sqs_receive_all(sqs, dlq)}
        t.eq(sorted(ref), sorted(x["Body"] for x in lines),
             "every message is still in the queue (none deleted, all released)")
        t.ok(all(x["MessageId"] == ref[x["Body"]]["MessageId"] and
                 x["MessageAttributes"]["kind"] == {"DataType": "String",
                                                    "StringValue": ref[x["Body"]]["MessageAttributes"]["kind"]["StringValue"]}
                 for x in lines), "ids and String attributes as boto3 reads them")
        rc, out, err = run(env, "dlq", "export", "orders-dlq", out_file, "--yes")
        t.eq(rc, 2, "exporting to an existing file: exit 2")
        t.ok("exists" in err, "saying the file exists (it is never overwritten)", detail=err)
        # the queue was emptied by boto3's read above (it deletes): send the file back
        seen = len(audit_lines(env))
        rc, out, err = run(env, "dlq", "send", out_file, "orders-dlq", "--yes")
        t.eq(rc, 0, "dlq send exits 0")
        audited(audit_lines(env)[seen:], "dlq send", dlq, ("SendMessageBatch",))
        t.eq(out, "sent 15 messages of %s to orders-dlq\n" % out_file, "it says how many")
        back = {m["Body"]: m for m in sqs_receive_all(sqs, dlq)}
        t.eq(sorted(back), sorted(ref), "the round trip brings back every body")
        t.ok(all(back[b]["MessageAttributes"] == ref[b]["MessageAttributes"] for b in back),
             "with the same String and Binary message attributes",
             detail=str([(back[b]["MessageAttributes"], ref[b]["MessageAttributes"]) for b in list(back)[:1]]))
        bad_file = os.path.join(env["HOME"], "bad.jsonl")
        with open(bad_file, "w") as f:
            f.write(json.dumps({"Body": "ok"}) + "\n")
            f.write(json.dumps({"Body": "b", "MessageAttributes": {"x": {"DataType": "Binary",
                                                                         "BinaryValue": "%%%"}}}) + "\n")
        rc, out, err = run(env, "dlq", "send", bad_file, "orders-dlq", "--yes")
        t.eq(rc, 2, "a file with a bad line: exit 2")
        t.ok("line 2" in err and "nothing was sent" in err, "naming the line; nothing sent",
             detail=err)
        t.eq(sqs_receive_all(sqs, dlq), [], "and the queue got nothing")

        # ---- stopped part way: exit 4 --------------------------------------------------------------
        small = sqs.create_queue(QueueName="small", Attributes={"MaximumMessageSize": "1024"})["QueueUrl"]
        big_file = os.path.join(env["HOME"], "big.jsonl")
        with open(big_file, "w") as f:
            for i in range(10):
                f.write(json.dumps({"MessageId": "id-%d" % i, "Body": "s-%d" % i}) + "\n")
            f.write(json.dumps({"MessageId": "id-big", "Body": "b" * 2000}) + "\n")
        rc, out, err = run(env, "dlq", "send", big_file, "small", "--yes")
        t.eq(rc, 4, "the queue refuses a message after 10 were sent: exit 4 (part way)")
        t.ok("10 of 11 messages sent" in err, "the line says how many were sent", detail=err)
        t.eq(sorted(m["Body"] for m in sqs_receive_all(sqs, small)), ["s-%d" % i for i in range(10)],
             "and the queue holds exactly those 10")
        rc, out, err = run(env, "dlq", "send", big_file, "small.fifo", "--yes")
        t.eq(rc, 1, "a queue name that is not there: exit 1 (failed, nothing sent)")
    t.done()


if __name__ == "__main__":
    main()
