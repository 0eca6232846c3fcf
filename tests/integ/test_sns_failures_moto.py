"""test_sns_failures_moto.py - why deliveries fail, end to end on moto, and the test
message's id that stays.

A topic "alerts" with delivery-status logging on (SQS and HTTP failure and success roles,
set with SetTopicAttributes) and its Failure log group holding records in the shape SNS
writes them (notification: messageMD5Sum, messageId, topicArn, timestamp; delivery:
deliveryId, destination, providerResponse, dwellTimeMs, attempts, statusCode; status
FAILURE), over three streams: a burst of 150 in the last half hour and one every three
minutes for 13 hours before, more than a page (100) in the first window alone.

- tests/tools/poll_dump behind a recording relay: with the pane asking for 50, the
  topic_failures row holds at least 50 and fewer than all, newest first, equal record for
  record (event id, time, endpoint, code, response) to boto3's FilterLogEvents read to its
  end, "more" set, and every FilterLogEvents sent asks for a recent window or is the
  one-record probe: the old pages are never read up front. Asking for 150 and then for all
  loads older ones in order; then "more" is 0. Records logged later come on top, once.
- The console (tmux, 80x24 and 120x40): the topic's pane says SQS failures and 10 % of
  successes are logged and by which role, lists the newest records escaped, and "N loaded ... more before"; f opens the
  list; G (going to the end again and again) loads older ones until "all N loaded", the last
  row being the oldest record boto3 reads; y copies a record's message id (OSC 52).
- P publishes: the box shows the message id and y copies it; after the box closes the
  topic's pane still shows it, y there copies it again; boto3 reads the message with that
  id from the subscribed queue.
"""
import base64
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from awsenv import Moto, aws_env, boto3_clients, sqs_receive_all  # noqa: E402
from console import OPSDECK, Tmux, console_env, write_app_config  # noqa: E402
from polldump import PollDump  # noqa: E402
from recproxy import RecordingProxy  # noqa: E402
from snsattr_relay import SnsAttrRelay  # noqa: E402
from snsfail import STREAMS, failure, put_failures  # noqa: E402
from tamper_relay import TamperRelay  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()
ACCOUNT = "123456789012"
GROUP = f"sns/us-east-1/{ACCOUNT}/alerts/Failure"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/sns-delivery-status"
OSC52 = re.compile(rb"\x1b\]52;c;([A-Za-z0-9+/=]*)\x07")
def all_events(logs, group=GROUP):
    """Every event of a group, read by boto3 to its last page, newest first."""
    out, token = [], None
    while True:
        page = logs.filter_log_events(logGroupName=group, **({"nextToken": token} if token else {}))
        out += page["events"]
        token = page.get("nextToken")
        if not token:
            break
    out.sort(key=lambda e: (-e["timestamp"], e["eventId"]))
    return out


def boto3_records(logs):
    """(eventId, time, destination, code, response) of every event, newest first: what the
    row must equal."""
    recs = []
    for e in all_events(logs):
        d = json.loads(e["message"])["delivery"]
        recs.append((e["eventId"], e["timestamp"], d["destination"], d["statusCode"],
                     d["providerResponse"]))
    return recs


def row_records(row):
    recs = json.loads(row["fields"]["records"])
    return [(r.get("id"), r.get("time_ms"), r.get("endpoint"), r.get("status_code"),
             r.get("provider_response")) for r in recs]


def filter_bodies(sent):
    """The JSON bodies of the FilterLogEvents requests on the wire, in order."""
    out = []
    for req in re.split(rb"(?=POST [^ ]+ HTTP/1\.1\r\n)", sent):
        head, sep, rest = req.partition(b"\r\n\r\n")
        n = re.search(rb"(?im)^content-length:\s*(\d+)", head)
        if sep and n and b"Logs_20140328.FilterLogEvents" in head:
            out.append(json.loads(rest[:int(n.group(1))]))
    return out


def oldest_message_id(logs):
    return json.loads(all_events(logs)[-1]["message"])["notification"]["messageId"]


