#!/usr/bin/env python3
"""capture_responses.py - record REAL AWS-protocol responses from moto for the parser tests.

Regeneration tool, not run by `make check`:

    python3 tests/tools/capture_responses.py [OUTDIR]   # default: tests/data/responses

It starts moto on a free 127.0.0.1 port (stopped by PID in `finally`), seeds queues (a FIFO
queue, a DLQ with a RedrivePolicy and a RedriveAllowPolicy), topics with SQS subscriptions
(one left pending confirmation), a bucket with awkward keys, and CloudWatch datapoints, then
sends each action the way opsdeck's C clients do (same protocol, same parameters, signed with
botocore's SigV4Auth, sent with urllib) and writes, per case:

    <service>/<case>.<json|xml>      the raw response body, byte for byte
    <service>/<case>.request.txt     the request line, the interesting headers and the body

We do not use boto3 for the captured calls because botocore 1.43 speaks CBOR
(smithy-rpc-v2-cbor) to CloudWatch, while opsdeck uses the query protocol; raw requests keep
the captures faithful to what opsdeck sends. boto3 is used only to seed.
"""
import atexit
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta, timezone

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

REGION = "us-east-1"
CREDS = Credentials("testing", "testing")  # moto accepts any key; not a secret
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "..", "data", "responses")

S3_KEYS = [
    "plain.txt",
    "with space.txt",
    "dir/sub dir/nested file.log",
    "dir/caf\u00e9 \u00fcber.txt",
    "dir/\u65e5\u672c\u8a9e.txt",
    "special/a+b.txt",
    "special/100%.txt",
    "special/this&that.txt",
    "special/q?x=1#frag.txt",
]


def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Moto:
    """moto.server on a free port; stopped by its own PID only."""

    def __init__(self):
        self.proc = None
        self.url = None

    def start(self):
        for _ in range(5):
            port = free_port()
            proc = subprocess.Popen(
                [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            url = "http://127.0.0.1:%d" % port
            for _ in range(150):
                if proc.poll() is not None:
                    break
                try:
                    urllib.request.urlopen(url + "/moto-api/", timeout=1).read()
                    self.proc, self.url = proc, url
                    return url
                except (urllib.error.URLError, ConnectionError, OSError):
                    time.sleep(0.1)
            self._kill(proc)
        raise RuntimeError("moto did not start")

    @staticmethod
    def _kill(proc):
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def stop(self):
        if self.proc:
            self._kill(self.proc)
            self.proc = None


class Capturer:
    def __init__(self, base, outdir):
        self.base = base
        self.outdir = outdir

    def send(self, service, method, path, query="", headers=None, body=b""):
        url = self.base + path + ("?" + query if query else "")
        req = AWSRequest(method=method, url=url, data=body, headers=dict(headers or {}))
        if service == "s3":
            req.headers["X-Amz-Content-SHA256"] = "UNSIGNED-PAYLOAD"
        SigV4Auth(CREDS, service, REGION).add_auth(req)
        prepared = req.prepare()
        hreq = urllib.request.Request(prepared.url, data=prepared.body or None, method=method,
                                      headers=dict(prepared.headers))
        try:
            with urllib.request.urlopen(hreq, timeout=30) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def save(self, service, case, ext, method, path, query, headers, body, status, resp):
        d = os.path.join(self.outdir, service)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "%s.%s" % (case, ext)), "wb") as f:
            f.write(resp)
        with open(os.path.join(d, "%s.request.txt" % case), "w", encoding="utf-8") as f:
            f.write("# captured from moto by tests/tools/capture_responses.py; HTTP %d\n" % status)
            f.write("%s %s%s\n" % (method, path, "?" + query if query else ""))
            for k, v in (headers or {}).items():
                f.write("%s: %s\n" % (k, v))
            f.write("\n")
            f.write(body.decode("utf-8") if isinstance(body, bytes) else body)
            f.write("\n")
        print("captured %s/%s.%s (HTTP %d, %d bytes)" % (service, case, ext, status, len(resp)))
        if status != 200:
            raise RuntimeError("%s/%s: HTTP %d: %r" % (service, case, status, resp[:300]))

    def json_call(self, service, prefix, action, payload, case):
        headers = {"Content-Type": "application/x-amz-json-1.0",
                   "X-Amz-Target": "%s.%s" % (prefix, action)}
        body = json.dumps(payload, separators=(",", ":")).encode()
        status, resp = self.send(service, "POST", "/", headers=headers, body=body)
        self.save(service, case, "json", "POST", "/", "", headers, body, status, resp)
        return json.loads(resp)

    def query_call(self, service, action, version, params, case):
        headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
        pairs = [("Action", action), ("Version", version)] + list(params)
        body = "&".join("%s=%s" % (urllib.parse.quote(k, safe="-_.~"),
                                   urllib.parse.quote(v, safe="-_.~")) for k, v in pairs).encode()
        status, resp = self.send(service, "POST", "/", headers=headers, body=body)
        self.save(service, case, "xml", "POST", "/", "", headers, body, status, resp)
        return resp

    def rest_call(self, service, path, params, case):
        query = "&".join("%s=%s" % (urllib.parse.quote(k, safe="-_.~"),
                                    urllib.parse.quote(v, safe="-_.~")) for k, v in params)
        status, resp = self.send(service, "GET", path, query=query)
        self.save(service, case, "xml", "GET", path, query, {}, b"", status, resp)
        return resp


