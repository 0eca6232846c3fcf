"""test_clients_moto.py - every second-round service call end to end against moto, through
opsdeck's own request builders, client stack and parsers (tests/tools/client_call), and
compared with what boto3 says about the same data. The three message-move-task actions,
which moto answers with HTTP 500, go to a small endpoint of our own
(tests/lib/movetask_server.py) that boto3 talks to as well.

One moto on a free 127.0.0.1 port (stopped by its PID, also when a case fails); data is
seeded and checked with boto3. Paged calls are followed page by page with the tokens the
parsers expose, until the last page, and the union is compared with boto3's view. Writes
(send, delete, visibility, purge, publish, PutParameter, Enable/DisableRule,
UpdateEventSourceMapping) are checked by reading the result back with boto3.
"""
import base64
import csv
import datetime
import io
import json
import os
import subprocess
import sys
import time
import urllib.request
import zipfile

from awsenv import Moto, aws_env, boto3_clients
from movetask_server import MoveTaskServer
from tap import Tap

BUILD = os.environ.get("TOP_BUILDDIR", ".")
TOOL = os.path.join(BUILD, "tests", "tools", "client_call")
HOSTILE = "caf\u00e9 \x1b[31mred\x1b[0m \u202eevil"
SERVICES = ("sqs", "sns", "s3", "logs", "ec2", "iam", "secretsmanager", "ssm", "events",
            "lambda")


class Caller:
    def __init__(self, env):
        self.env = env

    def __call__(self, action, *pairs, ok=True, **kw):
        argv = [TOOL, action] + ["%s=%s" % (k, v) for k, v in kw.items()] + list(pairs)
        r = subprocess.run(argv, env=self.env, capture_output=True, text=True, timeout=60)
        out = json.loads(r.stdout) if r.stdout.strip() else {}
        if ok and (r.returncode != 0 or "error" in out):
            raise AssertionError("%s failed (%d): %s %s" % (action, r.returncode, r.stdout,
                                                            r.stderr))
        return out


def epoch(dt):
    return int(dt.timestamp())


# ---- SQS ---------------------------------------------------------------------------------

