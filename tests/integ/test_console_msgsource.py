"""test_console_msgsource.py - peeked DLQ messages grouped by the queue they came from,
end to end: m in the dlq view, then :messages, headless (OPSDECK_SCRIPT).

AWS sets the DeadLetterQueueSourceArn system attribute on a message it moves to a DLQ; moto
does not (test_console_bigbody checks that). So the console talks to moto through a relay
(tests/lib/tamper_relay.py) that adds the attribute to ReceiveMessage answers, as AWS would
give it, and botocore reads the same answers through the same relay: the attribute is what
boto3 sees. The relay gives:

  - two messages from orders-intake and one from payments (SQS queue ARNs);
  - one from an SNS topic's ARN (not a queue: AWS would not send it, a hostile relay could);
  - one whose "queue name" carries ESC[2J and a bidi override;
  - one with no attribute at all.

The list has a heading per source with its count, each message under its own; the open
message names its source queue; the hostile name is escaped; the cursor never sits on a
heading.
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from awsenv import Moto, aws_env, boto3_clients  # noqa: E402
from console import Script, console_env, find_row, run_script, screen_has  # noqa: E402
from tamper_relay import TamperRelay  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()


def main():
    with Moto() as moto:
        sqs = boto3_clients(moto.endpoint, services=("sqs",))["sqs"]
        dlq = sqs.create_queue(QueueName="orders-dlq")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])[
            "Attributes"]["QueueArn"]
        prefix = arn.rsplit(":", 1)[0] + ":"          # arn:aws:sqs:REGION:ACCOUNT:
        for q in ("orders-intake", "payments"):     # its sources: the dlq view lists it
            sqs.create_queue(QueueName=q, Attributes={"RedrivePolicy": json.dumps(
                {"deadLetterTargetArn": arn, "maxReceiveCount": "3"})})
        sources = {
            "intake-1": prefix + "orders-intake",
            "intake-2": prefix + "orders-intake",
            "pay-1": prefix + "payments",
            "topic-1": prefix.replace(":sqs:", ":sns:") + "orders-topic",
            "evil-1": prefix + "\x1b[2J\u202eevil",
            "nosrc-1": None,
        }
        for body in sources:
            sqs.send_message(QueueUrl=dlq, MessageBody=body)

        def add_source(status, doc):
            for m in doc.get("Messages", []):
                src = sources.get(m.get("Body"))
                if src:
                    m.setdefault("Attributes", {})["DeadLetterQueueSourceArn"] = src
            return status, doc

        with TamperRelay(moto.endpoint, {"ReceiveMessage": add_source}) as relay:
            via = boto3_clients(relay.endpoint, services=("sqs",))["sqs"]
            got = {}
            for _ in range(5):
                for m in via.receive_message(QueueUrl=dlq, MaxNumberOfMessages=10,
                                             VisibilityTimeout=0,
                                             AttributeNames=["All"]).get("Messages", []):
                    got[m["Body"]] = m["Attributes"].get("DeadLetterQueueSourceArn")
            t.eq(got, sources, "boto3 through the relay reads the source ARNs it adds")

            env = console_env(relay.endpoint, aws_env(relay.endpoint))
            env["XDG_STATE_HOME"] = os.path.join(env["HOME"], ".local", "state")
            s = Script().refresh().keys("3").keys("/orders-dlq<Enter>").refresh().keys("m<C-x>")
            s.dump("peeked").keys(":messages<Enter>").dump("list")
            s.keys("<Enter>").dump("first").keys("<Esc>")
            s.keys("/*:topic-1<Enter><Enter>").dump("topic").keys("<Esc><Esc>")
            s.keys("/*:nosrc<Enter><Enter>").dump("nosrc").keys("<Esc><Esc>")
            r = run_script(env, s, cols=120, rows=30)
        t.eq(r.rc, 0, "the console ran the script")
        t.ok((r.dumps.get("peeked") or [""])[-1].startswith("peeked at 6 messages of orders-dlq"),
             "m peeked at the six", detail=r.screen("peeked"))
        lst = r.dumps.get("list") or []
        t.ok(screen_has(lst, "Peeked messages  6") and screen_has(lst, "by source queue"),
             "the title says the list is grouped by source queue", detail=r.screen("list"))
        heads = {
            "intake": find_row(lst, "orders-dlq  2 messages from orders-intake"),
            "pay": find_row(lst, "orders-dlq  1 message from payments"),
            "topic": find_row(lst, "orders-dlq  1 message from a source that is not an SQS "
                                   "queue: \"arn:aws:sns:"),
            "evil": find_row(lst, "orders-dlq  1 message from a source that is not an SQS "
                                  "queue: \"arn:aws:sqs:"),
            "nosrc": find_row(lst, "orders-dlq  1 message with no source "
                                   "(no DeadLetterQueueSourceArn)"),
        }
        t.ok(all(v > 0 for v in heads.values()), "one heading per source, with its count",
             detail=str(heads) + "\n" + r.screen("list"))
        t.ok(heads["intake"] < heads["pay"] < heads["topic"] < heads["nosrc"] and
             heads["evil"] < heads["nosrc"],
             "queues by name first, then what is not a queue's ARN, then no source last",
             detail=str(heads))
        under = {
            "intake": sorted(lst[heads["intake"] + 1:heads["intake"] + 3]),
            "pay": lst[heads["pay"] + 1:heads["pay"] + 2],
            "topic": lst[heads["topic"] + 1:heads["topic"] + 2],
            "nosrc": lst[heads["nosrc"] + 1:heads["nosrc"] + 2],
        }
        t.ok(len(under["intake"]) == 2 and "intake-" in under["intake"][0] and
             "intake-" in under["intake"][1] and "pay-1" in under["pay"][0] and
             "topic-1" in under["topic"][0] and "nosrc-1" in under["nosrc"][0],
             "each message under its own heading", detail=r.screen("list"))
        evil = lst[heads["evil"]] if heads["evil"] > 0 else ""
        t.ok("\\x1B[2J\\u{202E}evil" in evil and "\x1b" not in "".join(lst) and
             "\u202e" not in "".join(lst),
             "the hostile name is escaped, never sent to the terminal", detail=evil)
        first = r.dumps.get("first") or []
        row = find_row(first, "Source queue")
        t.ok(row >= 0 and "orders-intake (" + prefix + "orders-intake)" in first[row] and
             screen_has(first, "intake-"),
             "Enter opens the first message (the cursor was not on a heading) with its source "
             "queue, name and ARN", detail=r.screen("first"))
        topic = r.dumps.get("topic") or []
        row = find_row(topic, "Source queue")
        t.ok(row >= 0 and "not an SQS queue ARN: \"" + prefix.replace(":sqs:", ":sns:") in
             topic[row], "a topic's ARN is said not to be a queue's", detail=r.screen("topic"))
        t.ok(find_row(r.dumps.get("nosrc") or [], "Source queue") < 0 and
             screen_has(r.dumps.get("nosrc"), "nosrc-1"),
             "no attribute: no source line", detail=r.screen("nosrc"))
    t.done()


if __name__ == "__main__":
    main()