def seed(base):
    kw = dict(endpoint_url=base, region_name=REGION, aws_access_key_id="testing",
              aws_secret_access_key="testing")
    sqs = boto3.client("sqs", **kw)
    sns = boto3.client("sns", **kw)
    s3 = boto3.client("s3", **kw)
    cw = boto3.client("cloudwatch", **kw)

    dlq = sqs.create_queue(QueueName="orders-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"]
    orders = sqs.create_queue(QueueName="orders", Attributes={
        "VisibilityTimeout": "45", "MessageRetentionPeriod": "86400", "DelaySeconds": "0",
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "5"}),
    })["QueueUrl"]
    billing = sqs.create_queue(QueueName="billing", Attributes={
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 3}),
    })["QueueUrl"]
    sqs.set_queue_attributes(QueueUrl=dlq, Attributes={"RedriveAllowPolicy": json.dumps({
        "redrivePermission": "byQueue",
        "sourceQueueArns": [dlq_arn.replace("orders-dlq", "orders"),
                            dlq_arn.replace("orders-dlq", "billing")]})})
    fifo = sqs.create_queue(QueueName="events.fifo", Attributes={
        "FifoQueue": "true", "ContentBasedDeduplication": "true"})["QueueUrl"]
    for i in range(3):
        sqs.send_message(QueueUrl=orders, MessageBody="order %d" % i)
    sqs.send_message(QueueUrl=orders, MessageBody="later", DelaySeconds=600)
    sqs.receive_message(QueueUrl=orders, MaxNumberOfMessages=1, VisibilityTimeout=600)
    for i in range(2):
        sqs.send_message(QueueUrl=dlq, MessageBody="dead %d" % i)
    sqs.send_message(QueueUrl=fifo, MessageBody="e", MessageGroupId="g")
    del billing

    alerts = sns.create_topic(Name="alerts", Attributes={"DisplayName": "Ops alerts"})["TopicArn"]
    sns.set_topic_attributes(TopicArn=alerts, AttributeName="SQSFailureFeedbackRoleArn",
                             AttributeValue="arn:aws:iam::123456789012:role/sns-logs")
    sns.create_topic(Name="audit")
    sns.create_topic(Name="orders.fifo", Attributes={"FifoTopic": "true"})
    orders_arn = sqs.get_queue_attributes(QueueUrl=orders, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=alerts, Protocol="sqs", Endpoint=orders_arn)
    sns.subscribe(TopicArn=alerts, Protocol="sqs", Endpoint=dlq_arn)
    # moto leaves http(s) subscriptions pending confirmation, like AWS.
    sns.subscribe(TopicArn=alerts, Protocol="https", Endpoint="https://hooks.example.com/sns")

    s3.create_bucket(Bucket="opsdeck-data")
    s3.create_bucket(Bucket="opsdeck-logs")
    for k in S3_KEYS:
        s3.put_object(Bucket="opsdeck-data", Key=k, Body=("content of " + k).encode())

    now = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    data = []
    for i in range(3):
        data.append({"MetricName": "ApproximateAgeOfOldestMessage",
                     "Dimensions": [{"Name": "QueueName", "Value": "orders"}],
                     "Timestamp": now - timedelta(minutes=5 * i), "Value": 100.0 + 10 * i,
                     "Unit": "Seconds"})
    cw.put_metric_data(Namespace="AWS/SQS", MetricData=data)
    cw.put_metric_data(Namespace="AWS/SNS", MetricData=[{
        "MetricName": "NumberOfNotificationsFailed",
        "Dimensions": [{"Name": "TopicName", "Value": "alerts"}],
        "Timestamp": now - timedelta(minutes=1), "Value": 4.0, "Unit": "Count"}])
    return dict(dlq=dlq, orders=orders, fifo=fifo, alerts=alerts, now=now)


