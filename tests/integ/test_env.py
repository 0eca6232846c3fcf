#!/usr/bin/env python3
"""test_env.py - the test environment itself: emulators start on free loopback ports and
are gone after (checked by PID), and seed() creates what its manifest says, read back with
boto3, on moto and on fauxqs."""
import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from tap import Tap  # noqa: E402
from awsenv import (Fauxqs, Moto, ServerError, aws_cli_argv, aws_env,  # noqa: E402
                    boto3_clients, pid_alive)
from seed import seed  # noqa: E402

LIB = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib")
t = Tap()


def refused(port):
    with socket.socket() as s:
        s.settimeout(2)
        return s.connect_ex(("127.0.0.1", port)) != 0


def wait_gone(pid, bound=15.0):
    end = time.monotonic() + bound
    while time.monotonic() < end and pid_alive(pid):
        time.sleep(0.1)
    return not pid_alive(pid)


def lifecycle():
    with Moto() as m:
        pid, port = m.pid, m.port
        t.ok(m.endpoint == f"http://127.0.0.1:{port}", "moto endpoint is on 127.0.0.1",
             detail=m.endpoint)
        t.ok(pid_alive(pid), "moto runs under the PID it reports")
        sqs = boto3_clients(m.endpoint, services=("sqs",))["sqs"]
        sqs.create_queue(QueueName="before-reset")
        with Moto() as m2:
            t.ok(m2.port != port and m2.pid != pid, "a second moto gets its own port and PID")
            sqs2 = boto3_clients(m2.endpoint, services=("sqs",))["sqs"]
            sqs2.create_queue(QueueName="only-in-second")
            names = [[u.rsplit("/", 1)[-1] for u in c.list_queues().get("QueueUrls", [])]
                     for c in (sqs, sqs2)]
            t.eq(names, [["before-reset"], ["only-in-second"]],
                 "the two servers do not share state: each lists only its own queue")
        m.reset()
        t.eq(sqs.list_queues().get("QueueUrls", []), [], "reset() empties moto")
    t.ok(wait_gone(pid), "moto's PID is gone after the with block")
    t.ok(refused(port), "moto's port refuses connections after stop")
    try:
        m.stop()
        raised = None
    except Exception as e:  # noqa: BLE001 - any exception is the failure reported
        raised = e
    t.ok(raised is None and m.proc.returncode is not None,
         "stop() a second time returns quietly and the process stays reaped", detail=raised)


def failure_message():
    class Broken(Moto):
        def _argv(self, port):
            return [sys.executable, "-c",
                    "import sys; sys.stderr.write('address already in use: sentinel-42\\n'); sys.exit(3)"]
    try:
        Broken(attempts=2).start()
        t.ok(False, "a server that exits at once raises ServerError")
    except ServerError as e:
        msg = str(e)
        t.ok("sentinel-42" in msg and "2 attempts" in msg,
             "a failed start raises ServerError with the server's stderr tail", detail=msg)


def child_cleanup(how):
    """A process that started moto is stopped by SIGTERM or dies of an exception: its moto
    must not outlive it."""
    body = ("import sys, time; sys.path.insert(0, %r)\n"
            "from awsenv import Moto\n"
            "m = Moto().start(); print(m.pid, flush=True)\n" % LIB)
    body += "time.sleep(120)\n" if how == "SIGTERM" else "raise RuntimeError('test failed')\n"
    p = subprocess.Popen([sys.executable, "-c", body], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True)
    try:
        line = p.stdout.readline().strip()
        server_pid = int(line) if line.isdigit() else None
        t.ok(server_pid is not None, f"child started moto ({how})", detail=line)
        if how == "SIGTERM":
            p.send_signal(signal.SIGTERM)
        p.wait(timeout=30)
        if server_pid:
            t.ok(wait_gone(server_pid), f"moto is stopped when its owner ends by {how}")
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