def poll_case(endpoint, logs, topic, queue_arn, newest_ms):
    with RecordingProxy("127.0.0.1", int(endpoint.rsplit(":", 1)[1])) as px:
        pd = PollDump(aws_env(px.endpoint))
        try:
            pd.cmd("view sns")
            pd.run(1)
            want = boto3_records(logs)
            px.reset()
            t.eq(pd.cmd(f"detail {topic}\x1f50"), "ok", "the pane is open and asks for 50")
            pd.run(1)
            rows, _ = pd.dump()
            row = rows.get("topic_failures", {}).get(topic, {})
            f = row.get("fields", {})
            got = row_records(row) if f.get("records") else []
            t.ok(50 <= len(got) < len(want) and f.get("loaded") == len(got) and
                 f.get("more") == 1,
                 f"asking for 50: at least 50 loaded, not all {len(want)}, older ones said to "
                 "exist", {k: v for k, v in f.items() if k != "records"})
            t.eq(got, want[:len(got)], "the loaded records are boto3's newest, newest first, "
                 "field for field")
            bodies = filter_bodies(px.sent())
            old = [b for b in bodies if b.get("limit") != 1 and
                   b.get("startTime", 0) < newest_ms - 4 * 3600 * 1000]
            t.ok(bodies and not old and all(b.get("logGroupName") == GROUP for b in bodies),
                 f"{len(bodies)} FilterLogEvents, each a recent window or the one-record probe: "
                 "no old page read up front", bodies)
            t.ok(any(b.get("nextToken") for b in bodies),
                 "a window longer than a page was followed by its nextToken", bodies)

            pd.cmd(f"detail {topic}\x1f250")
            pd.run(1)
            rows, _ = pd.dump()
            row = rows["topic_failures"][topic]
            got = row_records(row)
            t.ok(250 <= len(got) < len(want) and got == want[:len(got)],
                 f"asking for 250: {len(got)} loaded, still boto3's newest in order")

            pd.cmd(f"detail {topic}\x1f5000")
            for k in range(5):   # a cycle sends at most 60 requests: it may take a few
                if k:
                    pd.cmd("refresh")
                pd.run(1)
                rows, _ = pd.dump()
                if rows["topic_failures"][topic]["fields"].get("more") == 0:
                    break
            row = rows["topic_failures"][topic]
            t.eq(row_records(row), want, f"asking for all: the {len(want)} records, "
                 "equal to boto3's")
            t.eq(row["fields"].get("more"), 0, "and none older is said to exist")

            # records logged since: on top, each once
            now = int(time.time() * 1000)
            put_failures(logs, topic, queue_arn, [(now - 1000 * k, 9000 + k) for k in range(3)])
            pd.cmd("refresh")
            pd.run(1)
            rows, _ = pd.dump()
            got = row_records(rows["topic_failures"][topic])
            want = boto3_records(logs)
            t.eq(got, want, "three records logged later come on top, none twice")
            storm_case(pd, logs, topic)
            errors = {k: r["fields"] for k, r in rows.get("error", {}).items()
                      if r["fields"].get("count")}
            t.eq(errors, {}, "no call failed")
        finally:
            rc, err = pd.close()
            t.ok(rc == 0, "poll_dump quit cleanly", err[-2000:])
    return want


def storm_case(pd, logs, alerts):
    """A topic whose last 20 minutes hold 2500 failures: the first hour's window would take
    more than 20 pages, so its newest quarter is read instead; what is loaded is still the
    newest, in order, and older records are said to exist."""
    topic = alerts.rsplit(":", 1)[0] + ":storm"
    group = GROUP.replace("/alerts/", "/storm/")
    logs.create_log_group(logGroupName=group)
    logs.create_log_stream(logGroupName=group, logStreamName=STREAMS[0])
    now = int(time.time() * 1000) - 2000
    for k in range(0, 2500, 500):
        logs.put_log_events(logGroupName=group, logStreamName=STREAMS[0], logEvents=[
            {"timestamp": now - 480 * (2499 - i), "message": failure(topic, "arn:aws:sqs:x", 0, i)}
            for i in range(k, k + 500)])
    pd.cmd(f"detail {topic}\x1f50")
    pd.run(1)
    rows, _ = pd.dump()
    row = rows.get("topic_failures", {}).get(topic, {})
    got = row_records(row) if row.get("fields", {}).get("records") else []
    evs = all_events(logs, group)
    t.ok(50 <= len(got) < 2500 and [g[0] for g in got] == [e["eventId"] for e in evs[:len(got)]]
         and row["fields"].get("more") == 1,
         f"a storm of 2500 in 20 minutes: {len(got)} of the newest loaded in order, older ones "
         "said to exist", {k: v for k, v in row.get("fields", {}).items() if k != "records"})


