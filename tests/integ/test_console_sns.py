"""test_console_sns.py - the sns view and `P` (publish a test message), headless
(OPSDECK_SCRIPT), on moto behind a recording TCP relay (tests/lib/recproxy.py), with what
arrived read back with boto3.

  - key 4: the topic list at 80x24 (rows written out here) with the subscriptions per topic,
    those without a DLQ and the protocols whose failures are not logged;
  - Enter: the pane lists both SQS subscribers with their queues and the filter policy, and
    the failed deliveries from CloudWatch Logs (records shaped as SNS writes them, one with
    escape sequences in the provider's response) newest first; a topic whose group does
    not exist says its failures are not logged;
  - P on a topic fanning out to two queues: the form, the confirmation, the message id in a
    box (and copied), the pane's queue depths moving from 0 to 1, and the message in both
    queues (raw and in SNS's envelope) read by boto3, with the same id; attributes and
    subject typed in the form arrive;
  - a FIFO topic: group and deduplication fields, the message in the FIFO queue;
  - larger than SNS's 256 KiB: the form says so and no Publish is sent;
  - --read-only: P refused on the status line, no form, no Publish byte on the wire;
  - the audit's request and outcome lines for each Publish.
"""
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awsenv import Moto, aws_env, boto3_clients, sqs_receive_all  # noqa: E402
from console import (Script, audit_lines, console_env, find_row, run_script,  # noqa: E402
                     screen_has, write_app_config)
from recproxy import RecordingProxy  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()


def status(r, name):
    rows = r.dumps.get(name) or []
    return rows[-1] if rows else ""


def open_topic(s, name):
    """The sns view with the cursor on topic `name`, once the first cycle has read it."""
    return s.refresh().keys("4").keys(f"/{name}<Enter>")


