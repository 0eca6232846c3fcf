#!/usr/bin/env python3
"""seed.py - fill an emulator (moto or fauxqs) with a realistic messaging estate.

Library:
    from seed import seed, seed_queues
    m = seed("http://127.0.0.1:PORT")                     # the full estate, see MANIFEST
    m = seed(url, cloudwatch=False)                         # fauxqs: it has no CloudWatch
    m = seed_queues(url, 1000)                              # benchmark: many queues, fast
CLI:
    python3 tests/lib/seed.py --endpoint URL [--queues N] [--no-cloudwatch] [--objects N]
    prints the manifest as JSON.

MANIFEST (what seed() returns; every count is what this module did, so a test can read the
emulator back and compare):
    {"endpoint": URL,
     "queues": {NAME: {"url", "arn", "fifo": bool, "dlq": DLQ_NAME|None,
                       "max_receive_count": int|None, "tags": {k: v},
                       "visible": int, "in_flight": int, "delayed": int}},
     "dlqs": {NAME: {"sources": [NAME...], "messages": int}},   # DLQs are also in "queues"
     "topics": {NAME: {"arn", "fifo": bool,
                       "subscriptions": [{"protocol", "endpoint", "queue": NAME|None,
                                          "raw": bool, "arn"}]}},
     "pending_subscriptions": [{"topic", "protocol", "endpoint", "arn",
                                "reported_pending": bool}],   # as GetSubscriptionAttributes
                                # says: moto confirms every subscription, fauxqs does not
     "buckets": {NAME: {"objects": int, "keys": [KEY...]}},  # keys: the notable ones only
     "metrics": [{"namespace", "metric", "dimension": [NAME, VALUE], "points": int,
                  "max": float}],
     "s3_pointer": {"queue", "bucket", "key", "size"},   # an SQS extended-client message
     "unsupported": [ACTION...],                          # calls this emulator refused
     "limitations": [TEXT...]}                            # behaviour unlike AWS, found here
"""
import argparse
import datetime as dt
import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awsenv import boto3_clients  # noqa: E402

from botocore.exceptions import ClientError  # noqa: E402

IN_FLIGHT_VISIBILITY = 3600   # seconds: in-flight messages stay in flight for the whole run
DELAY = 900                   # seconds: the SQS maximum, so delayed ones stay delayed

# (DLQ, fifo, maxReceiveCount, sources)
DLQS = [
    ("orders-dlq", False, 5, ["orders-intake", "orders-fulfilment", "inventory-updates",
                              "shipping-labels", "email-notifications"]),
    ("billing-dlq", False, 3, ["invoices-generate", "refunds-process", "ledger-sync"]),
    ("payments-dlq.fifo", True, 3, ["payments-events.fifo", "payments-settlement.fifo",
                                    "payouts-batch.fifo"]),
]
PLAIN_QUEUES = ["search-indexer", "audit-log-ingest", "image-thumbnails", "webhook-retry",
                "user-signup-events", "session-cleanup", "reports-nightly",
                "analytics-clickstream", "cache-invalidation", "sms-outbox",
                "fraud-scoring.fifo", "customer-profile-updates.fifo"]
TEAMS = {"orders": "checkout", "inventory": "checkout", "shipping": "logistics",
         "email": "growth", "invoices": "billing", "refunds": "billing", "ledger": "billing",
         "billing": "billing", "payments": "payments", "payouts": "payments",
         "fraud": "payments", "search": "platform", "audit": "security",
         "image": "media", "webhook": "platform", "user": "identity", "session": "identity",
         "reports": "data", "analytics": "data", "cache": "platform", "sms": "growth",
         "customer": "identity"}

