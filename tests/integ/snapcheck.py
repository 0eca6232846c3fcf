"""snapcheck.py - compare `opsdeck snapshot --json` with what boto3 reads from the same server.

Shared by the moto and fauxqs snapshot tests: each check is one TAP case, named after what a
user would look at, with the differences as diagnostics when it fails."""
import datetime as dt
import json
import os
import subprocess

OPSDECK = os.environ.get("OPSDECK", "opsdeck")


def run_snapshot(env, *args, timeout=300):
    """Runs opsdeck snapshot; returns (exit code, stdout bytes, stderr text)."""
    p = subprocess.run([OPSDECK, *args, "snapshot", "--json"], env=env, capture_output=True,
                       timeout=timeout)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def all_queue_urls(sqs):
    urls, kw = [], {"MaxResults": 1000}
    while True:
        r = sqs.list_queues(**kw)
        urls += r.get("QueueUrls", [])
        if not r.get("NextToken"):
            return urls
        kw["NextToken"] = r["NextToken"]


def all_topic_arns(sns):
    arns, kw = [], {}
    while True:
        r = sns.list_topics(**kw)
        arns += [t["TopicArn"] for t in r.get("Topics", [])]
        if not r.get("NextToken"):
            return arns
        kw["NextToken"] = r["NextToken"]


def all_subscriptions(sns, arn):
    subs, kw = [], {"TopicArn": arn}
    while True:
        r = sns.list_subscriptions_by_topic(**kw)
        subs += r.get("Subscriptions", [])
        if not r.get("NextToken"):
            return subs
        kw["NextToken"] = r["NextToken"]


def all_dlq_sources(sqs, url):
    out, kw = [], {"QueueUrl": url, "MaxResults": 1000}
    while True:
        r = sqs.list_dead_letter_source_queues(**kw)
        out += r.get("queueUrls", [])
        if not r.get("NextToken"):
            return out
        kw["NextToken"] = r["NextToken"]


def metric_values(cw, namespace, metric, dim, value, stat, taken_at, period, minutes=15):
    """Datapoints over the same window and period opsdeck asks for: the 15 minutes before
    taken_at with 1-minute points for SQS ages, the hour with 5-minute points for SNS."""
    end = dt.datetime.strptime(taken_at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)
    r = cw.get_metric_data(
        MetricDataQueries=[{"Id": "q", "MetricStat": {
            "Metric": {"Namespace": namespace, "MetricName": metric,
                       "Dimensions": [{"Name": dim, "Value": value}]},
            "Period": period, "Stat": stat}}],
        StartTime=end - dt.timedelta(minutes=minutes), EndTime=end, ScanBy="TimestampDescending")
    res = r["MetricDataResults"][0]
    return list(zip(res["Timestamps"], res["Values"]))


def _diff(name, got, want):
    return f"{name}: opsdeck {got!r}, boto3 {want!r}"


SNS_LOG_PREFIX = {"sqs": "SQS", "lambda": "Lambda", "http": "HTTP", "https": "HTTP",
                  "application": "Application", "firehose": "Firehose"}


