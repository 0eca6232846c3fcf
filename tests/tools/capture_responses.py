#!/usr/bin/env python3
"""capture_responses.py - record REAL AWS-protocol responses from moto for the parser tests.

Regeneration tool, not run by `make check`:

    python3 tests/tools/capture_responses.py [--only GROUP,...] [OUTDIR]
                                               # default: every group, tests/data/responses

It starts moto on a free 127.0.0.1 port (stopped by PID in `finally`), seeds queues (a FIFO
queue, a DLQ with a RedrivePolicy and a RedriveAllowPolicy), topics with SQS subscriptions
(one left pending confirmation), a bucket with awkward keys, and CloudWatch datapoints, then
sends each action the way opsdeck's C clients do (same protocol, same parameters, signed with
botocore's SigV4Auth, sent with urllib) and writes, per case:

    <service>/<case>.<json|xml>      the raw response body, byte for byte
    <service>/<case>.request.txt     the request line, the interesting headers and the body
    <service>/<case>.headers.txt     the response's status and headers, for the calls whose
                                     answer is in its headers (S3 HEAD, ranged GET)

Groups run in order on one moto, each seeding what it needs and then capturing, so a group
never changes what an earlier one captured: "base" (the first round's SQS, SNS, S3, STS and
CloudWatch cases) comes first, then the second round's: sqs_messages, sns_publish,
s3_objects, logs, ec2, iam, secretsmanager, ssm, events, lambda. `--only` captures some of
them (each on a fresh moto), leaving the other files as they are.

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

    def send(self, service, method, path, query="", headers=None, body=b"", full=False):
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
                out = (resp.status, resp.read(), resp.getheaders())
        except urllib.error.HTTPError as e:
            out = (e.code, e.read(), e.headers.items())
        return out if full else out[:2]

    def save(self, service, case, ext, method, path, query, headers, body, status, resp,
             ok=(200,), resp_headers=None):
        d = os.path.join(self.outdir, service)
        os.makedirs(d, exist_ok=True)
        if ext:   # a HEAD has no body to keep
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
        if resp_headers is not None:
            with open(os.path.join(d, "%s.headers.txt" % case), "w", encoding="utf-8") as f:
                f.write("HTTP %d\n" % status)
                for k, v in resp_headers:
                    # the server's own bookkeeping changes on every run and is not parsed
                    if k.lower() not in ("date", "server", "connection",
                                         "access-control-allow-origin"):
                        f.write("%s: %s\n" % (k, v))
        print("captured %s/%s.%s (HTTP %d, %d bytes)" % (service, case, ext or "headers.txt",
                                                          status, len(resp)))
        if status not in ok:
            raise RuntimeError("%s/%s: HTTP %d: %r" % (service, case, status, resp[:300]))

    def json_call(self, service, prefix, action, payload, case, version="1.0"):
        headers = {"Content-Type": "application/x-amz-json-" + version,
                   "X-Amz-Target": "%s.%s" % (prefix, action)}
        body = json.dumps(payload, separators=(",", ":")).encode()
        status, resp = self.send(service, "POST", "/", headers=headers, body=body)
        self.save(service, case, "json", "POST", "/", "", headers, body, status, resp)
        return json.loads(resp) if resp.strip() else {}  # some actions answer nothing

    def query_call(self, service, action, version, params, case):
        headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
        pairs = [("Action", action), ("Version", version)] + list(params)
        body = "&".join("%s=%s" % (urllib.parse.quote(k, safe="-_.~"),
                                   urllib.parse.quote(v, safe="-_.~")) for k, v in pairs).encode()
        status, resp = self.send(service, "POST", "/", headers=headers, body=body)
        self.save(service, case, "xml", "POST", "/", "", headers, body, status, resp)
        return resp

    def rest_call(self, service, path, params, case, method="GET", headers=None, body=b"",
                  ext="xml", ok=(200,), keep_headers=False):
        query = "&".join("%s=%s" % (urllib.parse.quote(k, safe="-_.~"),
                                    urllib.parse.quote(v, safe="-_.~")) for k, v in params)
        status, resp, rh = self.send(service, method, path, query=query, headers=headers,
                                     body=body, full=True)
        self.save(service, case, ext, method, path, query, headers or {}, body, status, resp,
                  ok=ok, resp_headers=rh if keep_headers else None)
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


# ---- second round: one group per service, each seeding what it captures -----------------

def clients(base, *names):
    kw = dict(endpoint_url=base, region_name=REGION, aws_access_key_id="testing",
              aws_secret_access_key="testing")
    return [boto3.client(n, **kw) for n in names]


# A message attribute and body with text a terminal must never interpret: ESC, a bidi
# override and UTF-8. moto stores them as sent; the parser keeps them verbatim.
HOSTILE = "caf\u00e9 \x1b[31mred\x1b[0m \u202eevil"


def group_sqs_messages(cap):
    sqs, = clients(cap.base, "sqs")
    dlq = sqs.create_queue(QueueName="msgs-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"]
    msgs = sqs.create_queue(QueueName="msgs", Attributes={"RedrivePolicy": json.dumps(
        {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "1"})})["QueueUrl"]
    fifo = sqs.create_queue(QueueName="msgs.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    purge = sqs.create_queue(QueueName="to-purge")["QueueUrl"]
    empty = sqs.create_queue(QueueName="empty")["QueueUrl"]
    sqs.send_message(QueueUrl=purge, MessageBody="gone soon")
    # a message that goes to the DLQ after its first receive
    sqs.send_message(QueueUrl=msgs, MessageBody="poison")
    sqs.receive_message(QueueUrl=msgs, VisibilityTimeout=0)
    sqs.receive_message(QueueUrl=msgs, VisibilityTimeout=0)
    # SendMessage the way opsdeck sends it: attributes of the three kinds, a delay
    attrs = {"trace": {"DataType": "String", "StringValue": HOSTILE},
             "count": {"DataType": "Number", "StringValue": "42"},
             "blob": {"DataType": "Binary", "BinaryValue": "AAH/"}}
    cap.json_call("sqs", "AmazonSQS", "SendMessage",
                  {"QueueUrl": msgs, "MessageBody": "order 7 " + HOSTILE,
                   "DelaySeconds": 0, "MessageAttributes": attrs}, "send_message")
    cap.json_call("sqs", "AmazonSQS", "SendMessage",
                  {"QueueUrl": fifo, "MessageBody": "fifo one", "MessageGroupId": "g1",
                   "MessageDeduplicationId": "d1"}, "send_message_fifo")
    # one entry fails: a delay past SQS's 900 s
    cap.json_call("sqs", "AmazonSQS", "SendMessageBatch",
                  {"QueueUrl": msgs, "Entries": [
                      {"Id": "a", "MessageBody": "batch one", "DelaySeconds": 0},
                      {"Id": "b", "MessageBody": "too late", "DelaySeconds": 1000}]},
                  "send_message_batch")
    rm = cap.json_call("sqs", "AmazonSQS", "ReceiveMessage",
                       {"QueueUrl": msgs, "AttributeNames": ["All"],
                        "MessageAttributeNames": ["All"], "MaxNumberOfMessages": 10,
                        "VisibilityTimeout": 30, "WaitTimeSeconds": 0}, "receive_message")
    cap.json_call("sqs", "AmazonSQS", "ReceiveMessage",
                  {"QueueUrl": dlq, "AttributeNames": ["All"], "MessageAttributeNames": ["All"],
                   "MaxNumberOfMessages": 10, "VisibilityTimeout": 30, "WaitTimeSeconds": 0},
                  "receive_message_dlq")
    rf = cap.json_call("sqs", "AmazonSQS", "ReceiveMessage",
                       {"QueueUrl": fifo, "AttributeNames": ["All"],
                        "MessageAttributeNames": ["All"], "MaxNumberOfMessages": 10,
                        "VisibilityTimeout": 30, "WaitTimeSeconds": 0}, "receive_message_fifo")
    cap.json_call("sqs", "AmazonSQS", "ReceiveMessage",
                  {"QueueUrl": empty,
                   "AttributeNames": ["All"], "MessageAttributeNames": ["All"],
                   "MaxNumberOfMessages": 10, "VisibilityTimeout": 30, "WaitTimeSeconds": 0},
                  "receive_message_empty")
    handle = rm["Messages"][0]["ReceiptHandle"]
    cap.json_call("sqs", "AmazonSQS", "ChangeMessageVisibility",
                  {"QueueUrl": msgs, "ReceiptHandle": handle, "VisibilityTimeout": 0},
                  "change_message_visibility")
    cap.json_call("sqs", "AmazonSQS", "ChangeMessageVisibilityBatch",
                  {"QueueUrl": msgs, "Entries": [
                      {"Id": "ok", "ReceiptHandle": handle, "VisibilityTimeout": 5},
                      {"Id": "bad", "ReceiptHandle": "not-a-handle", "VisibilityTimeout": 5}]},
                  "change_message_visibility_batch")
    fhandle = rf["Messages"][0]["ReceiptHandle"]
    cap.json_call("sqs", "AmazonSQS", "DeleteMessageBatch",
                  {"QueueUrl": fifo, "Entries": [
                      {"Id": "ok", "ReceiptHandle": fhandle},
                      {"Id": "bad", "ReceiptHandle": "not-a-handle"}]},
                  "delete_message_batch")
    cap.json_call("sqs", "AmazonSQS", "DeleteMessage",
                  {"QueueUrl": msgs, "ReceiptHandle": handle}, "delete_message")
    cap.json_call("sqs", "AmazonSQS", "PurgeQueue", {"QueueUrl": purge}, "purge_queue")
    cap.json_call("sqs", "AmazonSQS", "GetQueueUrl", {"QueueName": "msgs.fifo"},
                  "get_queue_url")


def group_sns_publish(cap):
    sns, sqs = clients(cap.base, "sns", "sqs")
    q = sqs.create_queue(QueueName="fanout")["QueueUrl"]
    qarn = sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"]
    # no ESC in the display name: moto writes it raw into the XML, which is then not XML
    topic = sns.create_topic(Name="deliveries", Attributes={
        "KmsMasterKeyId": "alias/aws/sns", "DisplayName": "caf\u00e9 \u202eevil"})["TopicArn"]
    fifo = sns.create_topic(Name="deliveries.fifo", Attributes={
        "FifoTopic": "true", "ContentBasedDeduplication": "false"})["TopicArn"]
    sub = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=qarn, Attributes={
        "RawMessageDelivery": "true",
        "FilterPolicy": json.dumps({"kind": ["order"], "note": [HOSTILE]}),
        "FilterPolicyScope": "MessageAttributes",
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": qarn.replace("fanout",
                                                                         "fanout-dlq")})},
        ReturnSubscriptionArn=True)["SubscriptionArn"]
    v = "2010-03-31"
    cap.query_call("sns", "GetSubscriptionAttributes", v, [("SubscriptionArn", sub)],
                   "get_subscription_attributes")
    cap.query_call("sns", "GetTopicAttributes", v, [("TopicArn", topic)],
                   "get_topic_attributes_deliveries")
    cap.query_call("sns", "Publish", v, [
        ("TopicArn", topic), ("Message", "test " + HOSTILE), ("Subject", "opsdeck test"),
        ("MessageAttributes.entry.1.Name", "kind"),
        ("MessageAttributes.entry.1.Value.DataType", "String"),
        ("MessageAttributes.entry.1.Value.StringValue", "order"),
        ("MessageAttributes.entry.2.Name", "n"),
        ("MessageAttributes.entry.2.Value.DataType", "Number"),
        ("MessageAttributes.entry.2.Value.StringValue", "3"),
        ("MessageAttributes.entry.3.Name", "raw"),
        ("MessageAttributes.entry.3.Value.DataType", "Binary"),
        ("MessageAttributes.entry.3.Value.BinaryValue", "AAH/")], "publish")
    cap.query_call("sns", "Publish", v, [
        ("TopicArn", fifo), ("Message", "fifo test"), ("MessageGroupId", "g1"),
        ("MessageDeduplicationId", "d1")], "publish_fifo")


def group_s3_objects(cap):
    s3, = clients(cap.base, "s3")
    s3.create_bucket(Bucket="opsdeck-objects")
    s3.create_bucket(Bucket="opsdeck-eu", CreateBucketConfiguration={
        "LocationConstraint": "eu-west-1"})
    s3.put_bucket_versioning(Bucket="opsdeck-objects",
                             VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket="opsdeck-objects", Key="dir/report.json", Body=b'{"v": 1}',
                  ContentType="application/json")
    s3.put_object(Bucket="opsdeck-objects", Key="dir/report.json",
                  Body=b'{"v": 2, "rows": [1, 2, 3]}', ContentType="application/json",
                  Metadata={"owner": "ops", "note": "two words"}, StorageClass="STANDARD_IA",
                  ServerSideEncryption="aws:kms",
                  SSEKMSKeyId="arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-"
                              "56ef-1234567890ab",
                  Tagging="team=ops&tier=gold%20plus")
    s3.put_object(Bucket="opsdeck-objects", Key="dir/old.log", Body=b"old")
    s3.delete_object(Bucket="opsdeck-objects", Key="dir/old.log")
    s3.put_object(Bucket="opsdeck-objects", Key="archive/2019.tar", Body=b"tar",
                  StorageClass="GLACIER")
    s3.restore_object(Bucket="opsdeck-objects", Key="archive/2019.tar",
                      RestoreRequest={"Days": 2})
    for i in range(3):
        s3.put_object(Bucket="opsdeck-objects", Key="logs/%d.txt" % i, Body=b"x" * i)
    cap.rest_call("s3", "/opsdeck-eu", [], "head_bucket", method="HEAD", ext=None,
                  keep_headers=True)
    cap.rest_call("s3", "/opsdeck-eu", [("location", "")], "get_bucket_location")
    cap.rest_call("s3", "/opsdeck-objects", [("location", "")], "get_bucket_location_us_east_1")
    cap.rest_call("s3", "/opsdeck-objects/dir/report.json", [], "head_object", method="HEAD",
                  ext=None, keep_headers=True)
    cap.rest_call("s3", "/opsdeck-objects/archive/2019.tar", [], "head_object_restored",
                  method="HEAD", ext=None, keep_headers=True)
    cap.rest_call("s3", "/opsdeck-objects/dir/report.json", [("tagging", "")],
                  "get_object_tagging")
    cap.rest_call("s3", "/opsdeck-objects/dir/report.json", [], "get_object_range",
                  headers={"Range": "bytes=0-9"}, ext="bin", ok=(206,), keep_headers=True)
    first = cap.rest_call("s3", "/opsdeck-objects", [("versions", ""), ("encoding-type", "url"),
                                                     ("max-keys", "3")],
                          "list_object_versions_page1")
    km = first.split(b"<NextKeyMarker>")[1].split(b"</NextKeyMarker>")[0].decode()
    vm = first.split(b"<NextVersionIdMarker>")[1].split(b"</NextVersionIdMarker>")[0].decode()
    cap.rest_call("s3", "/opsdeck-objects", [("versions", ""), ("encoding-type", "url"),
                                             ("key-marker", km), ("max-keys", "3"),
                                             ("version-id-marker", vm)],
                  "list_object_versions_page2")
    cap.rest_call("s3", "/opsdeck-objects", [("list-type", "2"), ("encoding-type", "url"),
                                             ("delimiter", "/"), ("prefix", "logs/"),
                                             ("start-after", "logs/0.txt")],
                  "list_objects_v2_start_after")


def group_logs(cap):
    logs, = clients(cap.base, "logs")
    group = "sns/us-east-1/123456789012/alerts/Failure"
    logs.create_log_group(logGroupName=group)
    logs.create_log_group(logGroupName="/aws/lambda/consumer")
    logs.create_log_stream(logGroupName=group, logStreamName="d1")
    now = int(time.time() * 1000)
    events = []
    for i, (code, endpoint) in enumerate([(403, "arn:aws:sqs:us-east-1:123456789012:gone"),
                                          (-1, "https://hooks.example.com/sns"),
                                          (500, "https://hooks.example.com/\u202eevil")]):
        events.append({"timestamp": now - (3 - i) * 60000, "message": json.dumps({
            "notification": {"messageId": "m-%d" % i, "topicArn":
                             "arn:aws:sns:us-east-1:123456789012:alerts",
                             "timestamp": "2026-01-01 00:00:0%d.000" % i},
            "delivery": {"deliveryId": "d-%d" % i, "destination": endpoint,
                         "providerResponse": "\x1b[2Jconnect timeout" if code < 0 else
                         "HTTP %d" % code, "dwellTimeMs": 1000 * (i + 1), "attempts": 3,
                         "statusCode": code},
            "status": "FAILURE"})})
    logs.put_log_events(logGroupName=group, logStreamName="d1", logEvents=events)
    t = cap.json_call("logs", "Logs_20140328", "FilterLogEvents",
                      {"logGroupName": group, "startTime": now - 3600000, "endTime": now,
                       "limit": 2}, "filter_log_events_page1", version="1.1")
    cap.json_call("logs", "Logs_20140328", "FilterLogEvents",
                  {"logGroupName": group, "startTime": now - 3600000, "endTime": now,
                   "limit": 2, "nextToken": t["nextToken"]}, "filter_log_events_page2",
                  version="1.1")
    cap.json_call("logs", "Logs_20140328", "DescribeLogGroups", {"limit": 50},
                  "describe_log_groups", version="1.1")


def group_ec2(cap):
    ec2, = clients(cap.base, "ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    for svc, kind in (("sns", "Interface"), ("sqs", "Interface"), ("s3", "Gateway")):
        ec2.create_vpc_endpoint(VpcId=vpc, ServiceName="com.amazonaws.us-east-1." + svc,
                                VpcEndpointType=kind, PrivateDnsEnabled=kind == "Interface")
    cap.query_call("ec2", "DescribeVpcEndpoints", "2016-11-15", [
        ("Filter.1.Name", "service-name"),
        ("Filter.1.Value.1", "com.amazonaws.us-east-1.sns"),
        ("Filter.1.Value.2", "com.amazonaws.us-east-1.sqs"),
        ("Filter.1.Value.3", "com.amazonaws.us-east-1.s3"),
        ("MaxResults", "100")], "describe_vpc_endpoints")


def group_iam(cap):
    iam, = clients(cap.base, "iam")
    iam.update_account_password_policy(MinimumPasswordLength=12, MaxPasswordAge=90,
                                       HardExpiry=True, PasswordReusePrevention=3,
                                       RequireSymbols=True)
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password="Secr3t!pass-x",
                             PasswordResetRequired=True)
    k1 = iam.create_access_key(UserName="alice")["AccessKey"]["AccessKeyId"]
    k2 = iam.create_access_key(UserName="alice")["AccessKey"]["AccessKeyId"]
    iam.update_access_key(UserName="alice", AccessKeyId=k2, Status="Inactive")
    v = "2010-05-08"
    cap.query_call("iam", "GetAccountPasswordPolicy", v, [], "get_account_password_policy")
    cap.query_call("iam", "GetUser", v, [("UserName", "alice")], "get_user")
    cap.query_call("iam", "GetLoginProfile", v, [("UserName", "alice")], "get_login_profile")
    cap.query_call("iam", "ListAccessKeys", v, [("UserName", "alice")], "list_access_keys")
    cap.query_call("iam", "GetAccessKeyLastUsed", v, [("AccessKeyId", k1)],
                   "get_access_key_last_used")
    cap.query_call("iam", "GenerateCredentialReport", v, [], "generate_credential_report")
    time.sleep(1.1)   # moto completes the report a moment after it was started
    cap.query_call("iam", "GetCredentialReport", v, [], "get_credential_report")


def group_secretsmanager(cap):
    sm, lam, iam = clients(cap.base, "secretsmanager", "lambda", "iam")
    fn = create_function(lam, iam, "rotator")
    for i in range(3):
        sm.create_secret(Name="app/pw%d" % i, SecretString="s%d" % i,
                         Description="app password %d" % i)
    sm.rotate_secret(SecretId="app/pw0", RotationLambdaARN=fn,
                     RotationRules={"AutomaticallyAfterDays": 1})
    p = cap.json_call("secretsmanager", "secretsmanager", "ListSecrets", {"MaxResults": 2},
                      "list_secrets_page1", version="1.1")
    cap.json_call("secretsmanager", "secretsmanager", "ListSecrets",
                  {"MaxResults": 2, "NextToken": p["NextToken"]}, "list_secrets_page2",
                  version="1.1")
    cap.json_call("secretsmanager", "secretsmanager", "DescribeSecret", {"SecretId": "app/pw0"},
                  "describe_secret", version="1.1")


def group_ssm(cap):
    ssm, = clients(cap.base, "ssm")
    ssm.put_parameter(Name="/opsdeck/flags/outbound", Value="on", Type="String",
                      Description="partner bucket " + HOSTILE)
    ssm.put_parameter(Name="/opsdeck/flags/deep/limit", Value="10", Type="String")
    ssm.put_parameter(Name="/opsdeck/flags/list", Value="a,b", Type="StringList")
    ssm.put_parameter(Name="/opsdeck/secret", Value="hunter2-not-real", Type="SecureString")
    t = "AmazonSSM"
    cap.json_call("ssm", t, "GetParameter", {"Name": "/opsdeck/flags/outbound"},
                  "get_parameter", version="1.1")
    cap.json_call("ssm", t, "GetParameter", {"Name": "/opsdeck/secret"},
                  "get_parameter_secure_encrypted", version="1.1")
    cap.json_call("ssm", t, "GetParameter", {"Name": "/opsdeck/secret", "WithDecryption": True},
                  "get_parameter_secure_decrypted", version="1.1")
    cap.json_call("ssm", t, "GetParameters",
                  {"Names": ["/opsdeck/flags/outbound", "/opsdeck/nope"]},
                  "get_parameters", version="1.1")
    p = cap.json_call("ssm", t, "GetParametersByPath",
                      {"Path": "/opsdeck", "Recursive": True, "MaxResults": 2},
                      "get_parameters_by_path_page1", version="1.1")
    cap.json_call("ssm", t, "GetParametersByPath",
                  {"Path": "/opsdeck", "Recursive": True, "MaxResults": 2,
                   "NextToken": p["NextToken"]}, "get_parameters_by_path_page2", version="1.1")
    cap.json_call("ssm", t, "DescribeParameters",
                  {"ParameterFilters": [{"Key": "Name", "Option": "Equals",
                                         "Values": ["/opsdeck/flags/outbound"]}],
                   "MaxResults": 50}, "describe_parameters", version="1.1")
    cap.json_call("ssm", t, "PutParameter",
                  {"Name": "/opsdeck/flags/outbound", "Value": "off", "Type": "String",
                   "Overwrite": True}, "put_parameter", version="1.1")


def group_events(cap):
    ev, sqs = clients(cap.base, "events", "sqs")
    q = sqs.create_queue(QueueName="rule-target")["QueueUrl"]
    qarn = sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"]
    ev.create_event_bus(Name="ops")
    ev.put_rule(Name="nightly", ScheduleExpression="rate(1 day)", Description="nightly job")
    ev.put_rule(Name="orders", EventBusName="ops",
                EventPattern=json.dumps({"source": ["app.orders"], "detail-type": [HOSTILE]}))
    ev.put_rule(Name="orders-archive", EventBusName="ops", State="DISABLED",
                EventPattern=json.dumps({"source": ["app.orders"]}))
    ev.put_targets(Rule="orders", EventBusName="ops", Targets=[{"Id": "q", "Arn": qarn}])
    t = "AWSEvents"
    cap.json_call("events", t, "ListEventBuses", {}, "list_event_buses", version="1.1")
    p = cap.json_call("events", t, "ListRules", {"EventBusName": "ops", "Limit": 1},
                      "list_rules_page1", version="1.1")
    cap.json_call("events", t, "ListRules", {"EventBusName": "ops", "Limit": 1,
                                             "NextToken": p["NextToken"]},
                  "list_rules_page2", version="1.1")
    cap.json_call("events", t, "ListRules", {}, "list_rules_default", version="1.1")
    cap.json_call("events", t, "DescribeRule", {"Name": "orders", "EventBusName": "ops"},
                  "describe_rule", version="1.1")
    cap.json_call("events", t, "ListTargetsByRule", {"Rule": "orders", "EventBusName": "ops"},
                  "list_targets_by_rule", version="1.1")
    # a target of each kind of input, one with a dead-letter queue
    ev.put_rule(Name="fanout", EventPattern=json.dumps({"source": ["app.orders"]}))
    ev.put_targets(Rule="fanout", Targets=[
        {"Id": "with-dlq", "Arn": qarn, "DeadLetterConfig": {"Arn": qarn + "-dlq"}},
        {"Id": "rewritten", "Arn": qarn, "InputTransformer": {
            "InputPathsMap": {"id": "$.detail.id"}, "InputTemplate": "{\"order\": <id>}"}},
        {"Id": "constant", "Arn": qarn, "Input": "{\"audit\": true}"},
        {"Id": "part", "Arn": qarn, "InputPath": "$.detail"}])
    cap.json_call("events", t, "ListTargetsByRule", {"Rule": "fanout"},
                  "list_targets_by_rule_detail", version="1.1")
    cap.json_call("events", t, "DisableRule", {"Name": "orders", "EventBusName": "ops"},
                  "disable_rule", version="1.1")
    cap.json_call("events", t, "EnableRule", {"Name": "orders", "EventBusName": "ops"},
                  "enable_rule", version="1.1")


def create_function(lam, iam, name):
    import io
    import zipfile
    role = iam.create_role(RoleName=name + "-role", AssumeRolePolicyDocument="{}")["Role"][
        "Arn"]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("index.py", "def handler(event, context):\n    return None\n")
    return lam.create_function(FunctionName=name, Runtime="python3.11", Role=role,
                               Handler="index.handler", Code={"ZipFile": buf.getvalue()})[
        "FunctionArn"]


def group_lambda(cap):
    lam, iam, sqs = clients(cap.base, "lambda", "iam", "sqs")
    create_function(lam, iam, "consumer")
    arns = []
    for name in ("work", "work-slow"):
        q = sqs.create_queue(QueueName=name)["QueueUrl"]
        arns.append(sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["QueueArn"])[
            "Attributes"]["QueueArn"])
    m = lam.create_event_source_mapping(EventSourceArn=arns[0], FunctionName="consumer",
                                        BatchSize=5, ScalingConfig={"MaximumConcurrency": 2})
    lam.create_event_source_mapping(EventSourceArn=arns[1], FunctionName="consumer",
                                    Enabled=False)
    base = "/2015-03-31/event-source-mappings/"
    cap.rest_call("lambda", base, [("FunctionName", "consumer"), ("MaxItems", "50")],
                  "list_event_source_mappings", ext="json")
    cap.rest_call("lambda", base, [("EventSourceArn", arns[0])],
                  "list_event_source_mappings_by_queue", ext="json")
    cap.rest_call("lambda", base + m["UUID"], [], "get_event_source_mapping", ext="json")
    cap.rest_call("lambda", base + m["UUID"], [], "update_event_source_mapping", method="PUT",
                  headers={"Content-Type": "application/json"}, body=b'{"Enabled":false}',
                  ext="json", ok=(200, 202))


GROUPS = [
    ("sqs_messages", group_sqs_messages),
    ("sns_publish", group_sns_publish),
    ("s3_objects", group_s3_objects),
    ("logs", group_logs),
    ("ec2", group_ec2),
    ("iam", group_iam),
    ("secretsmanager", group_secretsmanager),
    ("ssm", group_ssm),
    ("events", group_events),
    ("lambda", group_lambda),
]


def main():
    args = sys.argv[1:]
    only = None
    if len(args) >= 2 and args[0] == "--only":
        only = set(args[1].split(","))
        args = args[2:]
    names = ["base"] + [n for n, _ in GROUPS]
    if only and not only <= set(names):
        sys.exit("unknown group(s): %s (groups: %s)" % (", ".join(sorted(only - set(names))),
                                                         ", ".join(names)))
    outdir = os.path.abspath(args[0] if args else DEFAULT_OUT)
    moto = Moto()
    atexit.register(moto.stop)
    try:
        base = moto.start()
        cap = Capturer(base, outdir)
        if not only or "base" in only:
            capture(cap, seed(base))
        for name, fn in GROUPS:
            if not only or name in only:
                fn(cap)
    finally:
        moto.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