# visible messages sent straight to a queue (besides SNS fan-out), in-flight, delayed
BACKLOG = {"orders-intake": (40, 6, 3), "orders-fulfilment": (12, 4, 0),
           "email-notifications": (25, 0, 5), "invoices-generate": (8, 2, 0),
           "search-indexer": (120, 10, 0), "image-thumbnails": (7, 0, 4),
           "webhook-retry": (15, 3, 2), "audit-log-ingest": (60, 0, 0),
           "payments-events.fifo": (9, 0, 0), "fraud-scoring.fifo": (4, 0, 0)}
DLQ_DIRECT = {"orders-dlq": 17, "billing-dlq": 4, "payments-dlq.fifo": 3}
POISON = ("shipping-labels", 2)   # messages failed for real: received until redriven

# topic -> (fifo, [(protocol, queue-or-endpoint, raw)], publishes)
TOPICS = {
    "order-events": (False, [("sqs", "orders-intake", False),
                             ("sqs", "inventory-updates", True),
                             ("sqs", "analytics-clickstream", True)], 5),
    "user-events": (False, [("sqs", "user-signup-events", True),
                            ("sqs", "email-notifications", False)], 3),
    "search-updates": (False, [("sqs", "search-indexer", False)], 2),
    "payment-events.fifo": (True, [("sqs", "payments-events.fifo", True)], 2),
    # an e-mail subscription nobody clicked: stays PendingConfirmation where the emulator
    # models confirmation. Never published to: no emulator may try to deliver it.
    "billing-alerts": (False, [("sqs", "sms-outbox", False),
                               ("email", "billing-oncall@example.invalid", False)], 0),
    "deploy-notifications": (False, [], 0),     # a topic with no subscriber at all
}
# what the sns view looks at beyond the subscriptions: a display name, encryption, failure
# logging on for one topic (moto accepts the attribute but does not keep it, fauxqs refuses
# it), and one subscription with a filter policy and a dead-letter queue of its own
TOPIC_ATTRS = {
    "order-events": {"DisplayName": "Order events"},
    "payment-events.fifo": {"KmsMasterKeyId": "alias/aws/sns"},
    "user-events": {"SQSFailureFeedbackRoleArn": "arn:aws:iam::123456789012:role/sns-logs",
                    "SQSSuccessFeedbackRoleArn": "arn:aws:iam::123456789012:role/sns-logs",
                    "SQSSuccessFeedbackSampleRate": "10"},
}
SUB_ATTRS = {("order-events", "orders-intake"): {
    "FilterPolicy": '{"eventType": ["created", "updated"]}',
    "FilterPolicyScope": "MessageAttributes",
    "RedrivePolicy": "orders-dlq"}}     # the queue named here becomes its ARN
LOG_OBJECTS = 300
NOTABLE_KEYS = ["reports/Q3 résumé ✓.pdf", "reports/2026/Q3 summary (final).csv",
                "exports/customers 2026-11.csv", "ünïcødé/日本語/データ.json",
                "reports/plus+and&ampersand=equals.txt"]


def _arn(sqs, url):
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def _team(name):
    return TEAMS.get(name.split("-")[0].split(".")[0], "platform")


