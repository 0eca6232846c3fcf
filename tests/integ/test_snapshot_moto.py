"""test_snapshot_moto.py - `opsdeck snapshot --json` against moto, compared with boto3.

Seeds the realistic estate (tests/lib/seed.py), takes a snapshot, and checks every number a
user would read against what boto3 reads from the same server. Then paging past one page of
topics and subscriptions, untrusted text reaching the output escaped, and the failures a
user meets: no credentials, an endpoint that does not answer, access denied, a profile that
does not exist, no region."""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awsenv import Moto, aws_env, boto3_clients, free_port  # noqa: E402
from seed import seed  # noqa: E402
from snapcheck import OPSDECK, check_inventory, run_snapshot  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()


def one_line_error(t, name, rc, out, err, must_name):
    lines = [ln for ln in err.splitlines() if ln.strip()]
    t.ok(rc == 1 and out == b"" and len(lines) == 1 and
         all(s in lines[0] for s in must_name),
         f"{name}: exit 1, nothing on stdout, one line on stderr naming {', '.join(must_name)}",
         f"rc={rc} stdout={out[:200]!r}\nstderr={err!r}")


def estate():
    with Moto() as m:
        manifest = seed(m.endpoint)
        clients = boto3_clients(m.endpoint, services=("sqs", "sns", "s3", "cloudwatch", "sts"))
        env = aws_env(m.endpoint)
        rc, out, err = run_snapshot(env)
        t.ok(rc == 0, "snapshot exits 0 on a healthy estate", err)
        doc = json.loads(out)
        t.eq(doc["schema"], "opsdeck.snapshot/1", "the document names its schema")
        ident = clients["sts"].get_caller_identity()
        t.eq((doc["identity"]["account"], doc["identity"]["arn"]),
             (ident["Account"], ident["Arn"]), "caller identity matches GetCallerIdentity")
        t.eq((doc["profile"], doc["region"]), ("default", "us-east-1"),
             "profile and region are the resolved ones")
        t.ok(len(doc["queues"]) >= 20 and len(manifest["dlqs"]) == 3,
             f"the estate is realistic ({len(doc['queues'])} queues, 3 DLQs)")
        check_inventory(t, doc, clients)
        t.eq(doc["errors"], [], "no call failed")

        # The human summary names the DLQs that hold messages.
        p = subprocess.run([OPSDECK, "snapshot"], env=env, capture_output=True, text=True)
        dlq_lines = [ln for ln in p.stdout.splitlines() if ln.strip().startswith("DLQ ")]
        full = sorted(n for n, d in manifest["dlqs"].items() if d["messages"] > 0)
        t.eq(sorted(ln.split()[1] for ln in dlq_lines), full,
             "the text summary lists every DLQ that holds messages")

        # --region and --profile on the command line win over the environment.
        home = env["HOME"]
        with open(os.path.join(home, ".aws", "config"), "w") as f:
            f.write("[profile oncall]\nregion = eu-west-1\n")
        with open(os.path.join(home, ".aws", "credentials"), "w") as f:
            f.write("[oncall]\naws_access_key_id = AKIAONCALLEXAMPLE001\n"
                    "aws_secret_access_key = oncall-secret\n")
        env2 = dict(env)
        del env2["AWS_REGION"], env2["AWS_DEFAULT_REGION"]
        rc, out, err = run_snapshot(env2, "--profile", "oncall")
        d2 = json.loads(out) if rc == 0 else {}
        t.eq((rc, d2.get("profile"), d2.get("region")), (0, "oncall", "eu-west-1"),
             "--profile uses that profile's region and keys, not the environment's")
        # moto keeps one state per region: eu-west-1 has no queues
        t.eq(len(d2.get("queues", [None])), 0, "the snapshot is of the profile's region")