def check_seed(label, srv, cloudwatch):
    m = seed(srv.endpoint, cloudwatch=cloudwatch)
    c = boto3_clients(srv.endpoint)
    sqs, sns, s3 = c["sqs"], c["sns"], c["s3"]

    urls = sqs.list_queues().get("QueueUrls", [])
    t.ok(len(m["queues"]) >= 20, f"{label}: at least 20 queues seeded", detail=len(m["queues"]))
    t.eq(sorted(u.rsplit("/", 1)[-1] for u in urls), sorted(m["queues"]),
         f"{label}: ListQueues returns exactly the seeded queues")
    t.ok(sum(q["fifo"] for q in m["queues"].values()) >= 4
         and sum(not q["fifo"] for q in m["queues"].values()) >= 10,
         f"{label}: both standard and FIFO queues")

    mismatched = []
    for name, q in m["queues"].items():
        a = sqs.get_queue_attributes(QueueUrl=q["url"], AttributeNames=["All"])["Attributes"]
        got = (int(a.get("ApproximateNumberOfMessages", -1)),
               int(a.get("ApproximateNumberOfMessagesNotVisible", -1)),
               int(a.get("ApproximateNumberOfMessagesDelayed", -1)))
        if got != (q["visible"], q["in_flight"], q["delayed"]):
            mismatched.append((name, got, (q["visible"], q["in_flight"], q["delayed"])))
    t.eq(mismatched, [], f"{label}: visible/in-flight/delayed counts match the manifest")
    t.ok(sum(q["in_flight"] for q in m["queues"].values()) > 0
         and sum(q["delayed"] for q in m["queues"].values()) > 0,
         f"{label}: some messages are in flight and some delayed")

    t.eq(len(m["dlqs"]), 3, f"{label}: three DLQs")
    links_ok, fifo_ok = [], True
    for dlq, d in m["dlqs"].items():
        dlq_arn = m["queues"][dlq]["arn"]
        t.ok(len(d["sources"]) >= 3, f"{label}: {dlq} has several source queues")
        for src in d["sources"]:
            a = sqs.get_queue_attributes(QueueUrl=m["queues"][src]["url"],
                                         AttributeNames=["RedrivePolicy"])["Attributes"]
            rp = json.loads(a.get("RedrivePolicy", "{}"))
            links_ok.append(rp.get("deadLetterTargetArn") == dlq_arn)
            fifo_ok &= m["queues"][src]["fifo"] == dlq.endswith(".fifo")
        t.ok(d["messages"] > 0 and m["queues"][dlq]["visible"] == d["messages"],
             f"{label}: {dlq} holds messages", detail=d)
    t.ok(links_ok and all(links_ok), f"{label}: every source's RedrivePolicy names its DLQ")
    t.ok(fifo_ok, f"{label}: FIFO sources redrive to a FIFO DLQ, standard to standard")
    t.ok(m["queues"]["orders-dlq"]["visible"] > 17,
         f"{label}: messages reached orders-dlq by maxReceiveCount, not only by direct send",
         detail=m["queues"]["orders-dlq"])
    if "sqs:ListDeadLetterSourceQueues" in m["unsupported"]:
        t.diag(f"{label} lacks ListDeadLetterSourceQueues")
    else:
        for dlq, d in m["dlqs"].items():
            got = sqs.list_dead_letter_source_queues(QueueUrl=m["queues"][dlq]["url"])["queueUrls"]
            t.eq(sorted(u.rsplit("/", 1)[-1] for u in got), sorted(d["sources"]),
                 f"{label}: ListDeadLetterSourceQueues({dlq}) names its sources")
    tags = sqs.list_queue_tags(QueueUrl=m["queues"]["payments-events.fifo"]["url"]).get("Tags", {})
    t.eq(tags, m["queues"]["payments-events.fifo"]["tags"], f"{label}: queue tags read back")

    topics = [a["TopicArn"] for a in sns.list_topics()["Topics"]]
    t.eq(sorted(x.rsplit(":", 1)[-1] for x in topics), sorted(m["topics"]),
         f"{label}: ListTopics returns the seeded topics")
    t.ok(len(m["topics"]) >= 5, f"{label}: at least five topics")
    subs_ok, raw_ok = True, True
    for name, tp in m["topics"].items():
        got = sns.list_subscriptions_by_topic(TopicArn=tp["arn"])["Subscriptions"]
        subs_ok &= sorted((s["Protocol"], s["Endpoint"]) for s in got) == \
            sorted((s["protocol"], s["endpoint"]) for s in tp["subscriptions"])
        for s in tp["subscriptions"]:
            if s["protocol"] == "sqs":
                a = sns.get_subscription_attributes(SubscriptionArn=s["arn"])["Attributes"]
                raw_ok &= (a.get("RawMessageDelivery") == "true") == s["raw"]
    t.ok(subs_ok, f"{label}: each topic's subscriptions read back")
    t.ok(raw_ok, f"{label}: RawMessageDelivery is on exactly where seeded")
    t.eq(m["topics"]["deploy-notifications"]["subscriptions"], [],
         f"{label}: a topic without subscriptions exists")
    t.eq(len(m["pending_subscriptions"]), 1, f"{label}: one subscription meant to be pending")
    pend = m["pending_subscriptions"][0]
    a = sns.get_subscription_attributes(SubscriptionArn=pend["arn"])["Attributes"]
    t.eq(a.get("Protocol"), "email", f"{label}: the unconfirmed subscription is an e-mail one")
    if label == "fauxqs":
        t.eq(a.get("PendingConfirmation"), "true", "fauxqs: it reports PendingConfirmation")
    else:
        t.diag(f"{label}: PendingConfirmation={a.get('PendingConfirmation')} "
               "(moto confirms every subscription)")

    logs = m["buckets"]["acme-app-logs"]
    pages, keys, token = 0, [], None
    while True:
        kw = {"Bucket": "acme-app-logs", "MaxKeys": 100}
        if token:
            kw["ContinuationToken"] = token
        r = s3.list_objects_v2(**kw)
        pages += 1
        keys += [o["Key"] for o in r.get("Contents", [])]
        token = r.get("NextContinuationToken")
        if not r.get("IsTruncated") or pages > 50:
            break
    t.eq(len(keys), logs["objects"], f"{label}: every log object listed by paging")
    t.ok(pages >= 3, f"{label}: the logs bucket needs several pages of 100", detail=pages)
    t.ok(all(k.startswith("logs/") and k.count("/") == 5 for k in keys),
         f"{label}: log keys are nested logs/YYYY/MM/DD/HH/")
    r = s3.list_objects_v2(Bucket="acme-reports")
    got = sorted(o["Key"] for o in r.get("Contents", []))
    t.eq(got, sorted(m["buckets"]["acme-reports"]["keys"]),
         f"{label}: keys with spaces, UTF-8 and reserved characters list back unchanged")
    body = s3.get_object(Bucket="acme-reports", Key="reports/Q3 résumé ✓.pdf")["Body"].read()
    t.eq(body.decode("utf-8"), "report reports/Q3 résumé ✓.pdf",
         f"{label}: an object with a UTF-8 key reads back")
    p = m["s3_pointer"]
    head = s3.head_object(Bucket=p["bucket"], Key=p["key"])
    t.ok(head["ContentLength"] == p["size"] and p["size"] > 256 * 1024,
         f"{label}: the extended-client payload (>256 KB) is in S3", detail=head["ContentLength"])

    if cloudwatch:
        cw = c["cloudwatch"]
        now = dt.datetime.now(dt.timezone.utc)
        queries = [{"Id": f"m{i}", "MetricStat": {"Metric": {
            "Namespace": x["namespace"], "MetricName": x["metric"],
            "Dimensions": [{"Name": x["dimension"][0], "Value": x["dimension"][1]}]},
            "Period": 60, "Stat": "Maximum"}} for i, x in enumerate(m["metrics"])]
        r = cw.get_metric_data(MetricDataQueries=queries, StartTime=now - dt.timedelta(minutes=16),
                               EndTime=now + dt.timedelta(minutes=1))
        res = {x["Id"]: x for x in r["MetricDataResults"]}
        bad = []
        for i, x in enumerate(m["metrics"]):
            vals = res.get(f"m{i}", {}).get("Values", [])
            if len(vals) != x["points"] or max(vals, default=None) != x["max"]:
                bad.append((x["metric"], x["dimension"], len(vals), max(vals, default=None)))
        t.ok(any(x["namespace"] == "AWS/SNS" for x in m["metrics"])
             and any(x["namespace"] == "AWS/SQS" for x in m["metrics"]),
             f"{label}: SQS and SNS metrics seeded")
        t.eq(bad, [], f"{label}: GetMetricData returns every data point put in the last 15 min")
    else:
        t.ok("cloudwatch:ListMetrics" in m["unsupported"],
             f"{label}: has no CloudWatch, and the manifest says so", detail=m["unsupported"])
    return m