class _Seeder:
    def __init__(self, endpoint, cloudwatch, objects, workers, synthetic_ages=True):
        self.c = boto3_clients(endpoint, max_pool=max(10, workers))
        self.sqs, self.sns, self.s3 = self.c["sqs"], self.c["sns"], self.c["s3"]
        self.cloudwatch = cloudwatch
        self.synthetic_ages = synthetic_ages
        self.objects = objects
        self.workers = workers
        self.m = {"endpoint": endpoint, "queues": {}, "dlqs": {}, "topics": {},
                  "pending_subscriptions": [], "buckets": {}, "metrics": [],
                  "s3_pointer": None, "unsupported": [], "limitations": []}
        self.seq = 0

    # ---- SQS ----
    def create_queue(self, name, attrs=None, dlq=None, max_receive=None):
        fifo = name.endswith(".fifo")
        a = {"VisibilityTimeout": "30", "MessageRetentionPeriod": "345600"}
        if fifo:
            a["FifoQueue"] = "true"
        if dlq:
            a["RedrivePolicy"] = json.dumps({"deadLetterTargetArn": self.m["queues"][dlq]["arn"],
                                             "maxReceiveCount": str(max_receive)})
        a.update(attrs or {})
        tags = {"team": _team(name), "env": "staging", "service": name.split("-")[0]}
        url = self.sqs.create_queue(QueueName=name, Attributes=a, tags=tags)["QueueUrl"]
        self.m["queues"][name] = {"url": url, "arn": _arn(self.sqs, url), "fifo": fifo,
                                  "dlq": dlq, "max_receive_count": max_receive, "tags": tags,
                                  "visible": 0, "in_flight": 0, "delayed": 0}
        return url

    def send(self, name, body, delay=0, attrs=None, group="g1"):
        q = self.m["queues"][name]
        kw = {"QueueUrl": q["url"], "MessageBody": body}
        if attrs:
            kw["MessageAttributes"] = attrs
        if q["fifo"]:
            self.seq += 1
            kw["MessageGroupId"] = group
            kw["MessageDeduplicationId"] = f"dedup-{self.seq}"
        elif delay:
            kw["DelaySeconds"] = delay
        self.sqs.send_message(**kw)
        q["delayed" if delay else "visible"] += 1
        # when the oldest message still in the queue was sent, for ages that tell the truth
        # (tests/lib/demo.py publishes them as CloudWatch's ApproximateAgeOfOldestMessage)
        q.setdefault("first_sent", time.time())

    def receive_into_flight(self, name, n):
        q = self.m["queues"][name]
        got = 0
        for _ in range(20):   # bounded: an emulator may return fewer than asked per call
            if got == n:
                break
            r = self.sqs.receive_message(QueueUrl=q["url"], MaxNumberOfMessages=min(10, n - got),
                                         VisibilityTimeout=IN_FLIGHT_VISIBILITY)
            got += len(r.get("Messages", []))
        q["visible"] -= got
        q["in_flight"] += got
        return got

    def fail_until_dead(self, name, n):
        """Sends n messages and receives them without deleting (visibility 0) until the
        emulator moves them to the DLQ by maxReceiveCount, as a crashing consumer would."""
        q = self.m["queues"][name]
        for i in range(n):
            self.send(name, json.dumps({"labelId": f"LBL-{9000 + i}", "carrier": "ups",
                                        "weightKg": "not-a-number"}))
        for _ in range(n * (q["max_receive_count"] + 2) + 5):
            r = self.sqs.receive_message(QueueUrl=q["url"], MaxNumberOfMessages=10,
                                         VisibilityTimeout=0)
            if not r.get("Messages"):
                break
        attrs = self.sqs.get_queue_attributes(QueueUrl=q["url"], AttributeNames=["ApproximateNumberOfMessages"])
        left = int(attrs["Attributes"]["ApproximateNumberOfMessages"])
        moved = n - left
        q["visible"] -= moved
        self.m["queues"][q["dlq"]]["visible"] += moved
        self.m["dlqs"][q["dlq"]]["messages"] += moved

    def queues(self):
        for dlq, fifo, mrc, sources in DLQS:
            self.create_queue(dlq, {"MessageRetentionPeriod": "1209600"})
            self.m["dlqs"][dlq] = {"sources": list(sources), "messages": 0}
            for s in sources:
                self.create_queue(s, {"ContentBasedDeduplication": "true"} if fifo else None,
                                  dlq=dlq, max_receive=mrc)
        for name in PLAIN_QUEUES:
            self.create_queue(name)

    def messages(self):
        for name, (visible, in_flight, delayed) in BACKLOG.items():
            for i in range(visible):
                self.send(name, json.dumps({"id": f"{name}-{i}", "ts": _now().isoformat()}),
                          group=f"g{i % 3}")
            for i in range(delayed):
                self.send(name, json.dumps({"id": f"{name}-delayed-{i}"}), delay=DELAY)
            if in_flight:
                self.receive_into_flight(name, in_flight)
        for dlq, n in DLQ_DIRECT.items():
            for i in range(n):
                self.send(dlq, json.dumps({"orderId": f"ORD-{10400 + i}",
                                           "error": "ValidationError: currency missing"}),
                          attrs={"failureReason": {"DataType": "String",
                                                   "StringValue": "consumer threw"}},
                          group=f"acct-{i % 2}")
            self.m["dlqs"][dlq]["messages"] += n
        self.fail_until_dead(*POISON)

    # ---- SNS ----
    def topics(self):
        for topic, (fifo, subs, publishes) in TOPICS.items():
            attrs = {"FifoTopic": "true", "ContentBasedDeduplication": "true"} if fifo else {}
            arn = self.sns.create_topic(Name=topic, Attributes=attrs,
                                        Tags=[{"Key": "team", "Value": _team(topic)}])["TopicArn"]
            t = {"arn": arn, "fifo": fifo, "subscriptions": []}
            self.m["topics"][topic] = t
            for name, value in TOPIC_ATTRS.get(topic, {}).items():
                try:
                    self.sns.set_topic_attributes(TopicArn=arn, AttributeName=name,
                                                  AttributeValue=value)
                except self.sns.exceptions.InvalidParameterException:
                    # fauxqs has no delivery-status logging: the topic stays without it
                    # (the checks compare with what the server says it has)
                    self.m.setdefault("refused_attributes", []).append((topic, name))
            for proto, target, raw in subs:
                queue = target if proto == "sqs" else None
                endpoint = self.m["queues"][target]["arn"] if queue else target
                attrs = {"RawMessageDelivery": "true"} if raw else {}
                sub = self.sns.subscribe(TopicArn=arn, Protocol=proto, Endpoint=endpoint,
                                         Attributes=attrs, ReturnSubscriptionArn=True)
                s = {"protocol": proto, "endpoint": endpoint, "queue": queue, "raw": raw,
                     "arn": sub["SubscriptionArn"]}
                for name, value in SUB_ATTRS.get((topic, target), {}).items():
                    if name == "RedrivePolicy":
                        value = json.dumps({"deadLetterTargetArn":
                                            self.m["queues"][value]["arn"]})
                    self.sns.set_subscription_attributes(
                        SubscriptionArn=sub["SubscriptionArn"], AttributeName=name,
                        AttributeValue=value)
                t["subscriptions"].append(s)
                if proto != "sqs":
                    self.m["pending_subscriptions"].append(
                        {"topic": topic, "protocol": proto, "endpoint": endpoint,
                         "arn": sub["SubscriptionArn"]})
            for i in range(publishes):
                kw = {"TopicArn": arn, "Message": json.dumps({"event": f"{topic}.{i}"}),
                      "MessageAttributes": {"eventType": {"DataType": "String",
                                                          "StringValue": "created"}}}
                if fifo:
                    kw["MessageGroupId"] = "acct-1"
                self.sns.publish(**kw)
                for s in t["subscriptions"]:
                    if s["queue"]:
                        self.m["queues"][s["queue"]]["visible"] += 1

    # ---- S3 ----
    def buckets(self):
        today = _now()
        logs = "acme-app-logs"
        self.s3.create_bucket(Bucket=logs)
        keys = [f"logs/{today:%Y/%m/%d}/{h:02d}/app-{i:04d}.log.gz"
                for i, h in ((i, i % 24) for i in range(self.objects))]

        def put(key):
            self.s3.put_object(Bucket=logs, Key=key, Body=f"{key}\n".encode(),
                               ContentType="application/gzip")
        with ThreadPoolExecutor(self.workers) as ex:
            list(ex.map(put, keys))
        self.m["buckets"][logs] = {"objects": len(keys), "keys": keys[:3]}

        reports = "acme-reports"
        self.s3.create_bucket(Bucket=reports)
        for k in NOTABLE_KEYS:
            self.s3.put_object(Bucket=reports, Key=k, Body=("report " + k).encode("utf-8"),
                               Metadata={"owner": "finance"})
        self.m["buckets"][reports] = {"objects": len(NOTABLE_KEYS), "keys": list(NOTABLE_KEYS)}

        # A message too large for SQS, stored by the SQS extended client.
        large = "acme-sqs-large-payloads"
        self.s3.create_bucket(Bucket=large)
        key = "2f9c6d2e-7a51-4c55-9d8c-3c1b1f0b5e11"
        body = json.dumps({"orderId": "ORD-BULK-1", "lines": ["x" * 64] * 4200}).encode()
        self.s3.put_object(Bucket=large, Key=key, Body=body)
        self.m["buckets"][large] = {"objects": 1, "keys": [key]}
        pointer = json.dumps(["software.amazon.payloadoffloading.PayloadS3Pointer",
                              {"s3BucketName": large, "s3Key": key}])
        self.send("orders-intake", pointer, attrs={
            "ExtendedPayloadSize": {"DataType": "Number", "StringValue": str(len(body))}})
        self.m["s3_pointer"] = {"queue": "orders-intake", "bucket": large, "key": key,
                                "size": len(body)}

    # ---- CloudWatch ----
    def metrics(self):
        cw = self.c["cloudwatch"]
        now = _now().replace(second=0, microsecond=0)
        series = [("AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", q, "Seconds",
                   [60.0 * (k + 1) * (3 if q.endswith("dlq") or "dlq" in q else 1)
                    for k in range(15)])
                  for q in ("orders-intake", "search-indexer", "orders-dlq", "billing-dlq",
                            "payments-dlq.fifo")] if self.synthetic_ages else []
        series += [("AWS/SNS", "NumberOfNotificationsFailed", "TopicName", t, "Count", vals)
                   for t, vals in (("order-events", [0, 0, 1, 0, 2, 4, 3, 0, 0, 1, 5, 2, 0, 0, 1]),
                                   ("billing-alerts", [1.0] * 15))]
        series += [("AWS/SNS", m, "TopicName", "order-events", "Count", [v] * 15)
                   for m, v in (("NumberOfMessagesPublished", 16.0),
                                ("NumberOfNotificationsDelivered", 45.0))]
        for ns, metric, dim, value, unit, vals in series:
            data = [{"MetricName": metric, "Dimensions": [{"Name": dim, "Value": value}],
                     "Timestamp": now - dt.timedelta(minutes=14 - i), "Value": float(v),
                     "Unit": unit} for i, v in enumerate(vals)]
            cw.put_metric_data(Namespace=ns, MetricData=data)
            self.m["metrics"].append({"namespace": ns, "metric": metric,
                                      "dimension": [dim, value], "points": len(vals),
                                      "max": float(max(vals))})

    def run(self):
        self.queues()
        self.messages()
        self.topics()
        self.buckets()
        if self.cloudwatch:
            self.metrics()
        self._probe_unsupported()
        return self.m

    def _probe_unsupported(self):
        """Records which calls opsdeck relies on this emulator refuses, so tests can say so."""
        dlq = self.m["queues"]["orders-dlq"]["url"]
        probes = [("sqs:ListDeadLetterSourceQueues",
                   lambda: self.sqs.list_dead_letter_source_queues(QueueUrl=dlq)),
                  ("sqs:ListMessageMoveTasks",
                   lambda: self.sqs.list_message_move_tasks(SourceArn=self.m["queues"]["orders-dlq"]["arn"]))]
        if not self.cloudwatch:
            probes.append(("cloudwatch:ListMetrics", lambda: self.c["cloudwatch"].list_metrics()))
        for p in self.m["pending_subscriptions"]:
            a = self.sns.get_subscription_attributes(SubscriptionArn=p["arn"])["Attributes"]
            p["reported_pending"] = a.get("PendingConfirmation") == "true"
            if not p["reported_pending"]:
                self.m["limitations"].append(
                    f"sns: {p['protocol']} subscription reported confirmed without confirmation")
        for name, fn in probes:
            try:
                fn()
            except ClientError as e:
                code = e.response.get("Error", {}).get("Code", "")
                msg = str(e).lower()
                if code in ("InvalidAction", "NotImplemented", "UnknownOperation") \
                        or "unknown action" in msg or "not yet implemented" in msg:
                    self.m["unsupported"].append(name)


