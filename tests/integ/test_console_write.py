"""test_console_write.py - writes from the console, headless (OPSDECK_SCRIPT), on moto behind
a recording TCP relay (tests/lib/recproxy.py), with what was sent read back with boto3.

  - P on a queue in the sqs view: the form (80x24), the confirmation (its rows written out
    here), the message id on the status line, the same id, body and attributes in boto3;
  - a FIFO queue: the group and deduplication fields instead of the delay;
  - a template chosen in the form fills the body and attributes; placeholders are filled in;
  - too large for the queue's MaximumMessageSize: the form says so and nothing is sent;
  - --read-only: READ-ONLY in the header, P refused on the status line (which setting, how
    to allow writes), no form, and no SendMessage byte on the wire;
  - a production profile: read-only until `:writes on` and its typed name; then P needs the
    queue's name typed; `:writes off` makes it read-only again; --allow-writes;
  - jobs (several copies): the progress dialog; a paced job going on while the user
    switches views, listed by :jobs and cancelled there; quitting while one runs asks first;
  - the audit lines of the console's writes.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awsenv import Moto, aws_env, boto3_clients, sqs_receive_all  # noqa: E402
from console import (Script, audit_lines, console_env, find_row, rows_equal,  # noqa: E402
                     run_script, screen_has, write_app_config)
from recproxy import RecordingProxy  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"


def status(r, name):
    rows = r.dumps.get(name) or []
    return rows[-1] if rows else ""


def header(r, name):
    rows = r.dumps.get(name) or []
    return rows[0] if rows else ""


def open_queue(s, name):
    """The sqs view with the cursor on queue `name` (the filter leaves only it), once the
    first poll cycle has read every queue's attributes."""
    return s.refresh().keys("2").keys(f"/{name}<Enter>")


def config(env, text=""):
    """opsdeck's config for a case; polls every 2 s (the least allowed) so that a `wait`
    in a script is short."""
    write_app_config(env, "[intervals]\ndefault = 2\n" + text)