def queue_arn(sqs, url):
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def main():
    with Moto() as moto, RecordingProxy("127.0.0.1", int(moto.endpoint.rsplit(":", 1)[1])) as px:
        c = boto3_clients(moto.endpoint, services=("sqs", "sns", "logs", "ec2"))
        sqs, sns = c["sqs"], c["sns"]
        raw_q = sqs.create_queue(QueueName="alerts-raw")["QueueUrl"]
        env_q = sqs.create_queue(QueueName="alerts-enveloped")["QueueUrl"]
        fifo_q = sqs.create_queue(QueueName="ledger.fifo", Attributes={
            "FifoQueue": "true", "ContentBasedDeduplication": "true"})["QueueUrl"]
        alerts = sns.create_topic(Name="alerts")["TopicArn"]
        sns.subscribe(TopicArn=alerts, Protocol="sqs", Endpoint=queue_arn(sqs, raw_q),
                      Attributes={"RawMessageDelivery": "true"})
        sns.subscribe(TopicArn=alerts, Protocol="sqs", Endpoint=queue_arn(sqs, env_q),
                      Attributes={"FilterPolicy": json.dumps({"severity": ["page"]})})
        ledger = sns.create_topic(Name="ledger.fifo", Attributes={
            "FifoTopic": "true", "ContentBasedDeduplication": "true"})["TopicArn"]
        sns.subscribe(TopicArn=ledger, Protocol="sqs", Endpoint=queue_arn(sqs, fifo_q),
                      Attributes={"RawMessageDelivery": "true"})
        # what SNS writes when delivery-status logging is on: one record per failed delivery
        group = "sns/us-east-1/123456789012/alerts/Failure"
        c["logs"].create_log_group(logGroupName=group)
        c["logs"].create_log_stream(logGroupName=group, logStreamName="d1")
        now_ms = int(time.time() * 1000)
        c["logs"].put_log_events(logGroupName=group, logStreamName="d1", logEvents=[
            {"timestamp": now_ms - (3 - i) * 60000, "message": json.dumps({
                "notification": {"messageId": f"m-{i}", "topicArn": alerts,
                                 "timestamp": "2026-01-01 00:00:00.000"},
                "delivery": {"deliveryId": f"d-{i}", "destination": dest,
                             "providerResponse": resp, "dwellTimeMs": 1000 * (i + 1),
                             "attempts": 3, "statusCode": code},
                "status": "FAILURE"})}
            for i, (dest, resp, code) in enumerate((
                ("arn:aws:sqs:us-east-1:123456789012:gone", "HTTP 403", 403),
                ("https://hooks.example.invalid/sns", "\x1b[2Jconnect timeout", -1),
                ("https://hooks.example.invalid/\u202eevil", "HTTP 500", 500)))])
        # a private path to SNS (a VPC interface endpoint, private DNS on)
        vpc = c["ec2"].create_vpc(CidrBlock="10.8.0.0/16")["Vpc"]["VpcId"]
        vpce = c["ec2"].create_vpc_endpoint(
            VpcId=vpc, ServiceName="com.amazonaws.us-east-1.sns", VpcEndpointType="Interface",
            PrivateDnsEnabled=True)["VpcEndpoint"]["VpcEndpointId"]
        base = aws_env(px.endpoint)
        env = console_env(px.endpoint, base)
        env["XDG_STATE_HOME"] = os.path.join(env["HOME"], ".local", "state")
        env.pop("VISUAL", None)
        env.pop("EDITOR", None)
        write_app_config(env, "[intervals]\ndefault = 2\n")

        # ---- the list and the pane --------------------------------------------------------
        s = Script().refresh().keys("4").dump("list").keys("/alerts<Enter><Enter>").refresh()
        s.dump("pane").keys("<Esc><Esc>/ledger<Enter><Enter>").refresh().dump("ledger")
        r = run_script(env, s, timeout=300)   # three poll rounds: slow under ASan
        rows = r.dumps.get("list") or []
        t.eq(len(rows), 24, "the sns view is drawn on an 80x24 screen")
        y = find_row(rows, "alerts ")
        t.ok(y > 0 and re.search(r"alerts\s+2\s+0\s+2 SQS\s+0\s+0\s+\S*\s*no DLQ, no",
                                 rows[y]),
             "alerts: 2 subscriptions, none pending, 2 without a DLQ, SQS failures not logged, "
             "nothing published or failed in CloudWatch", detail=r.screen("list"))
        t.ok(find_row(rows, "ledger.fifo") > 0, "the FIFO topic is listed", detail=r.screen("list"))
        t.ok(find_row(rows, "SNS local emulator ok") == 2 and
             find_row(rows, "SQS local emulator ok") == 3 and
             find_row(rows, f"VPC endpoints: sns {vpce} ({vpc}, ") == 4,
             "the endpoints in use answer, and the VPC endpoint for SNS is named with its VPC",
             detail=r.screen("list"))
        pane = r.dumps.get("pane") or []
        t.ok(find_row(pane, "alerts-raw (0 msgs)", "confirmed", "yes") > 0 and
             find_row(pane, "alerts-enveloped (0 msgs)", "confirmed", "no") > 0,
             "the pane: both SQS subscribers with their queues' depths and raw delivery",
             detail=r.screen("pane"))
        t.ok(screen_has(pane, "SQSFailureFeedbackRoleArn"),
             "the pane names the attribute that turns failure logging on", detail=r.screen("pane"))
        r40 = run_script(env, Script().refresh().keys("4").keys("/alerts<Enter><Enter>").refresh()
                         .dump("pane"), 120, 40)
        pane = r40.dumps.get("pane") or []
        y = find_row(pane, "Failed deliveries (CloudWatch Logs)")
        rows = pane[y + 2:y + 5] if y > 0 else []
        t.ok(len(rows) == 3 and
             re.search(r" 500 +3 +3s +https://hooks.example.invalid/\\u\{202E\}evil  HTTP 500$",
                       rows[0]) and
             re.search(r" -1 +3 +2s +https://hooks.example.invalid/sns  \\x1B\[2Jconnect timeout$",
                       rows[1]) and
             re.search(r" 403 +3 +1s +arn:aws:sqs:us-east-1:123456789012:gone  HTTP 403$", rows[2]),
             "the failed deliveries from CloudWatch Logs, newest first: code, tries, dwell, "
             "endpoint and response, escapes shown escaped", detail=r40.screen("pane"))
        t.ok(screen_has(r.dumps.get("ledger"), "not logged: see Logging above") and
             screen_has(r.dumps.get("ledger"),
                        "(no log group sns/us-east-1/123456789012/ledger.fifo/Failure)"),
             "a topic without a failure log group: not logged, not 'no failures'",
             detail=r.why("ledger"))

        # ---- P on a topic with two queues ------------------------------------------------
        s = open_topic(Script(), "alerts").keys("P").dump("form")
        s.keys("disk full on db-1<Tab>db-1 disk<Tab>severity=page")
        s.keys("<C-x>").dump("confirm").keys("y").dump("sent")
        # the box closed, the pane again: the next round reads both queues one message deeper
        s.keys("<Esc><Enter>").refresh().wait().wait().dump("after")
        px.reset()
        r = run_script(env, s)
        form = r.dumps.get("form") or []
        t.ok(find_row(form, "Publish a test message: alerts") > 0 and
             all(find_row(form, f) >= 0 for f in ("Message", "Subject", "Attributes",
                                                  "[ Publish ]")) and
             find_row(form, "Group id") < 0,
             "the form: message, subject, attributes; no FIFO fields for a standard topic",
             detail=r.screen("form"))
        t.ok(screen_has(r.dumps.get("confirm"), "Publish a test message: alerts"),
             "a confirmation names the topic", detail=r.screen("confirm"))
        # the result in a box that stays until a key (the status line says it was copied)
        m = re.search(r"│ published to alerts: message id (\S+) +│", "\n".join(r.dumps.get("sent") or []))
        t.ok(m and status(r, "sent").startswith("copied the message id"),
             "a box gives the message id, and it was copied", detail=r.screen("sent"))
        raw = sqs_receive_all(sqs, raw_q)
        env_msgs = sqs_receive_all(sqs, env_q)
        t.ok(len(raw) == 1 and raw[0]["Body"] == "disk full on db-1",
             "boto3: the raw subscriber's queue holds the message as typed", detail=raw)
        doc = json.loads(env_msgs[0]["Body"]) if len(env_msgs) == 1 else {}
        t.ok(doc.get("Message") == "disk full on db-1" and doc.get("Subject") == "db-1 disk" and
             doc.get("MessageAttributes", {}).get("severity", {}).get("Value") == "page",
             "boto3: the filtered subscriber got it (the attribute matched its policy) in "
             "SNS's envelope with the subject", detail=env_msgs)
        if m:
            t.eq(doc.get("MessageId"), m.group(1), "the id in the box is SNS's")
        after = r.dumps.get("after") or []
        t.ok(find_row(after, "alerts-raw (1 msgs)", "confirmed") > 0 and
             find_row(after, "alerts-enveloped (1 msgs)", "confirmed") > 0,
             "after P the pane shows each subscriber's queue one message deeper (it was 0)",
             detail=r.screen("after"))
        t.ok(re.search(r"published \d{4}-\d\d-\d\d \d\d:\d\d", "\n".join(after)) is not None,
             "the pane says when the test message was published", detail=r.screen("after"))
        t.eq(px.sent().count(b"Action=Publish"), 1, "one Publish on the wire")
        outs = [x for x in audit_lines(env) if x.get("event") == "outcome"]
        t.ok(len(outs) == 1 and doc.get("MessageId") and
             outs[0].get("result") == {"message_id": doc["MessageId"]},
             "the audit's outcome line holds the message id the subscriber received",
             detail=outs)

        # ---- a template: message, subject and attributes -----------------------------------
        write_app_config(env, "[intervals]\ndefault = 2\n[template page]\n"
                              "body = paged at {{now}}\nsubject = test page\n"
                              "attribute.severity = page\n")
        s = open_topic(Script(), "alerts").keys("P<Right>").dump("form").keys("<C-x>y")
        s.dump("sent")
        r = run_script(env, s)
        t.ok(screen_has(r.dumps.get("form"), "← page →") and
             screen_has(r.dumps.get("form"), "test page") and
             screen_has(r.dumps.get("form"), "severity=page"),
             "choosing the template fills the message, the subject and the attributes",
             detail=r.screen("form"))
        env_msgs = sqs_receive_all(sqs, env_q)
        doc = json.loads(env_msgs[0]["Body"]) if len(env_msgs) == 1 else {}
        t.ok(re.fullmatch(r"paged at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z",
                          doc.get("Message", "")) and doc.get("Subject") == "test page",
             "boto3: the template's message, {{now}} filled in, and its subject", detail=env_msgs)
        sqs_receive_all(sqs, raw_q)
        write_app_config(env, "[intervals]\ndefault = 2\n")

        # ---- FIFO ---------------------------------------------------------------------------
        s = open_topic(Script(), "ledger").keys("P").dump("form").keys("entry 1<C-x>y")
        s.dump("sent")
        r = run_script(env, s)
        form = r.dumps.get("form") or []
        t.ok(find_row(form, "Group id") >= 0 and find_row(form, "Dedup id") >= 0,
             "a FIFO topic's form has the group and deduplication ids", detail=r.screen("form"))
        t.ok(re.search(r"│ published to ledger.fifo: message id \S+(, sequence number \d+)? +│",
                       "\n".join(r.dumps.get("sent") or [])),
             "published to the FIFO topic (with its sequence number where the server gives one)", detail=r.screen("sent"))
        msgs = sqs_receive_all(sqs, fifo_q)
        fifo_id = re.search(r"│ published to ledger.fifo: message id (\S+?),? ",
                            "\n".join(r.dumps.get("sent") or []))
        outs = [x for x in audit_lines(env) if x.get("event") == "outcome"]
        res = outs[-1].get("result") if outs else None
        t.ok(fifo_id and isinstance(res, dict) and res.get("message_id") == fifo_id.group(1) and
             set(res) <= {"message_id", "sequence_number"},
             "the FIFO publish's outcome line holds its message id (and a sequence number "
             "where the server gives one)", detail=(res, r.screen("sent")))
        t.ok(len(msgs) == 1 and msgs[0]["Body"] == "entry 1" and
             msgs[0]["Attributes"].get("MessageGroupId") == "opsdeck-test",
             "boto3: the FIFO queue holds it, in the default group",
             detail=msgs and msgs[0].get("Attributes"))

        # ---- too large ----------------------------------------------------------------------
        s = open_topic(Script(), "alerts").keys("P").keys("x" * (256 * 1024 + 1)).keys("<C-x>")
        s.dump("error").keys("<Esc>").dump("cancelled")
        px.reset()
        r = run_script(env, s, timeout=600)   # 256 KiB typed key by key
        t.ok(screen_has(r.dumps.get("error"), "(262145 bytes, message and attributes); SNS"),
             "the form says the message is larger than SNS takes", detail=r.why("error"))
        t.ok(b"Action=Publish" not in px.sent(), "and nothing was published")

        # ---- --read-only ----------------------------------------------------------------------
        s = open_topic(Script(), "alerts").keys("P").dump("refused")
        px.reset()
        r = run_script(env, s, args=("--read-only",))
        t.eq(status(r, "refused"),
             "read-only (--read-only): restart opsdeck without --read-only to write",
             "P is refused on the status line")
        t.ok(not screen_has(r.dumps.get("refused"), "┌─"), "and no form opens",
             detail=r.screen("refused"))
        t.ok(b"Action=Publish" not in px.sent(), "no Publish request reached the server")
        t.eq(sqs_receive_all(sqs, raw_q), [], "nothing arrived")

        # ---- the audit ---------------------------------------------------------------------
        lines = audit_lines(env)
        reqs = [x for x in lines if x.get("event") == "request" and "Publish" in (x.get("action") or "")]
        outs = [x for x in lines if x.get("event") == "outcome" and "Publish" in (x.get("action") or "")]
        t.ok(len(reqs) == 3 and len(outs) == 3 and
             {x.get("status") for x in outs} == {"ok"},
             "a request and an ok outcome line per Publish, none for the refused ones",
             detail=lines)
        t.ok(all("disk full" not in json.dumps(x) for x in lines),
             "the audit never holds the message itself", detail=reqs)


t.run("console sns", main)
t.done()
