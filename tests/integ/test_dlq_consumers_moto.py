#!/usr/bin/env python3
"""test_dlq_consumers_moto.py - where a DLQ's messages come from, against moto.

An estate with one DLQ and three source queues: "jobs-failing" whose consumer receives and
hardly deletes, "jobs-idle" holding messages nobody receives, "jobs-healthy" deleting what it
receives. CloudWatch points for NumberOfMessagesReceived/Deleted are put into moto's
CloudWatch; then tests/tools/poll_dump opens the DLQ's detail pane and the dlq_consumers
source must write each source's 15-minute sums equal to what boto3's GetMetricData reads
from the same server. Also: the age of the oldest message carries its point's time
(age_oldest_at) equal to boto3's newest timestamp, and nothing is asked while no DLQ pane
is open (the metrics are billed per query). Last, the console itself (headless, 80x24 and
120x40): the DLQ's pane flags jobs-failing "consumer failing" and jobs-idle "no consumer",
and Enter on a source opens that queue in the sqs view."""
import datetime
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awsenv import Moto, aws_env, boto3_clients  # noqa: E402
from console import Script, console_env, find_row, run_script  # noqa: E402
from polldump import PollDump  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()
NOW = datetime.datetime.now(datetime.timezone.utc).replace(second=0, microsecond=0)
# per minute for the last 10 minutes: (received, deleted)
TRAFFIC = {"jobs-failing": (30, 1), "jobs-idle": None, "jobs-healthy": (12, 12)}


def put_points(cw, queue, metric, per_minute):
    cw.put_metric_data(Namespace="AWS/SQS", MetricData=[
        {"MetricName": metric, "Dimensions": [{"Name": "QueueName", "Value": queue}],
         "Timestamp": NOW - datetime.timedelta(minutes=k + 1), "Value": float(per_minute),
         "Unit": "Count"} for k in range(10)])


def boto_sum(cw, queue, metric):
    """The 15-minute Sum as boto3 reads it: the reference the store must equal."""
    end = datetime.datetime.now(datetime.timezone.utc)
    r = cw.get_metric_data(StartTime=end - datetime.timedelta(minutes=15), EndTime=end,
                           MetricDataQueries=[{"Id": "m0", "MetricStat": {
                               "Metric": {"Namespace": "AWS/SQS", "MetricName": metric,
                                          "Dimensions": [{"Name": "QueueName",
                                                          "Value": queue}]},
                               "Period": 60, "Stat": "Sum"}}])
    return float(sum(r["MetricDataResults"][0]["Values"]))


def console_pane(endpoint, urls):
    env = console_env(endpoint, aws_env(endpoint))
    for cols, rows in ((80, 24), (120, 40)):
        # the DLQ view, the pane of jobs-dlq (the filter puts the cursor on it), its
        # consumers read; then the cursor down to jobs-idle's line and Enter on it
        s = (Script().wait().keys("3").wait().keys("/jobs-dlq<Enter><Enter>").wait()
             .dump("pane"))
        r = run_script(env, s, cols, rows)
        d = r.dumps.get("pane") or []
        order = [n for n in ("jobs-failing", "jobs-idle", "jobs-healthy")
                 if find_row(d, "  " + n + " ") >= 0]
        fail = find_row(d, "  jobs-failing ")
        idle = find_row(d, "  jobs-idle ")
        healthy = find_row(d, "  jobs-healthy ")
        t.ok(len(order) == 3 and d[fail].rstrip().endswith("consumer failing") and
             d[idle].rstrip().endswith("no consumer") and "consumer" not in d[healthy],
             f"{cols}x{rows}: the pane flags the failing consumer and the queue nobody "
             "consumes, not the healthy one", r.why("pane"))
        t.ok(" 20 " in d[fail] and " 0.7 " in d[fail] if fail >= 0 else False,
             f"{cols}x{rows}: jobs-failing receives 20 a minute and deletes 0.7 (300 and 10 "
             "in 15 minutes)", r.why("pane"))
        # Enter on the line of jobs-idle: the sqs view with that queue under the cursor,
        # which Enter then opens
        down = "j" * order.index("jobs-idle") if "jobs-idle" in order else ""
        s = (Script().wait().keys("3").wait().keys("/jobs-dlq<Enter><Enter>").wait()
             .keys(down + "<Enter>").wait().dump("sqs").keys("<Enter>").wait().dump("queue"))
        r = run_script(env, s, cols, rows)
        q = r.dumps.get("queue") or []
        sq = r.dumps.get("sqs") or []
        t.ok(any(x.startswith("SQS queues") for x in sq) and
             any(x.startswith("Queue jobs-idle") for x in q),
             f"{cols}x{rows}: Enter on a source opens it in the sqs view",
             r.why("sqs") + "\n" + r.screen("queue"))


