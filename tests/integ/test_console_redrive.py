"""test_console_redrive.py - R in the dlq view, headless (OPSDECK_SCRIPT), on moto:

  - the form (80x24): To, Rate; Hold appears once a destination is typed;
  - the typed confirmation states how many messages, from where and to where, and takes
    only the DLQ's name;
  - the move runs as a job: its progress dialog ends done, the status line says how many
    were moved and where, :jobs lists it; boto3 finds every body in the destination and
    none in the DLQ;
  - a paced client-side move cancelled from :jobs stops part way with every message in one
    queue or the other, once;
  - --read-only: R is refused on the status line, no form, no message received;
  - without a destination, on moto (no StartMessageMoveTask): the job fails with a line
    that says to give a destination;
  - X: the typed confirmation says in-flight messages go too; the status line says it is
    purged; the pane shows the minute before another purge, and X inside it is refused
    before anything is sent (one PurgeQueue in the audit);
  - X when SQS answers PurgeQueueInProgress (another client purged the queue this minute;
    moto never says it, so a relay answers for it): the status line says a purge is already
    running, not an error to fix, and the messages are not touched;
  - E: a new file, every message once in it (0600), all still in the DLQ;
  - E in :messages after a peek: the peeked messages, each once, into a new 0600 file with
    the fields E's export has (same ids, bodies, MD5s, message attributes), the status line
    says where and that SQS was not asked; a second E to the same file is refused;
  - without a destination, on a fake with the move-task actions: StartMessageMoveTask with
    no destination, a job in :jobs, c cancels it with CancelMessageMoveTask and the job
    ends cancelled when the task does (boto3 on the same fake agrees).
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from awsenv import Moto, aws_env, boto3_clients, sqs_receive_all  # noqa: E402
from console import (Script, audit_lines, console_env, find_row, run_script, screen_has,  # noqa: E402
                     write_app_config)
from movetask_server import MoveTaskServer  # noqa: E402
from tamper_relay import TamperRelay  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()


def status(r, name):
    rows = r.dumps.get(name) or []
    return rows[-1] if rows else ""


def main():
    with Moto() as moto:
        sqs = boto3_clients(moto.endpoint, services=("sqs",))["sqs"]
        dlq = sqs.create_queue(QueueName="orders-dlq")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        src = sqs.create_queue(QueueName="orders", Attributes={
            "RedrivePolicy": '{"deadLetterTargetArn":"%s","maxReceiveCount":"3"}' % arn})["QueueUrl"]
        dest = sqs.create_queue(QueueName="replay")["QueueUrl"]
        for i in range(12):
            sqs.send_message(QueueUrl=dlq, MessageBody="poison-%02d" % i)
        env = console_env(moto.endpoint, aws_env(moto.endpoint))
        env["XDG_STATE_HOME"] = os.path.join(env["HOME"], ".local", "state")
        write_app_config(env, "[intervals]\ndefault = 2\n")

        s = Script().refresh().keys("3").keys("/orders-dlq<Enter>").refresh()
        s.keys("R").dump("form").keys(dest).dump("form-to").keys("<C-x>").dump("confirm")
        s.keys("orders<Enter>").dump("wrong").keys("<C-u>orders-dlq<Enter>").dump("done")
        s.keys("<Esc>:jobs<Enter>").dump("jobs")
        r = run_script(env, s)
        t.eq(r.rc, 0, "the console ran the script")
        form = r.dumps.get("form") or []
        t.eq(len(form), 24, "the form is drawn on an 80x24 screen")
        t.ok(find_row(form, "To") > 0 and find_row(form, "Rate (/s)") > 0 and
             find_row(form, "Hold (s)") < 0, "the form: To and Rate; no Hold without a "
             "destination", detail=r.screen("form"))
        t.ok(find_row(r.dumps.get("form-to") or [], "Hold (s)") > 0,
             "a destination typed: Hold appears", detail=r.screen("form-to"))
        conf = r.dumps.get("confirm") or []
        t.ok(screen_has(conf, "Redrive about 12 messages from orders-dlq to replay"),
             "the confirmation says how many, from where, to where", detail=r.screen("confirm"))
        t.ok(screen_has(conf, "Type the dlq's name to confirm: orders-dlq") or
             screen_has(conf, "to confirm: orders-dlq"),
             "and asks for the DLQ's name typed", detail=r.screen("confirm"))
        t.ok(screen_has(r.dumps.get("wrong"), "that is not the name"),
             "the source queue's name is not the DLQ's", detail=r.screen("wrong"))
        done = r.dumps.get("done") or []
        t.ok(screen_has(done, "12 / 12") or screen_has(done, "moved 12 messages"),
             "the progress dialog ends with the 12 moved", detail=r.screen("done"))
        jobs = r.dumps.get("jobs") or []
        row = find_row(jobs, "0001", "Redrive")
        t.ok(row > 0 and "done" in jobs[row], ":jobs lists the redrive, done",
             detail=r.screen("jobs"))
        got = sorted(m["Body"] for m in sqs_receive_all(sqs, dest))
        t.eq(got, ["poison-%02d" % i for i in range(12)], "boto3: every body in the destination")
        t.eq(sqs_receive_all(sqs, dlq), [], "and the DLQ is empty")

        # a paced client-side move, cancelled from :jobs: it stops after its batch in hand,
        # and every message is in one queue or the other
        for i in range(30):
            sqs.send_message(QueueUrl=dlq, MessageBody="slow-%02d" % i)
        s = Script().refresh().keys("3").keys("/orders-dlq<Enter>").refresh()
        s.keys("R" + dest + "<Tab><C-u>1<C-x>orders-dlq<Enter>").keys("<Esc>:jobs<Enter>")
        s.dump("slow-running").keys("c").keys("y").wait().dump("slow-cancelled")
        r = run_script(env, s)
        sr = r.dumps.get("slow-running") or []
        row = find_row(sr, "0001", "Redrive")
        t.ok(row > 0 and "running" in sr[row], "a paced move (1/s) runs as a job",
             detail=r.screen("slow-running"))
        sc = r.dumps.get("slow-cancelled") or []
        row = find_row(sc, "0001")
        t.ok(row > 0 and "cancelled" in sc[row], "c in :jobs cancels it",
             detail=r.screen("slow-cancelled"))
        moved = [m["Body"] for m in sqs_receive_all(sqs, dest)]
        left = [m["Body"] for m in sqs_receive_all(sqs, dlq)]
        t.ok(0 < len(moved) < 30, "it stopped part way", detail=str(len(moved)))
        t.eq(sorted(moved + left), ["slow-%02d" % i for i in range(30)],
             "every message is in one queue or the other, once")

        # read-only
        for i in range(3):
            sqs.send_message(QueueUrl=dlq, MessageBody="again-%d" % i)
        s = Script().refresh().keys("3").keys("/orders-dlq<Enter>").refresh().keys("R").dump("refused")
        r = run_script(env, s, args=("--read-only",))
        t.ok(status(r, "refused").startswith("read-only"), "--read-only: R is refused",
             detail=r.screen("refused"))
        t.ok(find_row(r.dumps.get("refused") or [], "Rate (/s)") < 0, "with no form",
             detail=r.screen("refused"))

        # no destination on moto: the server-side move is not there
        s = Script().refresh().keys("3").keys("/orders-dlq<Enter>").refresh()
        s.keys("R<C-x>orders-dlq<Enter>").dump("failed").keys("<Esc>:errors<Enter>").dump("errors")
        r = run_script(env, s)
        t.ok(status(r, "failed").startswith("StartMessageMoveTask on orders-dlq: "),
             "no destination on moto: the status line names the call that failed",
             detail=r.screen("failed"))
        t.ok(screen_has(r.dumps.get("errors"), "destination queue (To)"),
             "and :errors has the whole line, which says to give a destination",
             detail=r.screen("errors"))
        t.eq(len(sqs_receive_all(sqs, dlq)), 3, "the DLQ keeps its messages (none was received)")

        # ---- X: purge, and the minute after it -----------------------------------------------
        for i in range(3):
            sqs.send_message(QueueUrl=dlq, MessageBody="purge-me-%d" % i)
        s = Script().refresh().keys("3").keys("/orders-dlq<Enter>").refresh().keys("X").dump("purge")
        s.keys("orders-dlq<Enter>").dump("purged").keys("<Esc><Enter>").dump("pane")
        s.keys("X").dump("again")
        r = run_script(env, s)
        t.ok(screen_has(r.dumps.get("purge"), "Purge orders-dlq: all of its about 3 "
                                              "messages go, in-flight ones too") and
             screen_has(r.dumps.get("purge"), "to confirm: orders-dlq"),
             "X: the confirmation says what goes, in-flight messages too, and takes the "
             "typed name", detail=r.screen("purge"))
        t.ok(status(r, "purged").startswith("purged orders-dlq: SQS deletes its messages "
                                            "within 60 s"),
             "the status line says it is purged and what SQS does next",
             detail=r.screen("purged"))
        t.ok(screen_has(r.dumps.get("pane"), "Purged     just now; the next purge in"),
             "the queue's pane shows the minute before the next purge", detail=r.screen("pane"))
        t.ok(screen_has(r.dumps.get("again"), "was purged less than a minute ago"),
             "X again within the minute says so before anything is sent",
             detail=r.screen("again"))
        t.eq(sqs_receive_all(sqs, dlq), [], "boto3: the DLQ is empty")
        purges = [l for l in audit_lines(env)
                  if l["action"] == "PurgeQueue" and l["event"] == "request"]
        t.eq(len(purges), 1, "one PurgeQueue, audited")

        # ---- X while another client's purge runs: SQS says PurgeQueueInProgress ------------------
        sqs.send_message(QueueUrl=dlq, MessageBody="still-here")
        with TamperRelay(moto.endpoint,
                         {"PurgeQueue": TamperRelay.refuse(400, "PurgeQueueInProgress")}) as relay:
            renv = console_env(relay.endpoint, aws_env(relay.endpoint))
            renv["XDG_STATE_HOME"] = env["XDG_STATE_HOME"]
            renv["XDG_CONFIG_HOME"] = env["XDG_CONFIG_HOME"]
            s = Script().refresh().keys("3").keys("/orders-dlq<Enter>").refresh().keys("X")
            s.keys("orders-dlq<Enter>").dump("inprogress")
            r = run_script(renv, s)
            t.eq(len(relay.actions("PurgeQueue")), 1, "X sent one PurgeQueue (through the relay)")
            t.ok(status(r, "inprogress").startswith("a purge of orders-dlq is already running"),
                 "PurgeQueueInProgress reads as a purge already running",
                 detail=r.screen("inprogress"))
        t.eq([m["Body"] for m in sqs_receive_all(sqs, dlq)], ["still-here"],
             "boto3: the message is still there (the relay's answer stood for SQS's)")

        # ---- E: export ---------------------------------------------------------------------------
        for i in range(4):
            sqs.send_message(QueueUrl=dlq, MessageBody="keep-%d" % i)
        path = os.path.join(env["HOME"], "dlq-export.jsonl")
        s = Script().refresh().keys("3").keys("/orders-dlq<Enter>").refresh().keys("E").dump("form")
        s.keys(path + "<C-x>").dump("confirm").keys("y").dump("exported")
        r = run_script(env, s)
        t.ok(screen_has(r.dumps.get("form"), "File") and
             screen_has(r.dumps.get("form"), "an existing file is not"),
             "E asks for a new file", detail=r.screen("form"))
        t.ok(screen_has(r.dumps.get("confirm"), "Export every message of orders-dlq to"),
             "the confirmation names the queue and the file", detail=r.screen("confirm"))
        t.ok(screen_has(r.dumps.get("exported"), "exported 4 messages of orders-dlq"),
             "the job ends with the count", detail=r.screen("exported"))
        with open(path, encoding="utf-8") as f:
            got = sorted(json.loads(x)["Body"] for x in f)
        t.eq(got, ["keep-%d" % i for i in range(4)], "the file holds every message once")
        t.eq(os.stat(path).st_mode & 0o777, 0o600, "and is 0600")
        t.eq(len(sqs_receive_all(sqs, dlq)), 4, "the messages stay in the DLQ")

        # ---- E in :messages: the peeked ones, from the store -------------------------------------
        for i in range(4):   # boto3's read above deleted the others
            sqs.send_message(QueueUrl=dlq, MessageBody="keep-%d" % i, MessageAttributes={
                "kind": {"DataType": "String", "StringValue": "k%d" % i},
                "blob": {"DataType": "Binary", "BinaryValue": b"\x00\xff%d" % i}})
        ppath = os.path.join(env["HOME"], "peeked.jsonl")
        s = Script().refresh().keys("3").keys("/orders-dlq<Enter>").refresh().keys("m<C-x>").dump("peeked")
        s.keys(":messages<Enter>").dump("list").keys("E").dump("pform").keys(ppath + "<C-x>")
        s.dump("pwritten").keys("E" + ppath + "<C-x>").dump("pexists")
        r = run_script(env, s)
        listed = sum(1 for row in r.dumps.get("list") or [] if "keep-" in row)
        t.ok(listed == 4, ":messages lists the 4 peeked messages", detail=r.screen("list"))
        t.ok(screen_has(r.dumps.get("pform"), "Export the 4 peeked messages of orders-dlq"),
             "E asks for a file, naming how many and the queue", detail=r.screen("pform"))
        t.ok(status(r, "pwritten").startswith("wrote the 4 peeked messages of orders-dlq to "),
             "the status line says how many were written and where", detail=r.screen("pwritten"))
        with open(ppath, encoding="utf-8") as f:
            peeked = [json.loads(x) for x in f]
        fpath = os.path.join(env["HOME"], "full.jsonl")
        p = subprocess.run([os.environ["OPSDECK"], "dlq", "export", "orders-dlq", fpath, "--yes"],
                           env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
        with open(fpath, encoding="utf-8") as f:
            full = {x["MessageId"]: x for x in map(json.loads, f)}
        t.ok(p.returncode == 0 and len(full) == 4, "(dlq export of the same 4, to compare)",
             detail=p.stderr.decode(errors="replace"))
        t.eq(sorted(x["Body"] for x in peeked), ["keep-%d" % i for i in range(4)],
             "the file holds exactly the peeked messages, each once")
        t.eq(os.stat(ppath).st_mode & 0o777, 0o600, "and is 0600")
        same = [x for x in peeked if x["MessageId"] in full and
                sorted(x) == sorted(full[x["MessageId"]]) and
                all(x[k] == full[x["MessageId"]][k]
                    for k in ("Body", "MD5OfBody", "MessageAttributes")) and
                sorted(x["Attributes"]) == sorted(full[x["MessageId"]]["Attributes"])]
        t.ok(len(same) == 4, "each line has E's export fields: ids, bodies, MD5s, String and "
             "Binary message attributes alike", detail=json.dumps(peeked[:1]))
        t.ok(screen_has(r.dumps.get("pexists"), "exists: choose a new name"),
             "a second E to that file is refused (never overwritten)", detail=r.screen("pexists"))

        # ---- server side (a fake with the move-task actions, the rest relayed to moto): a
        # task that moves one message per progress read, cancelled from :jobs ----------------
        with MoveTaskServer(to_move=1000, step=1, upstream=moto.endpoint) as fake:
            fenv = console_env(fake.endpoint, aws_env(fake.endpoint))
            fenv["XDG_STATE_HOME"] = env["XDG_STATE_HOME"]
            fenv["XDG_CONFIG_HOME"] = env["XDG_CONFIG_HOME"]
            s = Script().refresh().keys("3").keys("/orders-dlq<Enter>").refresh()
            s.keys("R<C-x>").dump("confirm").keys("orders-dlq<Enter>").dump("progress")
            s.keys("<Esc>:jobs<Enter>").dump("running").keys("c").keys("y").wait().wait()
            s.dump("cancelled")
            r = run_script(fenv, s)
            t.ok(screen_has(r.dumps.get("confirm"), "from orders-dlq to the queues they came from"),
                 "without To: the confirmation says the messages go back where they came from",
                 detail=r.screen("confirm"))
            starts = [b for (tg, b) in fake.requests if tg.endswith("StartMessageMoveTask")]
            t.eq(starts, [{"SourceArn": arn}], "one StartMessageMoveTask for the DLQ, no destination")
            run_rows = r.dumps.get("running") or []
            row = find_row(run_rows, "0001", "Redrive")
            t.ok(row > 0 and "running" in run_rows[row], ":jobs shows the server-side move running",
                 detail=r.screen("running"))
            cancels = [b for (tg, b) in fake.requests if tg.endswith("CancelMessageMoveTask")]
            t.eq(len(cancels), 1, "c sends one CancelMessageMoveTask")
            cj = r.dumps.get("cancelled") or []
            row = find_row(cj, "0001")
            t.ok(row > 0 and "cancelled" in cj[row], "and the job ends cancelled, as the task "
                 "does", detail=r.screen("cancelled"))
            b3 = boto3_clients(fake.endpoint, services=("sqs",))["sqs"]
            task = b3.list_message_move_tasks(SourceArn=arn)["Results"][0]
            t.eq(task["Status"], "CANCELLED", "boto3 on the same fake reads the task CANCELLED")
    t.done()


if __name__ == "__main__":
    main()