def paging():
    with Moto() as m:
        c = boto3_clients(m.endpoint)
        arns = [c["sns"].create_topic(Name=f"bulk-topic-{i:03d}")["TopicArn"] for i in range(230)]
        # one queue per subscription: SNS folds identical (topic, endpoint) pairs into one
        for i in range(130):
            c["sns"].subscribe(TopicArn=arns[0], Protocol="sqs",
                               Endpoint=f"arn:aws:sqs:us-east-1:123456789012:fanout-{i:03d}")
        page = c["sns"].list_topics()
        t.ok("NextToken" in page, "moto pages ListTopics (so paging is really exercised)")
        rc, out, err = run_snapshot(aws_env(m.endpoint))
        doc = json.loads(out) if rc == 0 else {"topics": []}
        t.eq(len(doc["topics"]), 230, "all 230 topics arrive over several ListTopics pages")
        big = [x for x in doc["topics"] if x["arn"] == arns[0]]
        t.eq(len(big[0]["subscriptions"]) if big else None, 130,
             "all 130 subscriptions of one topic arrive over several pages")


def untrusted_text():
    # SNS answers in XML, which cannot carry ESC or BEL: the topic gets what XML allows (bidi
    # override, DEL, a C1 control); the queue policy, sent as JSON, carries the escapes.
    # Neither is in the text summary: that gets them through the caller's and the profile's
    # names (below).
    display = "ops\u202eevil\x7f\x85"
    sid = "ops\x1b[2J\x1b]52;c;aGVsbG8=\x07\u2066x"
    policy = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": sid, "Effect": "Deny", "Principal": "*", "Action": "sqs:SendMessage",
        "Resource": "*"}]})
    with Moto() as m:
        c = boto3_clients(m.endpoint)
        c["sns"].create_topic(Name="alerts", Attributes={"DisplayName": display})
        c["sqs"].create_queue(QueueName="evil", Attributes={"Policy": policy})
        env = aws_env(m.endpoint)
        rc, raw, err = run_snapshot(env)
        bad = [b for b in (b"\x1b", b"\x07", b"\x7f", "\x85".encode(), "\u202e".encode(),
                           "\u2066".encode()) if b in raw]
        t.ok(rc == 0 and not bad,
             "escape sequences, OSC 52, DEL, C1 controls and bidi overrides never reach stdout raw",
             f"rc={rc} found={bad} {err}")
        doc = json.loads(raw) if rc == 0 else {"topics": [{}], "queues": [{"attributes": {}}]}
        t.eq(doc["topics"][0].get("display_name"), display,
             "the JSON still carries the exact display name, escaped")
        t.eq(doc["queues"][0]["attributes"].get("Policy"), policy,
             "the JSON still carries the exact queue policy, escaped")

        # The text summary's first line names the caller and the profile. The caller is an
        # IAM user whose name (from AWS, through XML) holds a bidi override, DEL and a C1
        # control; the profile's name (from the local config file) holds ESC [2J and BEL.
        import boto3
        iam = boto3.client("iam", endpoint_url=m.endpoint, region_name="us-east-1",
                           aws_access_key_id="testing", aws_secret_access_key="testing")
        user = "ops\u202eevil\x7f\x85x"
        iam.create_user(UserName=user)
        key = iam.create_access_key(UserName=user)["AccessKey"]
        prof = "oncall\x1b[2Jevil\x07"
        with open(env["AWS_CONFIG_FILE"], "w", encoding="utf-8") as f:
            f.write(f"[profile {prof}]\nregion = us-east-1\n")
        with open(env["AWS_SHARED_CREDENTIALS_FILE"], "w", encoding="utf-8") as f:
            f.write(f"[{prof}]\naws_access_key_id = {key['AccessKeyId']}\n"
                    f"aws_secret_access_key = {key['SecretAccessKey']}\n")
        e = {k: v for k, v in env.items() if k not in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}
        p = subprocess.run([OPSDECK, "--profile", prof, "snapshot"], env=e, capture_output=True)
        first = p.stdout.split(b"\n", 1)[0].decode("utf-8", "replace")
        bad = [b for b in (b"\x1b", b"\x07", b"\x7f", "\x85".encode(), "\u202e".encode())
               if b in p.stdout]
        t.ok(p.returncode == 0 and not bad,
             "the text summary holds no ESC, BEL, DEL, C1 control or bidi override",
             f"rc={p.returncode} found={bad} {p.stdout[:300]!r} {p.stderr[-300:]!r}")
        t.ok("user/ops\\u{202E}evil\\x7F\\x85x" in first and
             "profile oncall\\x1B[2Jevil\\x07" in first,
             "the text summary shows the caller's and the profile's names in the "
             "sanitiser's escapes (\\u{202E}, \\x7F, \\x85, \\x1B, \\x07)", first)