def check_topic_health(t, p, sns, arns, topics):
    """What the sns view shows of each topic and subscription, against boto3: raw delivery,
    filter policy and scope, the subscription's DLQ, the count without one, subscriptions
    by protocol, the protocols whose failures are not logged, encryption."""
    diffs, seen = [], {"filter": 0, "dlq": 0, "logged": 0}
    for arn in arns:
        x = topics.get(arn)
        if x is None:
            continue
        a = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
        no_dlq, by_proto, used = 0, {}, set()
        for s in x["subscriptions"]:
            by_proto[s["protocol"]] = by_proto.get(s["protocol"], 0) + 1
            if s["protocol"] in SNS_LOG_PREFIX:
                used.add(SNS_LOG_PREFIX[s["protocol"]])
            if s["pending"]:
                continue
            sa = sns.get_subscription_attributes(SubscriptionArn=s["arn"])["Attributes"]
            rp = json.loads(sa["RedrivePolicy"]) if sa.get("RedrivePolicy") else None
            want = {"raw_delivery": sa.get("RawMessageDelivery") == "true",
                    "filter_policy": sa.get("FilterPolicy") or None,
                    "filter_policy_scope": sa.get("FilterPolicyScope") or None,
                    "dlq_arn": rp["deadLetterTargetArn"] if rp else None}
            got = {k: s.get(k) for k in want}
            if want["filter_policy"] and got["filter_policy"]:
                # the same policy, whatever spacing the server kept
                want["filter_policy"] = json.loads(want["filter_policy"])
                got["filter_policy"] = json.loads(got["filter_policy"])
            if got != want:
                diffs.append(_diff(f"{x['name']} {s['arn']}", got, want))
            no_dlq += rp is None
            seen["filter"] += want["filter_policy"] is not None
            seen["dlq"] += rp is not None
        off = sorted(pre for pre in used if not a.get(f"{pre}FailureFeedbackRoleArn"))
        seen["logged"] += len(used) > len(off)
        want_t = {"no_dlq": no_dlq, "protocols": by_proto, "logging_off": off,
                  "kms_key": a.get("KmsMasterKeyId", "")}
        got_t = {k: x.get(k) for k in want_t}
        got_t["logging_off"] = sorted(got_t["logging_off"] or [])
        if got_t != want_t:
            diffs.append(_diff(f"{x['name']} health", got_t, want_t))
    t.ok(not diffs, p + "each subscription's raw delivery, filter policy, scope and DLQ, and "
         "each topic's count without a DLQ, protocols, logging off and key match SNS "
         f"({seen['filter']} filter policies, {seen['dlq']} subscription DLQs, "
         f"{seen['logged']} topics logging failures)", "\n".join(diffs))