def main():
    with Moto() as m:
        c = boto3_clients(m.endpoint, services=("sqs", "cloudwatch"))
        sqs, cw = c["sqs"], c["cloudwatch"]
        dlq = sqs.create_queue(QueueName="jobs-dlq")["QueueUrl"]
        dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])[
            "Attributes"]["QueueArn"]
        urls = {}
        for name in TRAFFIC:
            urls[name] = sqs.create_queue(QueueName=name, Attributes={
                "RedrivePolicy": f'{{"deadLetterTargetArn":"{dlq_arn}","maxReceiveCount":"3"}}'
            })["QueueUrl"]
        for i in range(4):
            sqs.send_message(QueueUrl=urls["jobs-idle"], MessageBody=f"waiting {i}")
        for name, traffic in TRAFFIC.items():
            if traffic:
                put_points(cw, name, "NumberOfMessagesReceived", traffic[0])
                put_points(cw, name, "NumberOfMessagesDeleted", traffic[1])
        age_at = NOW - datetime.timedelta(minutes=2)
        cw.put_metric_data(Namespace="AWS/SQS", MetricData=[
            {"MetricName": "ApproximateAgeOfOldestMessage",
             "Dimensions": [{"Name": "QueueName", "Value": "jobs-dlq"}],
             "Timestamp": age_at, "Value": 1800.0, "Unit": "Seconds"}])

        pd = PollDump(aws_env(m.endpoint))
        try:
            pd.cmd("view dlq")
            t.ok(pd.run(1).startswith("ran cycles=1"), "the queue list is read")
            rows, _ = pd.dump()
            q = rows.get("queue", {})
            t.eq([n for n in TRAFFIC if q.get(urls[n], {}).get("fields", {}).get("received_15m")
                  is not None], [], "no consumer metrics while no DLQ pane is open")
            d = rows.get("dlq", {}).get(dlq, {}).get("fields", {})
            # the point's time is the start of the one-minute period holding it, as
            # GetMetricData reports it (periods count from the query's StartTime)
            at = d.get("age_oldest_at")
            t.ok(d.get("age_oldest") == 1800 and isinstance(at, int) and
                 age_at.timestamp() - 60 < at <= age_at.timestamp(),
                 "the DLQ's age carries its CloudWatch point's time", d)

            t.eq(pd.cmd(f"detail {dlq}"), "ok", "the DLQ's pane is open")
            pd.run(1)
            rows, _ = pd.dump()
            q = rows.get("queue", {})
            got = {n: (q[urls[n]]["fields"].get("received_15m"),
                       q[urls[n]]["fields"].get("deleted_15m")) for n in TRAFFIC}
            want = {n: (boto_sum(cw, n, "NumberOfMessagesReceived"),
                        boto_sum(cw, n, "NumberOfMessagesDeleted")) for n in TRAFFIC}
            t.eq(got, want, "each source's received/deleted equal boto3's 15-minute Sum")
            t.eq(want["jobs-failing"], (300.0, 10.0), "the seeded points are all in the window")
            t.eq(want["jobs-idle"], (0.0, 0.0),
                 "a queue with no points: CloudWatch answers with none, which is a sum of 0")
            t.eq(q.get(dlq, {}).get("fields", {}).get("received_15m"), None,
                 "the DLQ itself is not asked about: only its sources")
            errors = {k: r["fields"] for k, r in rows.get("error", {}).items()
                      if r["fields"].get("count")}
            t.eq(errors, {}, "no call failed")
        finally:
            rc, err = pd.close()
            t.ok(rc == 0, "poll_dump exits cleanly", err[-600:])
        t.run("the console's DLQ pane", console_pane, m.endpoint, urls)
    t.done()


if __name__ == "__main__":
    main()