def hostile_case(endpoint, logs, alerts):
    """CloudWatch Logs answers the console must not trust blindly, from a relay in front of
    moto: a probe that keeps answering "still searching" (no events, a new nextToken) leaves
    "more" unknown after a few pages rather than asking forever; a window whose nextToken
    repeats fails as a pagination loop, and the records already loaded stay, marked."""
    topic = alerts.rsplit(":", 1)[0] + ":flaky"
    put_failures(logs, topic, "arn:aws:sqs:us-east-1:123456789012:flaky-q",
                 [(int(time.time() * 1000) - 60000 * i, i) for i in range(30)], create=True)
    mode = {"probe": "searching", "window": "ok", "n": 0}

    def hook(status, doc):
        with relay.lock:
            asked = [b for a, b in relay.seen if a == "FilterLogEvents"][-1] or {}
        if "startTime" not in asked and mode["probe"] == "searching":
            mode["n"] += 1
            return status, {"events": [], "searchedLogStreams": [],
                            "nextToken": f"still-searching-{mode['n']}"}
        if "startTime" in asked and mode["window"] == "loop":
            doc["nextToken"] = "the-same-token"
        return status, doc

    with TamperRelay(endpoint, {"FilterLogEvents": hook}) as relay:
        pd = PollDump(aws_env(relay.endpoint))
        try:
            pd.cmd("view sns")
            pd.cmd(f"detail {topic}\x1f50")
            pd.run(1)
            rows, _ = pd.dump()
            row = rows.get("topic_failures", {}).get(topic, {})
            f = row.get("fields", {})
            probes = [b for b in relay.actions("FilterLogEvents") if b and "startTime" not in b]
            t.ok(f.get("loaded") == 30 and f.get("more") == -1 and len(probes) == 5 and
                 not row.get("error"),
                 "a probe still searching after 5 pages: all 30 loaded, older ones not known, "
                 "no error", {k: v for k, v in f.items() if k != "records"})
            mode["window"] = "loop"
            logs.put_log_events(logGroupName=GROUP.replace("/alerts/", "/flaky/"),
                                logStreamName=STREAMS[0], logEvents=[
                                    {"timestamp": int(time.time() * 1000),
                                     "message": failure(topic, "arn:aws:sqs:x", 0, 99)}])
            pd.cmd("refresh")
            pd.run(1)
            rows, _ = pd.dump()
            row = rows.get("topic_failures", {}).get(topic, {})
            t.ok(row.get("error") and "PaginationLoop" in json.dumps(rows.get("error", {})) and
                 row.get("fields", {}).get("loaded") == 30 and row.get("stale"),
                 "a nextToken that repeats fails the read (an error row names the loop); the "
                 "30 records stay, marked stale", {"row": {k: v for k, v in row.items()
                                                           if k != "fields"},
                                                   "errors": rows.get("error")})
        finally:
            rc, err = pd.close()
            t.ok(rc == 0, "poll_dump quit cleanly", err[-2000:])


def copied(raw):
    with open(raw, "rb") as f:
        data = f.read()
    return [base64.b64decode(m.group(1)).decode("utf-8", "replace")
            for m in OSC52.finditer(data)]