def _now():
    return dt.datetime.now(dt.timezone.utc)


def seed(endpoint, cloudwatch=True, objects=LOG_OBJECTS, workers=8, synthetic_ages=True):
    """Seeds the full estate (about 26 queues, 6 topics, 3 buckets, metrics) into a fresh
    emulator and returns the manifest. cloudwatch=False for fauxqs, which has none.
    synthetic_ages=False leaves out the made-up ApproximateAgeOfOldestMessage history (the
    demo publishes the real ages from each queue's "first_sent" instead)."""
    return _Seeder(endpoint, cloudwatch, objects, workers, synthetic_ages).run()


def rotating_secret(sm, name, days=7, value="not-read"):
    """A Secrets Manager secret with rotation turned on (RotationEnabled, a NextRotationDate
    `days` ahead). moto records the rotation before it looks for the rotation function,
    which need not exist (invoking one would need docker)."""
    sm.create_secret(Name=name, SecretString=value)
    try:
        sm.rotate_secret(SecretId=name, RotationRules={"AutomaticallyAfterDays": days},
                         RotationLambdaARN="arn:aws:lambda:us-east-1:123456789012:function:rot")
    except sm.exceptions.ResourceNotFoundException:
        pass


def seed_queues(endpoint, n, workers=16):
    """The benchmark's estate: n standard queues named like a large account's (one in ten
    with a redrive policy to one of n/50 DLQs, a few messages in some), created from a
    thread pool. Returns {"endpoint", "queues": {name: url}, "dlqs": [name...]}."""
    s = _Seeder(endpoint, False, 0, workers)
    services = ["orders", "payments", "billing", "search", "media", "identity", "growth",
                "logistics", "analytics", "platform"]
    purposes = ["intake", "events", "retry", "sync", "export", "notify", "index", "audit"]
    ndlq = max(1, n // 50)
    dlqs = [f"{services[i % len(services)]}-dlq-{i:03d}" for i in range(ndlq)]
    names = [f"{services[i % len(services)]}-{purposes[(i // 10) % len(purposes)]}-{i:04d}"
             for i in range(n - ndlq)]
    with ThreadPoolExecutor(workers) as ex:
        list(ex.map(s.create_queue, dlqs))

        def make(i_name):
            i, name = i_name
            dlq = dlqs[i % ndlq] if i % 10 == 0 else None
            s.create_queue(name, dlq=dlq, max_receive=5 if dlq else None)
            if i % 7 == 0:
                s.send(name, json.dumps({"seq": i}))
        list(ex.map(make, enumerate(names)))
    return {"endpoint": endpoint,
            "queues": {k: v["url"] for k, v in s.m["queues"].items()}, "dlqs": dlqs}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--endpoint", required=True, help="emulator URL, e.g. http://127.0.0.1:5000")
    ap.add_argument("--queues", type=int, help="benchmark mode: create this many queues only")
    ap.add_argument("--no-cloudwatch", action="store_true", help="skip PutMetricData (fauxqs)")
    ap.add_argument("--objects", type=int, default=LOG_OBJECTS, help="objects in the logs bucket")
    a = ap.parse_args()
    if a.queues:
        m = seed_queues(a.endpoint, a.queues)
    else:
        m = seed(a.endpoint, cloudwatch=not a.no_cloudwatch, objects=a.objects)
    json.dump(m, sys.stdout, indent=1, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main()