def moto_seed():
    with Moto() as m:
        check_seed("moto", m, cloudwatch=True)


def fauxqs_seed():
    with Fauxqs() as f:
        pid = f.pid
        t.ok(pid_alive(pid), "fauxqs runs under the PID it reports")
        mani = check_seed("fauxqs", f, cloudwatch=False)
        url = mani["queues"]["orders-intake"]["url"]
        t.eq(url, f"http://sqs.us-east-1.localhost:{f.port}/000000000000/orders-intake",
             "fauxqs: queue URLs are http://sqs.REGION.localhost:PORT/ACCOUNT/NAME")
        t.ok("sqs:ListDeadLetterSourceQueues" in mani["unsupported"],
             "fauxqs: lacks ListDeadLetterSourceQueues (the manifest says so)")
    t.ok(wait_gone(pid), "fauxqs's PID is gone after the with block")


def env_dict():
    os.environ["HTTPS_PROXY"] = "http://127.0.0.1:9"
    e = aws_env("http://127.0.0.1:1234")
    del os.environ["HTTPS_PROXY"]
    t.ok("HTTPS_PROXY" not in e and "127.0.0.1" in e["NO_PROXY"], "aws_env drops proxies")
    t.ok(e["HOME"] != os.environ.get("HOME") and os.path.getsize(e["AWS_CONFIG_FILE"]) == 0
         and os.path.getsize(e["AWS_SHARED_CREDENTIALS_FILE"]) == 0,
         "aws_env isolates HOME with empty config and credentials files")
    t.eq((e["AWS_REGION"], e["AWS_ENDPOINT_URL"]), ("us-east-1", "http://127.0.0.1:1234"),
         "aws_env sets region and endpoint")