def console_case(env, sqs, queue_url, want, oldest, cols, rows):
    e = {k: v for k, v in env.items()
         if k not in ("COLUMNS", "LINES", "OPSDECK_TEST_NOW", "OPSDECK_SCRIPT")}
    with Tmux() as tm:
        tm.start(e, [OPSDECK, "--view", "sns"], cols, rows, gate=True)
        tm.tmux("set-option", "-g", "set-clipboard", "on")
        raw = tm.pipe_raw()
        tm.go()
        ok, scr = tm.wait_for("alerts")
        tm.text("/alerts")
        tm.keys("Enter")
        tm.keys("Enter")
        ok, scr = tm.wait_for("loaded, newest first")
        where = f"{cols}x{rows}"
        # SQSFailureFeedbackRoleArn, SQSSuccessFeedbackRoleArn and SQSSuccessFeedbackSampleRate
        # as SetTopicAttributes set them (HTTP's too, but no subscriber uses HTTP)
        t.ok(ok and any(re.search(r"^ Logging +SQS: failures logged, 10 % of successes; "
                                   r"role sns-delivery-status", r) for r in scr) and
             not any("HTTP:" in r for r in scr),
             f"{where}: the pane says SQS failures and 10 % of successes are logged, and by "
             "which role (the topic's attributes)", "\n".join(scr))
        # the newest three (logged last by poll_case): SQS denied, an HTTP timeout, and the
        # hostile one, whose response is cut at 80 columns and shown at 120
        shown = ("https://hooks.example.invalid/\\u{20" if cols < 100 else
                 "https://hooks.example.invalid/\\u{202E}evil  \\x1B[2J<html>502")
        y = next((i for i, r in enumerate(scr) if " TIME " in r and "ENDPOINT" in r), -1)
        t.ok(y > 0 and y + 3 < len(scr) and " 403 " in scr[y + 1] and " -1 " in scr[y + 2] and
             " 502 " in scr[y + 3] and shown in scr[y + 3] and
             "\x1b" not in "".join(scr) and "\u202e" not in "".join(scr),
             f"{where}: the newest record first, its hostile endpoint escaped", "\n".join(scr))
        tm.text("f")
        ok, scr = tm.wait_for("Failed deliveries of alerts")
        t.ok(ok and any("loaded, newest first; more before" in r for r in scr),
             f"{where}: f lists them, says how many are loaded and that older ones exist",
             "\n".join(scr))
        ok, scr = tm.wait_for(lambda s: any(r.startswith("Response  ") for r in s) and
                              any("f failures" in r for r in s) is False)
        y = next((i for i, r in enumerate(scr) if r.startswith("Response  ")), -1)
        resp = " ".join(r[10:] for r in scr[y:y + 2]) if y >= 0 else ""
        t.ok(resp.startswith('{"ErrorCode": "AccessDenied", "ErrorMessage": "Access to the '
                             'resource https://sqs.us-east-1.amazonaws.com/'),
             f"{where}: the newest record's provider response below, wrapped, as SNS logged "
             "it", "\n".join(scr))
        tm.text("jj")
        ok, scr = tm.wait_for("Endpoint  https://hooks.example.invalid/\\u{202E}evil")
        t.ok(ok and
             any(r.startswith("Response  \\x1B[2J<html>502 Bad Gateway</html>") for r in scr),
             f"{where}: the selected record's endpoint and response in full below, escaped",
             "\n".join(scr))
        # G to the end again and again: each time older ones load as the cursor nears it
        def loaded(scr):
            m = re.search(r"(\d+) loaded", "\n".join(scr))
            return int(m.group(1)) if m else -1

        for _ in range(40):
            n = loaded(scr)
            if any(f"all {len(want)} loaded" in r for r in scr):
                break
            tm.text("G")
            ok, scr = tm.wait_for(lambda s: loaded(s) != n or
                                  any(f"all {len(want)} loaded" in r for r in s))
            if not ok:
                break
        tm.text("G")
        ok, scr = tm.wait_for(f"message id {oldest}")
        t.ok(ok and any(f"all {len(want)} loaded" in r for r in scr),
             f"{where}: moving to the end loads older records until all {len(want)} are "
             "loaded, the last being the oldest boto3 reads", "\n".join(scr))
        tm.text("y")
        tm.wait_for(lambda _: oldest in copied(raw))
        t.ok(oldest in copied(raw), f"{where}: y copies the record's message id (OSC 52)",
             copied(raw))

        # P: publish, the box with the id, y; then the pane keeps it
        tm.keys("Escape")
        ok, scr = tm.wait_for("Topic alerts")
        tm.text("P")
        ok, scr = tm.wait_for("[ Publish ]")
        tm.text(f"probe from {where}")
        tm.keys("C-x")
        ok, scr = tm.wait_for("Yes")
        tm.text("y")
        ok, scr = tm.wait_for("y copies it again")
        m = re.search(r"published to alerts: message id (\S+)", "\n".join(scr))
        pub = m.group(1) if m else None
        t.ok(ok and pub, f"{where}: after P the box gives the message id", "\n".join(scr))
        tm.keys("Escape")
        ok, scr = tm.wait_for(f"message id {pub}  (y copies it)")
        t.ok(ok, f"{where}: the topic's pane keeps the message id after the box closed",
             "\n".join(scr))
        tm.text("y")
        tm.wait_for(lambda _: copied(raw).count(pub) >= 2)
        t.ok(copied(raw).count(pub) >= 2,
             f"{where}: copied when published, and again with y in the pane", copied(raw))
        msgs = sqs_receive_all(sqs, queue_url)
        t.ok(any(json.loads(x["Body"]).get("MessageId") == pub for x in msgs),
             f"{where}: boto3 reads the message with that id from the subscribed queue", msgs)
        tm.text("q")
        tm.text(":q")
        tm.keys("Enter")
        res = tm.wait_exit()
        t.ok(res.get("rc") == 0 and not (res.get("stderr") or "").strip(),
             f"{where}: :q quits with 0 and nothing on stderr (ASan and leaks included)",
             res)