def failures():
    with Moto() as m:
        env = aws_env(m.endpoint)
        # no credentials at all
        e = dict(env)
        del e["AWS_ACCESS_KEY_ID"], e["AWS_SECRET_ACCESS_KEY"]
        rc, out, err = run_snapshot(e)
        one_line_error(t, "no credentials", rc, out, err, ["default", "AWS_ACCESS_KEY_ID"])

        # a profile that does not exist
        rc, out, err = run_snapshot(env, "--profile", "nosuch")
        one_line_error(t, "unknown profile", rc, out, err, ["nosuch", env["AWS_CONFIG_FILE"]])

        # no region anywhere
        e = dict(env)
        del e["AWS_REGION"], e["AWS_DEFAULT_REGION"]
        rc, out, err = run_snapshot(e)
        one_line_error(t, "no region", rc, out, err, ["region", "default"])

        # an endpoint nobody listens on
        dead = f"http://127.0.0.1:{free_port()}"
        rc, out, err = run_snapshot(aws_env(dead))
        one_line_error(t, "unreachable endpoint", rc, out, err, [dead, "default"])

    # access denied: moto enforces IAM after the first N unauthenticated calls
    os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = "3"
    try:
        with Moto() as m:
            import boto3
            iam = boto3.client("iam", endpoint_url=m.endpoint, region_name="us-east-1",
                               aws_access_key_id="testing", aws_secret_access_key="testing")
            iam.create_user(UserName="oncall")
            key = iam.create_access_key(UserName="oncall")["AccessKey"]
            iam.put_user_policy(UserName="oncall", PolicyName="read-some", PolicyDocument=json.dumps(
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*",
                 "Action": ["sts:GetCallerIdentity", "s3:ListAllMyBuckets", "sns:ListTopics"]}]}))
            env = aws_env(m.endpoint)
            env["AWS_ACCESS_KEY_ID"] = key["AccessKeyId"]
            env["AWS_SECRET_ACCESS_KEY"] = key["SecretAccessKey"]
            rc, out, err = run_snapshot(env)
            one_line_error(t, "access denied", rc, out, err,
                           ["sqs:ListQueues", m.endpoint, "default", "oncall"])
            t.ok(key["SecretAccessKey"] not in err, "the error line holds no secret")
    finally:
        del os.environ["INITIAL_NO_AUTH_ACTION_COUNT"]