def test_sqs(t, call, c):
    sqs = c["sqs"]
    q = sqs.create_queue(QueueName="it-msgs")["QueueUrl"]
    attrs = ["attr=trace:String:" + HOSTILE, "attr=count:Number:42", "attr=blob:Binary:0001ff"]
    sent = call("sqs_send_message", *attrs, queue_url=q, body="order 7 " + HOSTILE)
    # boto3 sees the same message, attributes and all
    got = sqs.receive_message(QueueUrl=q, MessageAttributeNames=["All"], AttributeNames=["All"],
                              VisibilityTimeout=0)["Messages"][0]
    t.eq(got["MessageId"], sent["message_id"], "SendMessage: boto3 receives the message id we got")
    t.eq(got["Body"], "order 7 " + HOSTILE, "SendMessage: the body arrives byte for byte")
    t.eq(got["MD5OfBody"], sent["md5_of_body"], "SendMessage: MD5 of the body agrees")
    t.eq(got["MD5OfMessageAttributes"], sent["md5_of_attrs"],
         "SendMessage: MD5 of the attributes agrees (encoded as SQS expects)")
    t.eq({k: v.get("StringValue", v.get("BinaryValue")) for k, v in
          got["MessageAttributes"].items()},
         {"trace": HOSTILE, "count": "42", "blob": b"\x00\x01\xff"},
         "SendMessage: String, Number and Binary attributes as sent")

    mine = call("sqs_receive_message", queue_url=q, visibility=0)["messages"]
    t.eq(len(mine), 1, "ReceiveMessage: one message")
    m = mine[0]
    t.eq((m["message_id"], m["body"]), (got["MessageId"], got["Body"]),
         "ReceiveMessage: id and body as boto3 saw them")
    t.eq(m["receive_count"], 2, "ReceiveMessage: receive count counts boto3's receive and ours")
    t.eq(m["sent_ms"], int(got["Attributes"]["SentTimestamp"]), "ReceiveMessage: SentTimestamp")
    t.eq(m["first_receive_ms"], int(got["Attributes"]["ApproximateFirstReceiveTimestamp"]),
         "ReceiveMessage: first receive time is boto3's receive")
    t.eq(m["message_attributes"]["blob"], {"data_type": "Binary", "binary": [0, 1, 255]},
         "ReceiveMessage: Binary attribute decoded")
    t.eq(m["message_attributes"]["trace"]["string_value"], HOSTILE,
         "ReceiveMessage: escape sequence kept verbatim for the sanitiser")

    # batch send with one failing entry
    res = call("sqs_send_message_batch", "body=one", "body=two", queue_url=q, delay=1000)
    t.eq((res["ok"], [(f["id"], f["code"], f["sender_fault"]) for f in res["failed"]]),
         (["m0"], [("m1", "InvalidParameterValue", True)]),
         "SendMessageBatch: per-entry failure reported, the other entry sent")

    # hold everything, then release one and fail one in a visibility batch
    held = call("sqs_receive_message", queue_url=q, visibility=300)["messages"]
    t.eq(sorted(x["body"] for x in held), sorted(["order 7 " + HOSTILE, "one"]),
         "ReceiveMessage: both messages held")
    hs = [x["receipt_handle"] for x in held]
    res = call("sqs_change_message_visibility_batch", "handle=" + hs[0], "handle=bogus",
               queue_url=q, visibility=0)
    t.eq((res["ok"], [(f["id"], f["code"]) for f in res["failed"]]),
         (["h0"], [("h1", "ReceiptHandleIsInvalid")]),
         "ChangeMessageVisibilityBatch: one released, the bogus handle failed")
    again = sqs.receive_message(QueueUrl=q, VisibilityTimeout=300).get("Messages", [])
    t.eq([x["MessageId"] for x in again], [held[0]["message_id"]],
         "ChangeMessageVisibilityBatch: boto3 can receive the released message only")
    res = call("sqs_delete_message_batch", "handle=" + hs[1], "handle=bogus", queue_url=q)
    t.eq((res["ok"], [f["id"] for f in res["failed"]]), (["h0"], ["h1"]),
         "DeleteMessageBatch: deleted, bogus handle failed")
    call("sqs_change_message_visibility", queue_url=q, handle=again[0]["ReceiptHandle"],
         visibility=0)
    one = call("sqs_receive_message", queue_url=q, visibility=30)["messages"]
    t.eq(len(one), 1, "ChangeMessageVisibility: the message is visible again")
    call("sqs_delete_message", queue_url=q, handle=one[0]["receipt_handle"])
    a = sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["All"])["Attributes"]
    t.eq((a["ApproximateNumberOfMessages"], a["ApproximateNumberOfMessagesNotVisible"]),
         ("0", "0"), "DeleteMessage: the queue is empty for boto3")

    t.eq(call("sqs_get_queue_url", name="it-msgs")["queue_url"],
         sqs.get_queue_url(QueueName="it-msgs")["QueueUrl"], "GetQueueUrl: same URL as boto3")
    for i in range(3):
        sqs.send_message(QueueUrl=q, MessageBody="purge me %d" % i)
    call("sqs_purge_queue", queue_url=q)
    a = sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["ApproximateNumberOfMessages"])
    t.eq(a["Attributes"]["ApproximateNumberOfMessages"], "0", "PurgeQueue: boto3 sees 0 messages")

    f = sqs.create_queue(QueueName="it.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    s = call("sqs_send_message", queue_url=f, body="fifo", group="g1", dedup="d1")
    got = sqs.receive_message(QueueUrl=f, AttributeNames=["All"])["Messages"][0]
    t.eq((got["Attributes"]["MessageGroupId"], got["Attributes"]["MessageDeduplicationId"],
          got["Attributes"]["SequenceNumber"]), ("g1", "d1", s["sequence_number"]),
         "SendMessage FIFO: group, dedup id and sequence number as boto3 sees them")


# ---- SNS ---------------------------------------------------------------------------------

def test_sns(t, call, c):
    sns, sqs = c["sns"], c["sqs"]
    q = sqs.create_queue(QueueName="it-fanout")["QueueUrl"]
    qarn = sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"]
    topic = sns.create_topic(Name="it-topic", Attributes={"KmsMasterKeyId": "alias/aws/sns"})[
        "TopicArn"]
    sub = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=qarn, Attributes={
        "RawMessageDelivery": "true", "FilterPolicy": json.dumps({"kind": ["order"]}),
        "FilterPolicyScope": "MessageAttributes",
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": qarn + "-dlq"})},
        ReturnSubscriptionArn=True)["SubscriptionArn"]
    mine = call("sns_get_subscription_attributes", arn=sub)
    theirs = sns.get_subscription_attributes(SubscriptionArn=sub)["Attributes"]
    t.eq(mine["attributes"], theirs, "GetSubscriptionAttributes: every attribute as boto3 reads it")
    t.eq((mine["raw_delivery"], mine["pending"], mine["filter_policy_scope"],
          mine["redrive_dlq_arn"]), (True, False, "MessageAttributes", qarn + "-dlq"),
         "GetSubscriptionAttributes: raw delivery, pending, scope and DLQ typed")
    t.eq(call("sns_get_topic_attributes", arn=topic)["kms_master_key_id"],
         sns.get_topic_attributes(TopicArn=topic)["Attributes"]["KmsMasterKeyId"],
         "GetTopicAttributes: KmsMasterKeyId as boto3 reads it")

    pub = call("sns_publish", "attr=kind:String:order", "attr=n:Number:3", topic_arn=topic,
               message="hello " + HOSTILE, subject="opsdeck test")
    got = sqs.receive_message(QueueUrl=q, MessageAttributeNames=["All"],
                              WaitTimeSeconds=1).get("Messages", [])
    t.eq([m["Body"] for m in got], ["hello " + HOSTILE],
         "Publish: the message reaches the subscribed queue (raw delivery), text intact")
    t.eq({k: v["StringValue"] for k, v in got[0]["MessageAttributes"].items()} if got else None,
         {"kind": "order", "n": "3"}, "Publish: message attributes reach the queue")
    t.ok(len(pub["message_id"]) == 36, "Publish: a message id is returned", detail=pub)
    ft = sns.create_topic(Name="it.fifo", Attributes={"FifoTopic": "true"})["TopicArn"]
    pub = call("sns_publish", topic_arn=ft, message="fifo", group="g", dedup="d")
    t.ok(pub["message_id"], "Publish FIFO: accepted with group and dedup ids", detail=pub)


# ---- S3 ----------------------------------------------------------------------------------

def test_s3(t, call, c):
    import boto3
    s3, env = c["s3"], call.env
    s3.create_bucket(Bucket="it-eu", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    s3.create_bucket(Bucket="it-data")
    s3.put_bucket_versioning(Bucket="it-data", VersioningConfiguration={"Status": "Enabled"})
    hb = call("s3_head_bucket", bucket="it-eu")
    t.eq((hb["ok"], hb["region"]), (True, s3.head_bucket(Bucket="it-eu")["ResponseMetadata"][
        "HTTPHeaders"]["x-amz-bucket-region"]), "HeadBucket: region from x-amz-bucket-region")
    t.eq(call("s3_get_bucket_location", bucket="it-eu")["region"],
         s3.get_bucket_location(Bucket="it-eu")["LocationConstraint"],
         "GetBucketLocation: eu-west-1 as boto3")
    t.eq(call("s3_get_bucket_location", bucket="it-data")["region"], "us-east-1",
         "GetBucketLocation: the empty constraint is us-east-1 (boto3 says None)")
    missing = call("s3_head_bucket", bucket="it-nope")
    t.eq((missing["ok"], missing["http_status"]), (False, 404), "HeadBucket: missing bucket is 404")

    kms = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    body = b'{"v": 2, "rows": [1, 2, 3]}'
    s3.put_object(Bucket="it-data", Key="dir/report.json", Body=b"old")
    s3.put_object(Bucket="it-data", Key="dir/report.json", Body=body,
                  ContentType="application/json", Metadata={"owner": "ops"},
                  StorageClass="STANDARD_IA", ServerSideEncryption="aws:kms", SSEKMSKeyId=kms,
                  Tagging="team=ops&tier=gold")
    mine = call("s3_head_object", bucket="it-data", key="dir/report.json")
    th = s3.head_object(Bucket="it-data", Key="dir/report.json")
    t.eq((mine["size"], mine["etag"], mine["content_type"], mine["storage_class"], mine["sse"],
          mine["kms_key_id"], mine["version_id"], mine["metadata"], mine["mtime"]),
         (th["ContentLength"], th["ETag"], th["ContentType"], th["StorageClass"],
          th["ServerSideEncryption"], th["SSEKMSKeyId"], th["VersionId"], th["Metadata"],
          epoch(th["LastModified"])), "HeadObject: every field as boto3 reads it")
    t.eq(call("s3_get_object_tagging", bucket="it-data", key="dir/report.json")["tags"],
         {x["Key"]: x["Value"] for x in s3.get_object_tagging(Bucket="it-data",
                                                              Key="dir/report.json")["TagSet"]},
         "GetObjectTagging: the tags as boto3 reads them")
    rg = call("s3_get_object", bucket="it-data", key="dir/report.json", first=0, last=9)
    t.eq((bytes.fromhex(rg["data_hex"]), rg["first"], rg["last"], rg["total"]),
         (s3.get_object(Bucket="it-data", Key="dir/report.json", Range="bytes=0-9")[
             "Body"].read(), 0, 9, len(body)), "GetObject with Range: the bytes boto3 gets")

    # keys any byte of which a path could mangle
    for key in ("odd/a b+c%2F\u00e9.txt", "dots/x/../y.txt", "dots/./z.txt", "//double"):
        s3.put_object(Bucket="it-data", Key=key, Body=key.encode())
        h = call("s3_head_object", bucket="it-data", key=key, ok=False)
        t.eq(h.get("size"), len(key.encode()), "HeadObject reaches the key %r" % key)

    s3.put_object(Bucket="it-data", Key="gone.txt", Body=b"x")
    s3.delete_object(Bucket="it-data", Key="gone.txt")
    versions, km, vm = [], None, None
    for _ in range(50):
        kw = {"key_marker": km, "version_marker": vm}
        page = call("s3_list_object_versions", bucket="it-data", max=2,
                    **{k: v for k, v in kw.items() if v})
        versions += [(v["key"], v["version_id"], v["delete_marker"]) for v in page["versions"]]
        km, vm = page["next_key_marker"], page["next_version_id_marker"]
        if not km:
            break
    th = s3.list_object_versions(Bucket="it-data")
    want = [(v["Key"], v["VersionId"], False) for v in th.get("Versions", [])] + \
           [(d["Key"], d["VersionId"], True) for d in th.get("DeleteMarkers", [])]
    t.eq(sorted(versions), sorted(want),
         "ListObjectVersions paged by 2: versions and delete markers as boto3 lists them")

    for i in range(3):
        s3.put_object(Bucket="it-data", Key="logs/%d.txt" % i, Body=b"l")
    lo = call("s3_list_objects_v2", bucket="it-data", prefix="logs/", delimiter="/",
              start_after="logs/0.txt")
    t.eq(lo["keys"], [o["Key"] for o in s3.list_objects_v2(
        Bucket="it-data", Prefix="logs/", Delimiter="/", StartAfter="logs/0.txt")["Contents"]],
         "ListObjectsV2 with start-after: the keys boto3 lists")

    # presigned GET: the same signature botocore makes at the same time, and it works
    import botocore.auth
    when = 1796291991
    fixed = datetime.datetime.fromtimestamp(when, datetime.timezone.utc)
    real = botocore.auth.get_current_datetime
    botocore.auth.get_current_datetime = lambda *a, **k: fixed
    from botocore.config import Config
    s3v4 = boto3.session.Session(aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
                                 aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"]).client(
        "s3", endpoint_url=env["AWS_ENDPOINT_URL"], region_name="us-east-1",
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))
    try:
        theirs = s3v4.generate_presigned_url("get_object", Params={"Bucket": "it-data",
                                                                 "Key": "dir/report.json"},
                                           ExpiresIn=300)
    finally:
        botocore.auth.get_current_datetime = real
    mine = call("s3_presign_get", bucket="it-data", key="dir/report.json", expires=300,
                when=when)["url"]

    def params(u):
        from urllib.parse import parse_qs, urlsplit
        s = urlsplit(u)
        return s.path, {k: v[0] for k, v in parse_qs(s.query).items()}
    t.eq(params(mine), params(theirs), "presigned GET: path and parameters equal botocore's, "
                                       "signature included")
    capped = call("s3_presign_get", bucket="it-data", key="k", expires=3600, max_expires=60)
    t.ok("X-Amz-Expires=60&" in capped["url"], "presigned GET: expiry cut to the credentials' "
                                                "lifetime", detail=capped)
    now = call("s3_presign_get", bucket="it-data", key="dir/report.json", expires=60)["url"]
    with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(now) as r:
        t.eq(r.read(), body, "presigned GET: fetching our URL returns the object")


# ---- CloudWatch Logs, EC2 ----------------------------------------------------------------

def test_logs(t, call, c):
    logs = c["logs"]
    group = "sns/us-east-1/123456789012/it/Failure"
    logs.create_log_group(logGroupName=group)
    logs.create_log_group(logGroupName="/it/other")
    logs.create_log_stream(logGroupName=group, logStreamName="s")
    now = int(time.time() * 1000)
    msgs = [json.dumps({"delivery": {"destination": "https://h/%d" % i, "statusCode": 500 + i},
                        "status": "FAILURE"}) for i in range(5)]
    logs.put_log_events(logGroupName=group, logStreamName="s",
                        logEvents=[{"timestamp": now - 60000 + i, "message": m}
                                   for i, m in enumerate(msgs)])
    got, token, pages = [], None, 0
    while pages < 20:
        kw = {"token": token} if token else {}
        page = call("logs_filter_log_events", group=group, limit=2,
                    start_ms=now - 3600000, end_ms=now + 1000, **kw)
        got += page["events"]
        pages += 1
        token = page["next_token"]
        if not token:
            break
    theirs = logs.filter_log_events(logGroupName=group, startTime=now - 3600000,
                                    endTime=now + 1000)["events"]
    t.eq([e["message"] for e in got], [e["message"] for e in theirs],
         "FilterLogEvents paged by 2 (%d pages): the events boto3 gets" % pages)
    t.eq([(e["destination"], e["status_code"]) for e in got],
         [("https://h/%d" % i, 500 + i) for i in range(5)],
         "FilterLogEvents: SNS delivery records parsed from the messages")
    names = [g["name"] for g in call("logs_describe_log_groups")["groups"]]
    t.eq(names, [g["logGroupName"] for g in logs.describe_log_groups()["logGroups"]],
         "DescribeLogGroups: the groups boto3 lists")


def test_ec2(t, call, c):
    ec2 = c["ec2"]
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    for svc, kind in (("sns", "Interface"), ("sqs", "Interface"), ("s3", "Gateway"),
                      ("kms", "Interface")):
        ec2.create_vpc_endpoint(VpcId=vpc, ServiceName="com.amazonaws.us-east-1." + svc,
                                VpcEndpointType=kind, PrivateDnsEnabled=kind == "Interface")
    names = ["com.amazonaws.us-east-1.%s" % s for s in ("sns", "sqs", "s3")]
    mine = call("ec2_describe_vpc_endpoints", *["service=" + n for n in names])["endpoints"]
    theirs = ec2.describe_vpc_endpoints(Filters=[{"Name": "service-name", "Values": names}])[
        "VpcEndpoints"]
    t.eq(sorted((e["id"], e["vpc_id"], e["service_name"], e["state"], e["private_dns"])
                for e in mine),
         sorted((e["VpcEndpointId"], e["VpcId"], e["ServiceName"], e["State"],
                 e["PrivateDnsEnabled"]) for e in theirs),
         "DescribeVpcEndpoints filtered by service: the endpoints boto3 sees (not kms)")


# ---- IAM ---------------------------------------------------------------------------------

def test_iam(t, call, c):
    iam = c["iam"]
    iam.update_account_password_policy(MinimumPasswordLength=14, MaxPasswordAge=60,
                                       HardExpiry=True)
    iam.create_user(UserName="it-alice")
    iam.create_login_profile(UserName="it-alice", Password="Secr3t!pass-x")
    k1 = iam.create_access_key(UserName="it-alice")["AccessKey"]["AccessKeyId"]
    k2 = iam.create_access_key(UserName="it-alice")["AccessKey"]["AccessKeyId"]
    iam.update_access_key(UserName="it-alice", AccessKeyId=k2, Status="Inactive")
    pol = call("iam_get_account_password_policy")
    th = iam.get_account_password_policy()["PasswordPolicy"]
    t.eq((pol["max_age_days"], pol["hard_expiry"], pol["expire_passwords"], pol["min_length"]),
         (th["MaxPasswordAge"], th["HardExpiry"], th["ExpirePasswords"],
          th["MinimumPasswordLength"]), "GetAccountPasswordPolicy: as boto3 reads it")
    u = call("iam_get_user", user="it-alice")
    tu = iam.get_user(UserName="it-alice")["User"]
    tp = iam.get_login_profile(UserName="it-alice")["LoginProfile"]
    t.eq((u["name"], u["arn"], u["created"], u["login_profile_created"], u["reset_required"]),
         (tu["UserName"], tu["Arn"], epoch(tu["CreateDate"]), epoch(tp["CreateDate"]),
          tp["PasswordResetRequired"]), "GetUser and GetLoginProfile: as boto3 reads them")
    keys = call("iam_list_access_keys", user="it-alice")["keys"]
    tk = iam.list_access_keys(UserName="it-alice")["AccessKeyMetadata"]
    t.eq(sorted((k["id"], k["status"], k["created"]) for k in keys),
         sorted((k["AccessKeyId"], k["Status"], epoch(k["CreateDate"])) for k in tk),
         "ListAccessKeys: ids, status and ages as boto3")
    t.eq({k["id"]: k["last_used_service"] for k in keys},
         {k1: iam.get_access_key_last_used(AccessKeyId=k1)["AccessKeyLastUsed"]["ServiceName"],
          k2: iam.get_access_key_last_used(AccessKeyId=k2)["AccessKeyLastUsed"]["ServiceName"]},
         "GetAccessKeyLastUsed: as boto3 reads it")
    state = None
    for _ in range(50):
        state = call("iam_generate_credential_report")["state"]
        if state == "COMPLETE":
            break
        time.sleep(0.2)
    t.eq(state, "COMPLETE", "GenerateCredentialReport: completes")
    rows = {r["user"]: r for r in call("iam_get_credential_report")["rows"]}
    content = iam.get_credential_report()["Content"].decode()
    theirs = {r["user"]: r for r in csv.DictReader(io.StringIO(content))}
    a, ta = rows.get("it-alice", {}), theirs.get("it-alice", {})
    t.eq((a.get("password_enabled"), a.get("password_last_changed"), a.get("key1_active"),
          a.get("key1_last_rotated")),
         (ta.get("password_enabled") == "true",
          epoch(datetime.datetime.fromisoformat(ta["password_last_changed"])),
          ta.get("access_key_1_active") == "true",
          epoch(datetime.datetime.fromisoformat(ta["access_key_1_last_rotated"]))),
         "GetCredentialReport: alice's line as csv.DictReader reads boto3's copy")
    t.eq(sorted(rows), sorted(theirs), "GetCredentialReport: the same users")


# ---- Secrets Manager, SSM ----------------------------------------------------------------

def create_function(c, name):
    role = c["iam"].create_role(RoleName=name + "-role", AssumeRolePolicyDocument="{}")[
        "Role"]["Arn"]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("index.py", "def handler(event, context):\n    return None\n")
    return c["lambda"].create_function(FunctionName=name, Runtime="python3.11", Role=role,
                                       Handler="index.handler",
                                       Code={"ZipFile": buf.getvalue()})["FunctionArn"]


def test_secretsmanager(t, call, c):
    sm = c["secretsmanager"]
    fn = create_function(c, "it-rotator")
    for i in range(3):
        sm.create_secret(Name="it/pw%d" % i, SecretString="s%d" % i)
    sm.rotate_secret(SecretId="it/pw1", RotationLambdaARN=fn,
                     RotationRules={"AutomaticallyAfterDays": 7})
    got, token = [], None
    for _ in range(10):
        kw = {"token": token} if token else {}
        page = call("secretsmanager_list_secrets", max=1, prefix="it/", **kw)
        got += page["secrets"]
        token = page["next_token"]
        if not token:
            break
    theirs = sm.list_secrets(Filters=[{"Key": "name", "Values": ["it/"]}])["SecretList"]
    t.eq(sorted(s["name"] for s in got), sorted(s["Name"] for s in theirs),
         "ListSecrets paged by 1: the secrets boto3 lists")
    mine = {s["name"]: s for s in got}["it/pw1"]
    th = sm.describe_secret(SecretId="it/pw1")
    t.eq((mine["rotation_enabled"], mine["rotation_days"], mine["next_rotation"],
          mine["last_rotated"]),
         (th["RotationEnabled"], th["RotationRules"]["AutomaticallyAfterDays"],
          epoch(th["NextRotationDate"]), epoch(th["LastRotatedDate"])),
         "ListSecrets: rotation, its rule and dates as boto3 reads them")
    d = call("secretsmanager_describe_secret", id="it/pw1")
    t.eq((d["name"], d["next_rotation"]), ("it/pw1", epoch(th["NextRotationDate"])),
         "DescribeSecret: as boto3")
    t.eq(call("secretsmanager_describe_secret", id="it/pw0")["next_rotation"], -1,
         "DescribeSecret: no rotation means no next date, not the epoch")


def test_ssm(t, call, c):
    ssm = c["ssm"]
    ssm.put_parameter(Name="/it/flags/outbound", Value="on", Type="String")
    ssm.put_parameter(Name="/it/flags/deep/limit", Value="10", Type="String")
    ssm.put_parameter(Name="/it/flags/list", Value="a,b", Type="StringList")
    ssm.put_parameter(Name="/it/secret", Value="hunter2-not-real", Type="SecureString")
    p = call("ssm_get_parameter", name="/it/flags/outbound")
    tp = ssm.get_parameter(Name="/it/flags/outbound")["Parameter"]
    t.eq((p["value"], p["type"], p["version"], p["last_modified"]),
         (tp["Value"], tp["Type"], tp["Version"], epoch(tp["LastModifiedDate"])),
         "GetParameter: as boto3")
    s = call("ssm_get_parameter", name="/it/secret", decrypt=1)
    t.eq((s["value"], s["value_len"]), ("secret", len("hunter2-not-real")),
         "GetParameter WithDecryption: the value arrives (its length), never printed")
    many = call("ssm_get_parameters", "name=/it/flags/outbound", "name=/it/nope")
    t.eq(([x["name"] for x in many["parameters"]], many["invalid"]),
         (["/it/flags/outbound"], ["/it/nope"]), "GetParameters: found and invalid names")
    names, token = [], None
    for _ in range(10):
        kw = {"token": token} if token else {}
        page = call("ssm_get_parameters_by_path", path="/it", recursive=1, max=1, **kw)
        names += [x["name"] for x in page["parameters"]]
        token = page["next_token"]
        if not token:
            break
    theirs = ssm.get_parameters_by_path(Path="/it", Recursive=True)["Parameters"]
    t.eq(sorted(names), sorted(x["Name"] for x in theirs),
         "GetParametersByPath recursive, paged by 1: the parameters boto3 gets")
    v = call("ssm_put_parameter", name="/it/flags/outbound", value="off", overwrite=1)
    tp = ssm.get_parameter(Name="/it/flags/outbound")["Parameter"]
    t.eq((tp["Value"], tp["Version"]), ("off", v["version"]),
         "PutParameter Overwrite: boto3 reads the new value at the version we were told")


# ---- EventBridge, Lambda -----------------------------------------------------------------

def test_events(t, call, c):
    ev, sqs = c["events"], c["sqs"]
    q = sqs.create_queue(QueueName="it-rule-target")["QueueUrl"]
    qarn = sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"]
    ev.create_event_bus(Name="it-ops")
    ev.put_rule(Name="it-nightly", ScheduleExpression="rate(1 day)")
    for i in range(3):
        ev.put_rule(Name="it-orders-%d" % i, EventBusName="it-ops",
                    EventPattern=json.dumps({"source": ["app.orders"], "n": [i]}))
    ev.put_targets(Rule="it-orders-0", EventBusName="it-ops", Targets=[{"Id": "q", "Arn": qarn}])
    t.eq(call("events_list_event_buses")["buses"],
         [b["Name"] for b in ev.list_event_buses()["EventBuses"]], "ListEventBuses: as boto3")
    rules, token = [], None
    for _ in range(10):
        kw = {"token": token} if token else {}
        page = call("events_list_rules", bus="it-ops", limit=1, **kw)
        rules += page["rules"]
        token = page["next_token"]
        if not token:
            break
    t.eq([(r["name"], r["state"], r["pattern"]) for r in rules],
         [(r["Name"], r["State"], r["EventPattern"])
          for r in ev.list_rules(EventBusName="it-ops")["Rules"]],
         "ListRules on a custom bus, paged by 1: as boto3")
    d = call("events_describe_rule", name="it-orders-0", bus="it-ops")
    t.eq((d["state"], d["targets"]), ("ENABLED", [qarn]), "DescribeRule and ListTargetsByRule")
    call("events_set_rule", name="it-orders-0", bus="it-ops", enabled=0)
    t.eq(ev.describe_rule(Name="it-orders-0", EventBusName="it-ops")["State"], "DISABLED",
         "DisableRule: boto3 reads DISABLED")
    call("events_set_rule", name="it-nightly", enabled=0)
    call("events_set_rule", name="it-nightly", enabled=1)
    t.eq(ev.describe_rule(Name="it-nightly")["State"], "ENABLED",
         "EnableRule on the default bus: boto3 reads ENABLED")


def test_lambda(t, call, c):
    lam, sqs = c["lambda"], c["sqs"]
    create_function(c, "it-consumer")
    arns = []
    for name in ("it-work", "it-work-2"):
        q = sqs.create_queue(QueueName=name)["QueueUrl"]
        arns.append(sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["QueueArn"])[
            "Attributes"]["QueueArn"])
    m = lam.create_event_source_mapping(EventSourceArn=arns[0], FunctionName="it-consumer",
                                        BatchSize=5, ScalingConfig={"MaximumConcurrency": 3})
    lam.create_event_source_mapping(EventSourceArn=arns[1], FunctionName="it-consumer")
    mine = call("lambda_list_event_source_mappings", function="it-consumer")["mappings"]
    theirs = lam.list_event_source_mappings(FunctionName="it-consumer")["EventSourceMappings"]
    t.eq(sorted((x["uuid"], x["state"], x["event_source_arn"], x["batch_size"]) for x in mine),
         sorted((x["UUID"], x["State"], x["EventSourceArn"], x["BatchSize"]) for x in theirs),
         "ListEventSourceMappings by function: as boto3")
    by_queue = call("lambda_list_event_source_mappings", source=arns[0])["mappings"]
    t.eq([(x["uuid"], x["max_concurrency"]) for x in by_queue], [(m["UUID"], 3)],
         "ListEventSourceMappings by queue: the one mapping, its maximum concurrency")
    upd = call("lambda_event_source_mapping", uuid=m["UUID"], enabled=0)
    th = lam.get_event_source_mapping(UUID=m["UUID"])
    t.eq(upd["state"] in ("Disabling", "Disabled"), True,
         "UpdateEventSourceMapping Enabled=false: the answer says it is turning off")
    t.eq(call("lambda_event_source_mapping", uuid=m["UUID"])["state"], th["State"],
         "GetEventSourceMapping: the state boto3 reads after the update")