def main():
    with Moto() as moto:
        c = boto3_clients(moto.endpoint, services=("sqs", "sns", "logs"))
        sqs, sns, logs = c["sqs"], c["sns"], c["logs"]
        q = sqs.create_queue(QueueName="alerts-inbox")["QueueUrl"]
        q_arn = sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["QueueArn"])[
            "Attributes"]["QueueArn"]
        topic = sns.create_topic(Name="alerts")["TopicArn"]
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=q_arn)
        logging = {}
        for proto in ("SQS", "HTTP"):
            logging[proto + "FailureFeedbackRoleArn"] = ROLE
            logging[proto + "SuccessFeedbackRoleArn"] = ROLE
            logging[proto + "SuccessFeedbackSampleRate"] = "10"
        for name, value in logging.items():
            sns.set_topic_attributes(TopicArn=topic, AttributeName=name, AttributeValue=value)
        now = int(time.time() * 1000) - 5000
        burst = [(now - 12000 * k, k) for k in range(150)]             # the last 30 minutes
        steady = [(now - 1800 * 1000 - 180000 * k, 150 + k) for k in range(260)]  # 13 hours
        put_failures(logs, topic, q_arn, burst + steady, create=True)

        # moto keeps the logging attributes but leaves them out of GetTopicAttributes: the
        # relay puts them back, and boto3 reads them through it as the console does
        with SnsAttrRelay(moto.endpoint, {topic: logging}) as relay:
            attrs = boto3_clients(relay.endpoint, services=("sns",))["sns"].get_topic_attributes(
                TopicArn=topic)["Attributes"]
            t.eq({k: attrs.get(k) for k in logging}, logging,
                 "boto3 (through the relay): the topic logs its SQS and HTTP deliveries")
            want = poll_case(relay.endpoint, logs, topic, q_arn, now)
            hostile_case(moto.endpoint, logs, topic)
            env = console_env(relay.endpoint, aws_env(relay.endpoint))
            env["XDG_STATE_HOME"] = os.path.join(env["HOME"], ".local", "state")
            env.pop("VISUAL", None)
            env.pop("EDITOR", None)
            write_app_config(env, "[intervals]\ndefault = 2\n")
            oldest = oldest_message_id(logs)
            for cols, rows in ((80, 24), (120, 40)):
                console_case(env, sqs, q, want, oldest, cols, rows)


t.run("sns failures", main)
t.done()