def check_inventory(t, doc, clients, with_metrics=True, with_dlq_sources=True, label=""):
    """The snapshot against boto3 on the same endpoint: every number a user would read."""
    sqs, sns, s3 = clients["sqs"], clients["sns"], clients["s3"]
    p = f"{label}: " if label else ""
    queues = {q["url"]: q for q in doc["queues"]}

    urls = all_queue_urls(sqs)
    t.eq(sorted(queues), sorted(urls), p + "every queue boto3 lists is in the snapshot, no more")

    diffs, by_arn = [], {}
    for url in urls:
        a = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        by_arn[a["QueueArn"]] = url
        q = queues.get(url)
        if q is None:
            continue
        for field, attr in (("visible", "ApproximateNumberOfMessages"),
                            ("in_flight", "ApproximateNumberOfMessagesNotVisible"),
                            ("delayed", "ApproximateNumberOfMessagesDelayed")):
            if q[field] != int(a[attr]):
                diffs.append(_diff(f"{q['name']} {field}", q[field], int(a[attr])))
        if q["arn"] != a["QueueArn"]:
            diffs.append(_diff(f"{q['name']} arn", q["arn"], a["QueueArn"]))
        if q["fifo"] != (a.get("FifoQueue") == "true"):
            diffs.append(_diff(f"{q['name']} fifo", q["fifo"], a.get("FifoQueue")))
        if q["attributes"] != a:
            diffs.append(_diff(f"{q['name']} attributes", q["attributes"], a))
    t.ok(not diffs, p + "depths (visible, in flight, delayed), ARNs, FIFO and all attributes "
         "match GetQueueAttributes", "\n".join(diffs))

    diffs, targets = [], set()
    for url in urls:
        a = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["RedrivePolicy"])
        rp = a.get("Attributes", {}).get("RedrivePolicy")
        q = queues.get(url, {})
        if rp:
            rp = json.loads(rp)
            targets.add(rp["deadLetterTargetArn"])
            got = q.get("dead_letter_queue") or {}
            want = {"arn": rp["deadLetterTargetArn"], "url": by_arn.get(rp["deadLetterTargetArn"]),
                    "max_receive_count": int(rp["maxReceiveCount"])}
            if got != want:
                diffs.append(_diff(f"{url} dead_letter_queue", got, want))
        elif q.get("dead_letter_queue") is not None:
            diffs.append(_diff(f"{url} dead_letter_queue", q["dead_letter_queue"], None))
    t.ok(not diffs, p + "each queue's dead-letter target matches its RedrivePolicy",
         "\n".join(diffs))

    want_dlqs = sorted(by_arn[a] for a in targets if a in by_arn)
    got_dlqs = sorted(u for u, q in queues.items() if q["is_dlq"])
    t.eq(got_dlqs, want_dlqs, p + "the queues marked as DLQs are exactly the redrive targets")
    diffs = []
    for url in want_dlqs if with_dlq_sources else []:
        want = sorted(all_dlq_sources(sqs, url))
        got = queues.get(url, {}).get("dlq_sources")
        if got is None or sorted(got) != want:
            diffs.append(_diff(f"{url} dlq_sources", got, want))
    if with_dlq_sources:
        t.ok(not diffs and want_dlqs, p + "each DLQ lists the source queues that "
             "ListDeadLetterSourceQueues returns", "\n".join(diffs) or "no DLQ in the estate")

    if with_metrics:
        cw = clients["cloudwatch"]
        diffs, seen = [], 0
        for url, q in queues.items():
            pts = metric_values(cw, "AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName",
                                q["name"], "Maximum", doc["taken_at"], 60)
            want = max(pts)[1] if pts else None
            seen += want is not None
            if q["oldest_age_seconds"] != want:
                diffs.append(_diff(f"{q['name']} oldest_age_seconds", q["oldest_age_seconds"],
                                   want))
        t.ok(not diffs and seen, p + "age of the oldest message matches CloudWatch's newest "
             f"datapoint ({seen} queues have one)", "\n".join(diffs) or "no datapoints at all")

    arns = all_topic_arns(sns)
    topics = {x["arn"]: x for x in doc["topics"]}
    t.eq(sorted(topics), sorted(arns), p + "every topic boto3 lists is in the snapshot, no more")
    diffs = []
    for arn in arns:
        x = topics.get(arn)
        if x is None:
            continue
        want = sorted((s["SubscriptionArn"], s["Protocol"], s["Endpoint"]) for s in
                      all_subscriptions(sns, arn))
        got = sorted((s["arn"], s["protocol"], s["endpoint"]) for s in x["subscriptions"])
        if got != want:
            diffs.append(_diff(f"{x['name']} subscriptions", got, want))
        for s in x["subscriptions"]:
            if s["pending"] != (s["arn"] in ("PendingConfirmation", "pending confirmation")):
                diffs.append(f"{x['name']}: {s['arn']} pending={s['pending']}")
        a = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
        for field, attr in (("subscriptions_confirmed", "SubscriptionsConfirmed"),
                            ("subscriptions_pending", "SubscriptionsPending")):
            want_n = int(a[attr]) if attr in a else None
            if x[field] != want_n:
                diffs.append(_diff(f"{x['name']} {field}", x[field], want_n))
    t.ok(not diffs, p + "subscriptions (ARN, protocol, endpoint, pending) and their counts "
         "match SNS", "\n".join(diffs))

    check_topic_health(t, p, sns, arns, topics)

    if with_metrics:
        cw = clients["cloudwatch"]
        diffs, nonzero = [], 0
        for arn, x in topics.items():
            for field, metric in (("failed_notifications", "NumberOfNotificationsFailed"),
                                  ("published", "NumberOfMessagesPublished"),
                                  ("delivered", "NumberOfNotificationsDelivered")):
                pts = metric_values(cw, "AWS/SNS", metric, "TopicName", x["name"], "Sum",
                                    doc["taken_at"], 300, minutes=60)
                want = sum(v for _, v in pts)
                nonzero += want > 0
                if x[field] != want:
                    diffs.append(_diff(f"{x['name']} {field}", x[field], want))
        t.ok(not diffs and nonzero, p + "failed, published and delivered per topic match "
             f"CloudWatch's sums over the hour ({nonzero} non-zero)",
             "\n".join(diffs) or "no data at all")

    want_b = sorted(b["Name"] for b in s3.list_buckets()["Buckets"])
    t.eq(sorted(b["name"] for b in doc["buckets"]), want_b, p + "every bucket is listed")