def test_sqs_move_tasks(t, env):
    import boto3
    dlq = "arn:aws:sqs:us-east-1:123456789012:it-dlq"
    other = "arn:aws:sqs:us-east-1:123456789012:it-dlq-2"
    with MoveTaskServer(to_move=7, step=3) as srv:
        call = Caller(dict(env, AWS_ENDPOINT_URL_SQS=srv.endpoint))
        sqs = boto3.session.Session(aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
                                    aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"]).client(
            "sqs", endpoint_url=srv.endpoint, region_name="us-east-1")
        handle = call("sqs_start_message_move_task", source=dlq, rate=50)["task_handle"]
        t.eq(srv.requests[-1], ("AmazonSQS.StartMessageMoveTask",
                                {"SourceArn": dlq, "MaxNumberOfMessagesPerSecond": 50}),
             "StartMessageMoveTask: the request as SQS expects it (no destination: back to "
             "the sources)")
        theirs = sqs.list_message_move_tasks(SourceArn=dlq, MaxResults=10)["Results"]
        t.eq([(x["Status"], x["ApproximateNumberOfMessagesMoved"], x["TaskHandle"])
              for x in theirs], [("RUNNING", 3, handle)],
             "ListMessageMoveTasks: boto3 reads the task we started, with its handle")
        mine = call("sqs_list_message_move_tasks", source=dlq, max=10)["tasks"]
        t.eq([(x["status"], x["moved"], x["to_move"], x["max_per_second"], x["task_handle"])
              for x in mine], [("RUNNING", 6, 7, 50, handle)],
             "ListMessageMoveTasks: progress and rate as the next answer says")
        again = call("sqs_start_message_move_task", source=dlq, ok=False)
        try:
            sqs.start_message_move_task(SourceArn=dlq)
            boto_code = None
        except sqs.exceptions.ClientError as e:
            boto_code = e.response["Error"]["Code"]
        t.eq((again.get("code"), again.get("http_status")), ("UnsupportedOperation", 400),
             "StartMessageMoveTask while one runs: the error code SQS gives")
        t.ok(boto_code in ("UnsupportedOperation", "AWS.SimpleQueueService.UnsupportedOperation"),
             "... and boto3 reads the same refusal", detail=boto_code)
        done = call("sqs_list_message_move_tasks", source=dlq)["tasks"]
        t.eq([(x["status"], x["moved"], x["task_handle"]) for x in done],
             [("COMPLETED", 7, None)], "ListMessageMoveTasks: completed, no handle any more")
        h2 = sqs.start_message_move_task(SourceArn=other, DestinationArn=dlq)["TaskHandle"]
        sqs.list_message_move_tasks(SourceArn=other)
        t.eq(call("sqs_cancel_message_move_task", handle=h2)["moved"], 3,
             "CancelMessageMoveTask: the count moved before the cancel")
        t.eq([(x["Status"], x["DestinationArn"]) for x in
              sqs.list_message_move_tasks(SourceArn=other)["Results"]],
             [("CANCELLED", dlq)], "CancelMessageMoveTask: boto3 reads it cancelled")
        missing = call("sqs_start_message_move_task", source=dlq[:-6] + "missing", ok=False)
        t.eq(missing.get("code"), "ResourceNotFoundException",
             "StartMessageMoveTask on a missing queue: the error names it")


def main():
    t = Tap()
    if not os.path.exists(TOOL):
        t.bail("client_call not built: " + TOOL)
    with Moto() as m:
        env = aws_env(m.endpoint)
        call = Caller(env)
        c = boto3_clients(m.endpoint, services=SERVICES)
        for fn in (test_sqs, test_sns, test_s3, test_logs, test_ec2, test_iam,
                   test_secretsmanager, test_ssm, test_events, test_lambda):
            t.run(fn.__name__, fn, t, call, c)
        t.run("test_sqs_move_tasks", test_sqs_move_tasks, t, env)
    t.done()


if __name__ == "__main__":
    main()