def aws_cli():
    with Moto() as m:
        boto3_clients(m.endpoint, services=("sqs",))["sqs"].create_queue(QueueName="cli-sees-me")
        r = subprocess.run(aws_cli_argv(m.endpoint, "sqs", "list-queues", "--output", "json"),
                           env=aws_env(m.endpoint), capture_output=True, text=True, timeout=60)
        t.ok(r.returncode == 0 and "cli-sees-me" in r.stdout,
             "the aws CLI reaches moto with aws_env() and aws_cli_argv()", detail=r.stderr[-1500:])
        r = subprocess.run(aws_cli_argv(m.endpoint, "s3", "ls", "s3://acme-empty"),
                           env=aws_env(m.endpoint), capture_output=True, text=True, timeout=60)
        t.ok(r.returncode != 0 and "NoSuchBucket" in r.stderr,
             "the aws CLI's S3 errors come from moto, not from elsewhere", detail=r.stderr[-800:])


t.run("env_dict", env_dict)
t.run("lifecycle", lifecycle)
t.run("failure_message", failure_message)
t.run("child_cleanup SIGTERM", child_cleanup, "SIGTERM")
t.run("child_cleanup exception", child_cleanup, "exception")
t.run("aws_cli", aws_cli)
t.run("moto_seed", moto_seed)
t.run("fauxqs_seed", fauxqs_seed)
t.done()