def enrichment_fails():
    """CloudWatch unreachable and ListDeadLetterSourceQueues denied: the inventory is still
    printed, and what could not be read is null with an entry in errors[], never 0 or []."""
    os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = "6"
    try:
        with Moto() as m:
            import boto3
            iam = boto3.client("iam", endpoint_url=m.endpoint, region_name="us-east-1",
                               aws_access_key_id="testing", aws_secret_access_key="testing")
            keys = {}
            allow = {"Effect": "Allow", "Action": "*", "Resource": "*"}
            deny = {"Effect": "Deny", "Resource": "*", "Action": ["sqs:ListDeadLetterSourceQueues"]}
            for user, stmts in (("admin", [allow]), ("oncall", [allow, deny])):
                iam.create_user(UserName=user)
                keys[user] = iam.create_access_key(UserName=user)["AccessKey"]
                iam.put_user_policy(UserName=user, PolicyName="p", PolicyDocument=json.dumps(
                    {"Version": "2012-10-17", "Statement": stmts}))
            admin = {"aws_access_key_id": keys["admin"]["AccessKeyId"],
                     "aws_secret_access_key": keys["admin"]["SecretAccessKey"]}
            sqs = boto3.client("sqs", endpoint_url=m.endpoint, region_name="us-east-1", **admin)
            cw = boto3.client("cloudwatch", endpoint_url=m.endpoint, region_name="us-east-1",
                              **admin)
            dlq = sqs.create_queue(QueueName="jobs-dlq")["QueueUrl"]
            arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])[
                "Attributes"]["QueueArn"]
            src = sqs.create_queue(QueueName="jobs", Attributes={"RedrivePolicy": json.dumps(
                {"deadLetterTargetArn": arn, "maxReceiveCount": 3})})["QueueUrl"]
            for i in range(3):
                sqs.send_message(QueueUrl=dlq, MessageBody=f"dead {i}")
            # CloudWatch has an age for both: null below means "could not read", not "none"
            for name in ("jobs", "jobs-dlq"):
                cw.put_metric_data(Namespace="AWS/SQS", MetricData=[{
                    "MetricName": "ApproximateAgeOfOldestMessage", "Value": 600.0,
                    "Dimensions": [{"Name": "QueueName", "Value": name}]}])
            env = aws_env(m.endpoint)
            env["AWS_ACCESS_KEY_ID"] = keys["oncall"]["AccessKeyId"]
            env["AWS_SECRET_ACCESS_KEY"] = keys["oncall"]["SecretAccessKey"]
            dead = f"http://127.0.0.1:{free_port()}"
            env["AWS_ENDPOINT_URL_CLOUDWATCH"] = dead
            env["OPSDECK_MAX_ATTEMPTS"] = "1"
            rc, out, err = run_snapshot(env)
            t.ok(rc == 0, "enrichment failing: the snapshot still exits 0", err)
            doc = json.loads(out or b"{}")
            queues = {q["name"]: q for q in doc.get("queues", [])}
            t.eq({n: (q["visible"], q["oldest_age_seconds"], q["oldest_age_at"])
                  for n, q in queues.items()},
                 {"jobs": (0, None, None), "jobs-dlq": (3, None, None)},
                 "depths as SQS has them; ages null (CloudWatch did not answer), not 0")
            t.eq(queues.get("jobs-dlq", {}).get("dlq_sources", "absent"), None,
                 "the DLQ's sources are null (denied), not an empty list")
            t.ok(queues.get("jobs", {}).get("dead_letter_queue", {}).get("url") == dlq and src,
                 "the redrive link itself is still there (from the attributes)")
            failed = {(e["service"], e["action"]): e for e in doc.get("errors", [])}
            t.eq(sorted(failed), [("monitoring", "GetMetricData"),
                                  ("sqs", "ListDeadLetterSourceQueues")],
                 "errors[] names each failed call, and only those")
            cwe = failed.get(("monitoring", "GetMetricData"), {})
            lde = failed.get(("sqs", "ListDeadLetterSourceQueues"), {})
            t.ok(dead in (cwe.get("message") or "") and
                 "sqs:ListDeadLetterSourceQueues" in (lde.get("message") or "") and
                 lde.get("code") == "AccessDenied",
                 "each entry says why: the endpoint that did not answer, the permission missing",
                 json.dumps(doc.get("errors"), indent=1))
            p = subprocess.run([OPSDECK, "snapshot"], env=env, capture_output=True, text=True,
                               timeout=300)
            warn = [ln for ln in p.stdout.splitlines() if ln.strip().startswith("warning:")]
            t.ok(p.returncode == 0 and len(warn) == 2 and
                 any("jobs-dlq" in ln and " 3 messages" in ln for ln in p.stdout.splitlines()),
                 "the text summary lists the DLQ and warns once per failed call", p.stdout)
    finally:
        del os.environ["INITIAL_NO_AUTH_ACTION_COUNT"]


only = sys.argv[1:]
for name, fn in (("estate", estate), ("paging", paging), ("untrusted text", untrusted_text),
                 ("failures", failures), ("enrichment fails", enrichment_fails)):
    if not only or name in only:
        t.run(name, fn)
t.done()
