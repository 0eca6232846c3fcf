#!/usr/bin/env python3
"""boto3_snapshot.py - the calls `opsdeck snapshot` makes, from a 16-thread boto3 script.

The yardstick for the snapshot's speed: what a competent script gets from the same backend
with the same calls, 16 at a time (a thread pool, one boto3 client per thread):
STS GetCallerIdentity, S3 ListBuckets, SQS ListQueues then GetQueueAttributes(All) for each
queue, CloudWatch GetMetricData for every queue's ApproximateAgeOfOldestMessage (500
queries a call), ListDeadLetterSourceQueues for each DLQ, SNS ListTopics (paged) then
GetTopicAttributes and ListSubscriptionsByTopic (paged) for each topic, and GetMetricData
for every topic's NumberOfNotificationsFailed. Each next call is submitted as soon as the
answer it depends on is in, as the snapshot does.

    python3 tests/bench/boto3_snapshot.py ENDPOINT      # prints "QUEUES TOPICS CALLS"

Credentials and region come from the environment (tests/lib/awsenv.py aws_env())."""
import datetime as dt
import json
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config

THREADS = 16
CW_BATCH = 500
WINDOW = dt.timedelta(minutes=15)


class Snapshot:
    def __init__(self, endpoint):
        self.endpoint = endpoint
        self.local = threading.local()
        self.lock = threading.Lock()
        self.calls = 0
        self.pool = ThreadPoolExecutor(THREADS)
        self.pending = 0
        self.idle = threading.Condition(self.lock)
        self.error = None
        self.end = dt.datetime.now(dt.timezone.utc)
        self.queues, self.dlq_arns, self.topics = [], set(), []

    def client(self, service):
        """One client per thread and service: boto3 clients are not shared across threads
        safely while being created."""
        c = getattr(self.local, service, None)
        if c is None:
            c = boto3.session.Session().client(
                service, endpoint_url=self.endpoint,
                config=Config(proxies={}, max_pool_connections=THREADS))
            setattr(self.local, service, c)
        return c

    def submit(self, fn, *args):
        with self.lock:
            self.pending += 1
        self.pool.submit(self._run, fn, *args)

    def _run(self, fn, *args):
        try:
            fn(*args)
        except Exception as e:  # noqa: BLE001 - reported once, at the end
            with self.lock:
                self.error = self.error or e
        finally:
            with self.lock:
                self.pending -= 1
                if self.pending == 0:
                    self.idle.notify_all()

    def call(self, service, op, **kw):
        out = getattr(self.client(service), op)(**kw)
        with self.lock:
            self.calls += 1
        return out

    # --- the graph ---------------------------------------------------------------------
    def identity(self):
        self.call("sts", "get_caller_identity")

    def buckets(self):
        self.call("s3", "list_buckets")

    def list_queues(self):
        urls = self.call("sqs", "list_queues", MaxResults=1000).get("QueueUrls", [])
        self.queues = urls
        for u in urls:
            self.submit(self.queue_attrs, u)
        names = [u.rsplit("/", 1)[1] for u in urls]
        for i in range(0, len(names), CW_BATCH):
            self.submit(self.metrics, "AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName",
                        names[i:i + CW_BATCH], 60, "Maximum")

    def queue_attrs(self, url):
        a = self.call("sqs", "get_queue_attributes", QueueUrl=url,
                      AttributeNames=["All"])["Attributes"]
        rp = a.get("RedrivePolicy")
        if rp:
            arn = json.loads(rp).get("deadLetterTargetArn")
            with self.lock:
                new = arn not in self.dlq_arns
                self.dlq_arns.add(arn)
            if new:
                self.submit(self.dlq_sources, arn)

    def dlq_sources(self, arn):
        region, account, name = arn.split(":")[3:6]
        url = f"{self.endpoint}/{account}/{name}"
        self.call("sqs", "list_dead_letter_source_queues", QueueUrl=url)

    def metrics(self, ns, metric, dim, names, period, stat):
        q = [{"Id": f"q{i}", "MetricStat": {"Metric": {
                "Namespace": ns, "MetricName": metric,
                "Dimensions": [{"Name": dim, "Value": n}]},
              "Period": period, "Stat": stat}} for i, n in enumerate(names)]
        token = None
        while True:
            kw = {"NextToken": token} if token else {}
            r = self.call("cloudwatch", "get_metric_data", MetricDataQueries=q,
                          StartTime=self.end - WINDOW, EndTime=self.end, **kw)
            token = r.get("NextToken")
            if not token:
                return

    def list_topics(self, token=None):
        kw = {"NextToken": token} if token else {}
        r = self.call("sns", "list_topics", **kw)
        arns = [t["TopicArn"] for t in r.get("Topics", [])]
        self.topics += arns
        for arn in arns:
            self.submit(self.topic_attrs, arn)
            self.submit(self.subscriptions, arn)
        if r.get("NextToken"):
            self.submit(self.list_topics, r["NextToken"])
            return
        names = [a.rsplit(":", 1)[1] for a in self.topics]
        for i in range(0, len(names), CW_BATCH):
            self.submit(self.metrics, "AWS/SNS", "NumberOfNotificationsFailed", "TopicName",
                        names[i:i + CW_BATCH], 300, "Sum")

    def topic_attrs(self, arn):
        self.call("sns", "get_topic_attributes", TopicArn=arn)

    def subscriptions(self, arn):
        token = None
        while True:
            kw = {"NextToken": token} if token else {}
            r = self.call("sns", "list_subscriptions_by_topic", TopicArn=arn, **kw)
            token = r.get("NextToken")
            if not token:
                return

    def run(self):
        for fn in (self.identity, self.buckets, self.list_queues, self.list_topics):
            self.submit(fn)
        with self.lock:
            while self.pending:
                self.idle.wait()
        self.pool.shutdown()
        if self.error:
            raise self.error
        return len(self.queues), len(self.topics), self.calls


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__.splitlines()[0] + "\nusage: boto3_snapshot.py ENDPOINT")
    queues, topics, calls = Snapshot(sys.argv[1]).run()
    print(queues, topics, calls)


if __name__ == "__main__":
    main()