def capture(cap, ctx):
    # SQS (JSON 1.0)
    cap.json_call("sqs", "AmazonSQS", "ListQueues", {}, "list_queues")
    cap.json_call("sqs", "AmazonSQS", "ListQueues", {"QueueNamePrefix": "orders",
                                                    "MaxResults": 10}, "list_queues_prefix")
    for name in ("orders", "dlq", "fifo"):
        cap.json_call("sqs", "AmazonSQS", "GetQueueAttributes",
                      {"QueueUrl": ctx[name], "AttributeNames": ["All"]},
                      "get_queue_attributes_" + name)
    cap.json_call("sqs", "AmazonSQS", "ListDeadLetterSourceQueues",
                  {"QueueUrl": ctx["dlq"], "MaxResults": 10}, "list_dead_letter_source_queues")

    # SNS (query, XML)
    v = "2010-03-31"
    cap.query_call("sns", "ListTopics", v, [], "list_topics")
    cap.query_call("sns", "GetTopicAttributes", v, [("TopicArn", ctx["alerts"])],
                   "get_topic_attributes_alerts")
    cap.query_call("sns", "ListSubscriptionsByTopic", v, [("TopicArn", ctx["alerts"])],
                   "list_subscriptions_by_topic_alerts")

    # STS
    cap.query_call("sts", "GetCallerIdentity", "2011-06-15", [], "get_caller_identity")

    # S3 (REST-XML)
    cap.rest_call("s3", "/", [], "list_buckets")
    cap.rest_call("s3", "/opsdeck-data", [("list-type", "2"), ("encoding-type", "url")],
                  "list_objects_v2_all")
    cap.rest_call("s3", "/opsdeck-data", [("list-type", "2"), ("encoding-type", "url"),
                                          ("delimiter", "/")], "list_objects_v2_delimiter")
    cap.rest_call("s3", "/opsdeck-data", [("list-type", "2"), ("encoding-type", "url"),
                                          ("prefix", "dir/caf\u00e9 ")],
                  "list_objects_v2_prefix_utf8")
    first = cap.rest_call("s3", "/opsdeck-data", [("list-type", "2"), ("encoding-type", "url"),
                                                  ("max-keys", "4")], "list_objects_v2_page1")
    token = first.split(b"<NextContinuationToken>")[1].split(b"</NextContinuationToken>")[0]
    cap.rest_call("s3", "/opsdeck-data", [("list-type", "2"), ("encoding-type", "url"),
                                          ("max-keys", "4"),
                                          ("continuation-token", token.decode())],
                  "list_objects_v2_page2")

    # CloudWatch GetMetricData (query, XML)
    now = ctx["now"]
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    params = [("StartTime", (now - timedelta(hours=1)).strftime(fmt)),
              ("EndTime", (now + timedelta(minutes=5)).strftime(fmt)),
              ("ScanBy", "TimestampDescending")]
    queries = [("m0", "AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", "orders",
                "Maximum"),
               ("m1", "AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", "billing",
                "Maximum"),
               ("m2", "AWS/SNS", "NumberOfNotificationsFailed", "TopicName", "alerts", "Sum")]
    for i, (qid, ns, metric, dn, dv, stat) in enumerate(queries, 1):
        p = "MetricDataQueries.member.%d." % i
        params += [(p + "Id", qid), (p + "MetricStat.Metric.Namespace", ns),
                   (p + "MetricStat.Metric.MetricName", metric),
                   (p + "MetricStat.Metric.Dimensions.member.1.Name", dn),
                   (p + "MetricStat.Metric.Dimensions.member.1.Value", dv),
                   (p + "MetricStat.Period", "300"), (p + "MetricStat.Stat", stat),
                   (p + "ReturnData", "true")]
    cap.query_call("monitoring", "GetMetricData", "2010-08-01", params, "get_metric_data")


def main():
    outdir = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT)
    moto = Moto()
    atexit.register(moto.stop)
    try:
        base = moto.start()
        ctx = seed(base)
        capture(Capturer(base, outdir), ctx)
    finally:
        moto.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