def main():
    with Moto() as moto, RecordingProxy("127.0.0.1", int(moto.endpoint.rsplit(":", 1)[1])) as px:
        sqs = boto3_clients(moto.endpoint, services=("sqs",))["sqs"]
        orders = sqs.create_queue(QueueName="orders")["QueueUrl"]
        fifo = sqs.create_queue(QueueName="events.fifo",
                                Attributes={"FifoQueue": "true"})["QueueUrl"]
        small = sqs.create_queue(QueueName="small",
                                 Attributes={"MaximumMessageSize": "1024"})["QueueUrl"]
        base = aws_env(px.endpoint)
        env = console_env(px.endpoint, base)
        env["XDG_STATE_HOME"] = os.path.join(env["HOME"], ".local", "state")
        env.pop("VISUAL", None)
        env.pop("EDITOR", None)
        config(env)

        # ---- P: form, confirmation, the message id ------------------------------------
        s = open_queue(Script(), "orders").keys("P").dump("form")
        s.keys("hello from the console<Tab>eventType=Test<Enter>n=Number:7")
        s.keys("<C-x>").dump("confirm").keys("y").dump("sent")
        px.reset()
        r = run_script(env, s)
        t.eq(r.rc, 0, "the console ran the script", )
        form = r.dumps.get("form") or []
        t.ok(find_row(form, "Send a test message: orders") > 0 and
             find_row(form, "profile default · account 123456789012 · region us-east-1") > 0,
             "the form names the action, the queue, the profile, the account, the region",
             detail=r.screen("form"))
        t.ok(all(find_row(form, f) >= 0 for f in ("Body", "Attributes", "Delay (s)", "Count",
                                                    "[ Send ]")) and
             find_row(form, "Group id") < 0, "a standard queue's fields, no FIFO ones",
             detail=r.screen("form"))
        t.eq(len(form), 24, "the form is drawn on an 80x24 screen")
        want = [
            " ┌─ Send a test message ──────────────────────────────────────────────────────┐",
            " │ Send a test message: orders                                                │",
            " │ profile default · account 123456789012 · region us-east-1                  │",
            " │                                                                            │",
            " │                            [ Yes ]   [ Cancel ]                            │",
            " │                                                                            │",
            " │                                                                            │",
            " │ y Yes · n/Esc cancel · Tab between                                         │",
            " └────────────────────────────────────────────────────────────────────────────┘",
        ]
        conf = r.dumps.get("confirm") or []
        top = find_row(conf, "┌─ Send a test message")
        ok, diff = rows_equal(conf[top:top + len(want)] if top >= 0 else [], want)
        t.ok(ok, "the confirmation, row by row", detail=diff or r.screen("confirm"))
        line = status(r, "sent")
        m = re.fullmatch(r"sent to orders: message id (\S+)", line)
        t.ok(m, "the status line gives the message id", detail=r.screen("sent"))
        msgs = sqs_receive_all(sqs, orders)
        t.eq(len(msgs), 1, "boto3 receives one message")
        if msgs and m:
            t.eq(msgs[0]["MessageId"], m.group(1), "the id on the status line is the message's")
            t.eq(msgs[0]["Body"], "hello from the console", "the body typed in the form")
            t.eq(msgs[0].get("MessageAttributes"),
                 {"eventType": {"StringValue": "Test", "DataType": "String"},
                  "n": {"StringValue": "7", "DataType": "Number"}},
                 "the attributes typed in the form")
        t.eq(px.targets().count("AmazonSQS.SendMessage"), 1, "one SendMessage on the wire")
        outs = [x for x in audit_lines(env) if x.get("event") == "outcome"]
        t.ok(len(outs) == 1 and len(msgs) == 1 and
             outs[0].get("result") == {"message_id": msgs[0]["MessageId"]},
             "the audit's outcome line holds the message id boto3 received",
             detail=outs and outs[-1])

        # ---- FIFO ---------------------------------------------------------------------
        s = open_queue(Script(), "events").keys("P").dump("form").keys("fifo body<C-x>y")
        s.dump("sent")
        r = run_script(env, s)
        form = r.dumps.get("form") or []
        t.ok(find_row(form, "Group id") >= 0 and find_row(form, "Dedup id") >= 0 and
             find_row(form, "Delay (s)") < 0, "a FIFO queue's form: group and dedup ids, no "
             "delay", detail=r.screen("form"))
        t.ok(status(r, "sent").startswith("sent to events.fifo: message id "),
             "sent to the FIFO queue", detail=r.screen("sent"))
        msgs = sqs_receive_all(sqs, fifo)
        t.ok(len(msgs) == 1 and msgs[0]["Attributes"].get("MessageGroupId") == "opsdeck-test" and
             re.fullmatch(UUID, msgs[0]["Attributes"].get("MessageDeduplicationId", "")),
             "boto3: the default group id and a fresh deduplication id",
             detail=msgs and msgs[0].get("Attributes"))
        outs = [x for x in audit_lines(env) if x.get("event") == "outcome"]
        t.ok(len(outs) == 2 and len(msgs) == 1 and msgs[0]["Attributes"].get("SequenceNumber") and
             outs[1].get("result") == {"message_id": msgs[0]["MessageId"],
                                       "sequence_number": msgs[0]["Attributes"]["SequenceNumber"]},
             "a FIFO message's outcome line: the message id and sequence number boto3 received",
             detail=(outs and outs[-1], msgs and msgs[0].get("Attributes")))

        # ---- a template -----------------------------------------------------------------
        config(env, "[template order]\nbody = {\"id\": \"{{uuid}}\"}\n"
                              "attribute.kind = order\n")
        s = open_queue(Script(), "orders").keys("P<Right>").dump("form").keys("<C-x>y")
        s.dump("sent")
        r = run_script(env, s)
        t.ok(screen_has(r.dumps.get("form"), "← order →") and
             screen_has(r.dumps.get("form"), '{"id": "{{uuid}}"}') and
             screen_has(r.dumps.get("form"), "kind=order"),
             "choosing the template fills the body and the attributes",
             detail=r.screen("form"))
        msgs = sqs_receive_all(sqs, orders)
        t.ok(len(msgs) == 1 and re.fullmatch(r'\{"id": "' + UUID + r'"\}', msgs[0]["Body"]) and
             msgs[0]["MessageAttributes"] == {"kind": {"StringValue": "order",
                                                       "DataType": "String"}},
             "boto3: the template's body, {{uuid}} filled in, and its attribute",
             detail=msgs)
        config(env)

        # ---- too large ------------------------------------------------------------------
        s = open_queue(Script(), "small").keys("P").keys("x" * 1100).keys("<C-x>")
        s.dump("error").keys("<Esc>").dump("cancelled")
        px.reset()
        r = run_script(env, s)
        t.ok(screen_has(r.dumps.get("error"), "the message is 1.1 KiB (1100 bytes, body and") or
             screen_has(r.dumps.get("error"), "(1100 bytes, body and attributes); small takes"),
             "the form says the message is too large", detail=r.screen("error"))
        t.ok(screen_has(r.dumps.get("error"), "MaximumMessageSize 1024") or
             screen_has(r.dumps.get("error"), "at most 1.0 KiB"),
             "... for this queue's own MaximumMessageSize", detail=r.screen("error"))
        t.eq(status(r, "cancelled"), "Send a test message: cancelled, nothing was sent",
             "Esc cancels and says nothing was sent")
        t.ok("AmazonSQS.SendMessage" not in px.targets(), "nothing was sent")

        # ---- --read-only ----------------------------------------------------------------
        s = open_queue(Script(), "orders").dump("view").keys("P").dump("refused")
        px.reset()
        r = run_script(env, s, args=("--read-only",))
        t.ok("READ-ONLY" in header(r, "view"), "--read-only: READ-ONLY in the header",
             detail=header(r, "view"))
        t.eq(status(r, "refused"),
             "read-only (--read-only): restart opsdeck without --read-only to write",
             "P is refused on the status line: the setting and how to allow writes")
        t.ok(not screen_has(r.dumps.get("refused"), "┌─"), "and no form opens",
             detail=r.screen("refused"))
        t.ok(b"SendMessage" not in px.sent(), "no SendMessage byte reached the server")
        t.eq(sqs_receive_all(sqs, orders), [], "nothing arrived")

        # ---- production --------------------------------------------------------------------
        config(env, "[profile default]\nenvironment = production\n")
        s = open_queue(Script(), "orders").dump("view").keys("P").dump("refused")
        s.keys(":writes on<Enter>").dump("writes-dialog").keys("default<Enter>").dump("on")
        s.keys("Pin production<C-x>").dump("typed").keys("y<Enter>").dump("wrong")
        s.keys("<C-u>orders<Enter>").dump("sent").keys(":writes off<Enter>").dump("off")
        s.keys("P").dump("refused-off")
        px.reset()
        r = run_script(env, s)
        # at 80 columns PRODUCTION takes its short form beside READ-ONLY
        t.ok(header(r, "view").startswith(" PROD READ-ONLY "),
             "production: PROD and READ-ONLY in the header", detail=header(r, "view"))
        t.eq(status(r, "refused"), "read-only: [profile default] environment = production; "
                                   "--allow-writes/:writes on",
             "P refused: the profile, the setting, the flag and the command")
        t.ok(screen_has(r.dumps.get("writes-dialog"), "Type the profile's name to confirm: default"),
             ":writes on asks for the profile's name", detail=r.screen("writes-dialog"))
        t.ok("READ-ONLY" not in header(r, "on") and
             status(r, "on").startswith("writes on for profile default in this session"),
             "typed: writes on, READ-ONLY gone", detail=r.screen("on"))
        t.ok(screen_has(r.dumps.get("typed"), "Type the queue's name to confirm: orders") and
             screen_has(r.dumps.get("typed"), "PRODUCTION"),
             "a write in production asks for the queue's name", detail=r.screen("typed"))
        t.ok(screen_has(r.dumps.get("wrong"), "that is not the name"),
             "y is not the name", detail=r.screen("wrong"))
        t.ok(status(r, "sent").startswith("sent to orders: message id "),
             "the typed name sends it", detail=r.screen("sent"))
        t.ok("READ-ONLY" in header(r, "off") and
             status(r, "refused-off") == "read-only (:writes off): :writes on to write again",
             ":writes off: read-only again, and P says why", detail=r.screen("refused-off"))
        t.eq([m["Body"] for m in sqs_receive_all(sqs, orders)], ["in production"],
             "boto3: exactly the one confirmed message")
        t.eq(px.targets().count("AmazonSQS.SendMessage"), 1, "one SendMessage on the wire")
        s = open_queue(Script(), "orders").dump("view").keys("Pallowed<C-x>orders<Enter>")
        s.dump("sent")
        r = run_script(env, s, args=("--allow-writes",))
        t.ok("PRODUCTION" in header(r, "view") and "READ-ONLY" not in header(r, "view"),
             "--allow-writes: production, writes on", detail=header(r, "view"))
        t.ok(status(r, "sent").startswith("sent to orders"), "... still with the typed name",
             detail=r.screen("sent"))
        sqs_receive_all(sqs, orders)
        config(env)

        # ---- jobs ------------------------------------------------------------------------
        # Copies as fast as the queue takes them: the script goes on only when nothing is
        # on the wire, so the job has ended when the next line runs.
        s = open_queue(Script(), "orders").keys("Pfast<Tab><Tab><Tab><C-u>3<C-x>y")
        s.dump("progress-done").keys("<Esc>:jobs<Enter>").dump("jobs-done")
        r = run_script(env, s)
        prog = r.dumps.get("progress-done") or []
        t.ok(screen_has(prog, "3 / 3 100%") and screen_has(prog, "done") and
             screen_has(prog, "Enter/Esc close"), "the progress dialog of a job that ended",
             detail=r.screen("progress-done"))
        jd = r.dumps.get("jobs-done") or []
        row = find_row(jd, "0001", "Send a test")
        t.ok(row > 0 and "done" in jd[row] and "3/3" in jd[row], ":jobs lists it done, 3 of 3",
             detail=r.screen("jobs-done"))
        t.eq(len(sqs_receive_all(sqs, orders)), 3, "boto3 receives the 3 copies")

        # A paced job of 1000 copies at 1 per second cannot end within this script (whose
        # timeout is far shorter): it is running whatever the machine's speed.
        s = open_queue(Script(), "orders").keys("Pslow<Tab><Tab><Tab><C-u>1000<Tab><C-u>1")
        s.keys("<C-x>y").dump("progress").keys("<Esc>1").wait().keys("3").dump("elsewhere")
        s.keys(":jobs<Enter>").dump("jobs-running").keys("c").dump("cancel-ask").keys("y")
        s.dump("cancelled")
        r = run_script(env, s)
        prog = r.dumps.get("progress") or []
        t.ok(screen_has(prog, "/ 1000") and screen_has(prog, "c cancel the job"),
             "a job: a progress dialog with the count and cancel", detail=r.screen("progress"))
        t.ok(not screen_has(r.dumps.get("elsewhere"), "/ 1000"),
             "Esc hides it; the user goes to other views", detail=r.screen("elsewhere"))
        jr = r.dumps.get("jobs-running") or []
        row = find_row(jr, "0001", "Send a test")
        t.ok(row > 0 and "running" in jr[row] and "/1000" in jr[row],
             ":jobs lists the job, still running after the views were switched",
             detail=r.screen("jobs-running"))
        t.ok(screen_has(r.dumps.get("cancel-ask"), "Cancel the job: 0001"),
             "c in :jobs asks before cancelling", detail=r.screen("cancel-ask"))
        jc = r.dumps.get("cancelled") or []
        row = find_row(jc, "0001")
        t.ok(row > 0 and "cancelled" in jc[row], "the job is cancelled", detail=r.screen("cancelled"))
        sent = sqs_receive_all(sqs, orders)
        m = re.search(r"(\d+)/1000", jc[row] if row > 0 else "")
        t.ok(m and 0 < len(sent) == int(m.group(1)),
             "the messages that arrived are the ones the job counted", detail=(len(sent), m))

        # quitting while a job runs asks first; the safe answer is the default
        s = open_queue(Script(), "orders").keys("Pslow<Tab><Tab><Tab><C-u>1000<Tab><C-u>1")
        s.keys("<C-x>y<Esc>:q<Enter>").dump("ask").keys("<Enter>").dump("stayed")
        s.keys("<C-c>").dump("ask-again").keys("y")
        r = run_script(env, s)
        t.ok(screen_has(r.dumps.get("ask"), "1 job is still running: quit anyway?"),
             ":q while a job runs asks first", detail=r.screen("ask"))
        t.ok(r.dumps.get("stayed") is not None and
             not screen_has(r.dumps.get("stayed"), "quit anyway?"),
             "Enter on the default (Cancel) stays in the console", detail=r.screen("stayed"))
        t.ok(screen_has(r.dumps.get("ask-again"), "quit anyway?"), "Ctrl-C asks too",
             detail=r.screen("ask-again"))
        t.eq(r.rc, 0, "y quits")
        sent = sqs_receive_all(sqs, orders)
        t.ok(0 < len(sent) < 1000, "quitting cancelled the job: some copies, not all",
             detail=len(sent))

        # ---- the audit of the console's writes ------------------------------------------------
        lines = audit_lines(env)
        reqs = [x for x in lines if x.get("event") == "request"]
        outs = [x for x in lines if x.get("event") == "outcome"]
        t.ok(len(reqs) >= 9 and len(outs) == len(reqs), "a request and an outcome line per "
             "message the console sent", detail=(len(reqs), len(outs)))
        conf = {x["parameters"].get("confirmation") for x in reqs}
        t.ok({"yes", "typed"} <= conf, "the audit says how each was confirmed", detail=conf)
        t.ok(all(x.get("caller_arn", "").startswith("arn:aws:") and x.get("account") ==
                 "123456789012" and x.get("region") == "us-east-1" for x in reqs),
             "every request line names the caller, the account and the region")
        statuses = {x.get("status") for x in outs}
        t.ok(statuses <= {"ok", "unknown"} and "ok" in statuses, "outcomes: ok, or unknown for "
             "a copy on its way when the console quit", detail=statuses)


t.run("console writes", main)
t.done()
