#!/usr/bin/env python3
"""demo.py - opsdeck against a local moto with a small, live incident.

    python3 tests/lib/demo.py PATH_TO_OPSDECK [--keep] [--warmup S] [-- OPSDECK_ARGS...]

Starts moto on a free 127.0.0.1 port, seeds the estate of seed.py (queues with DLQs, topics
fanning out to queues, buckets), then keeps traffic flowing from a background thread:
orders arrive, a broken consumer of shipping-labels receives without deleting so its
messages reach orders-dlq by maxReceiveCount, a healthy consumer drains search-indexer,
order events are published to SNS and fan out. Every ten seconds it publishes CloudWatch's
ApproximateAgeOfOldestMessage for the queues nobody consumes (orders-intake and the three
DLQs) as what it is: the time since the oldest message still in the queue was sent, so the
console shows what an incident review would see; with them NumberOfMessagesReceived and
NumberOfMessagesDeleted as the traffic really did them (shipping-labels receives and never
deletes, search-indexer deletes what it receives, nothing receives from orders-intake), so
the DLQ pane's consumer flags are the truth too. Then runs opsdeck (with the arguments
after `--`) with its environment pointed at moto, waits for it, and stops the traffic and
moto (by PID, also on Ctrl-C). --keep leaves moto and the traffic running after opsdeck
exits, until Ctrl-C.
"""
import argparse
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awsenv import Moto, aws_env, boto3_clients  # noqa: E402
from seed import rotating_secret, seed  # noqa: E402
from snsfail import put_failures  # noqa: E402
from toggleseed import TOGGLES_CONFIG, seed_toggles  # noqa: E402

# What opsdeck runs: the interactive console on a terminal (opsdeck with no command opens
# it), the headless snapshot when the output is not a terminal.
SNAPSHOT_ARGS = ["snapshot", "--json"]
CONSOLE_ARGS = []


class Hangup(Exception):
    """SIGHUP or SIGTERM to the demo (its terminal closed, or a kill): unwind through the
    finally that stops the traffic and moto, instead of dying with them left running."""


# Queues whose oldest message is known without reading them: nobody receives from them, so
# the oldest one is the first the seed or the traffic sent.
AGED_QUEUES = ("orders-intake", "orders-dlq", "billing-dlq", "payments-dlq.fifo")
METRIC_EVERY = 10   # rounds (seconds) between ApproximateAgeOfOldestMessage points
# Queues whose receives and deletes the traffic makes (orders-intake: none at all).
CONSUMED_QUEUES = ("shipping-labels", "search-indexer", "orders-intake")
# The expiry view's app password: a 2-minute lifetime its "refresh function" (the traffic)
# renews every 90 rounds, so its countdown runs down and starts again.
APP_PASSWORD = "portal/app-password"
APP_RENEW_EVERY = 90
APP_CONFIG = "[expiry portal]\nanchor = secret:" + APP_PASSWORD + "\nlifetime = 2m\nwarn = 45s\n"


def seed_expiries(endpoint):
    """What the expiry view shows: a password policy, users with console passwords and
    access keys (the credential report lists them), a secret that rotates, the app
    password's secret."""
    c = boto3_clients(endpoint, services=("iam", "secretsmanager"))
    iam, sm = c["iam"], c["secretsmanager"]
    iam.update_account_password_policy(MaxPasswordAge=90, HardExpiry=True)
    for user in ("alice", "deploy-bot"):
        iam.create_user(UserName=user)
        iam.create_access_key(UserName=user)
    iam.create_login_profile(UserName="alice", Password="Demo-Password-1")
    iam.generate_credential_report()
    rotating_secret(sm, "payments/db-password", days=30, value="demo")
    sm.create_secret(Name=APP_PASSWORD, SecretString="demo-0")


def seed_delivery_failures(endpoint, manifest):
    """Why user-events' deliveries fail (the sns view's pane, f): 120 records in its Failure
    log group, one every three minutes over the last six hours, as SNS writes them."""
    c = boto3_clients(endpoint, services=("sqs", "logs"))
    topic = manifest["topics"]["user-events"]["arn"]
    url = c["sqs"].get_queue_url(QueueName="user-signup-events")["QueueUrl"]
    queue_arn = c["sqs"].get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"]
    now = int(time.time() * 1000)
    put_failures(c["logs"], topic, queue_arn, [(now - 180000 * i, i) for i in range(120)],
                 create=True)


class Traffic(threading.Thread):
    """A bounded-rate generator: one round every `period` seconds until stop()."""

    def __init__(self, endpoint, manifest, period=1.0, metrics_log=None):
        super().__init__(daemon=True, name="traffic")
        self.c = boto3_clients(endpoint, services=("sqs", "sns", "s3", "cloudwatch",
                                                   "secretsmanager"))
        self.m = manifest
        self.period = period
        self.metrics_log = metrics_log
        self.halt = threading.Event()
        self.rounds = 0
        self.consumed = {q: [0, 0] for q in CONSUMED_QUEUES}   # received, deleted
        self.errors = 0
        self.last_error = None

    def publish_ages(self):
        """ApproximateAgeOfOldestMessage as CloudWatch would report it for the queues whose
        oldest message the demo knows: now minus when it was sent."""
        now = time.time()
        data = []
        for name in AGED_QUEUES:
            first = self.m["queues"].get(name, {}).get("first_sent")
            if first is None:
                continue
            age = round(now - first, 3)
            data.append({"MetricName": "ApproximateAgeOfOldestMessage",
                         "Timestamp": dt.datetime.fromtimestamp(now, dt.timezone.utc),
                         "Dimensions": [{"Name": "QueueName", "Value": name}],
                         "Value": age, "Unit": "Seconds"})
            if self.metrics_log:
                with open(self.metrics_log, "a", encoding="ascii") as f:
                    f.write(json.dumps({"time": now, "queue": name, "age": age}) + "\n")
        # the receives and deletes since the last point, one point each (a Sum)
        for name, (received, deleted) in self.consumed.items():
            for metric, value in (("NumberOfMessagesReceived", received),
                                  ("NumberOfMessagesDeleted", deleted)):
                data.append({"MetricName": metric,
                             "Timestamp": dt.datetime.fromtimestamp(now, dt.timezone.utc),
                             "Dimensions": [{"Name": "QueueName", "Value": name}],
                             "Value": float(value), "Unit": "Count"})
            self.consumed[name] = [0, 0]
        if data:
            self.c["cloudwatch"].put_metric_data(Namespace="AWS/SQS", MetricData=data)
        # the SNS view's last hour: order-events fans out to three queues, and billing-alerts
        # keeps failing to reach its e-mail subscriber
        when = dt.datetime.fromtimestamp(now, dt.timezone.utc)
        self.c["cloudwatch"].put_metric_data(Namespace="AWS/SNS", MetricData=[
            {"MetricName": metric, "Timestamp": when, "Value": value, "Unit": "Count",
             "Dimensions": [{"Name": "TopicName", "Value": topic}]}
            for topic, metric, value in (
                ("order-events", "NumberOfMessagesPublished", METRIC_EVERY),
                ("order-events", "NumberOfNotificationsDelivered", 3 * METRIC_EVERY),
                ("billing-alerts", "NumberOfNotificationsFailed", 1))])

    def url(self, name):
        return self.m["queues"][name]["url"]

    def one_round(self):
        sqs, sns = self.c["sqs"], self.c["sns"]
        n = self.rounds
        sqs.send_message_batch(QueueUrl=self.url("orders-intake"), Entries=[
            {"Id": str(i), "MessageBody": json.dumps({"orderId": f"ORD-{20000 + n * 5 + i}",
                                                      "total": 10 + i})} for i in range(5)])
        sqs.send_message(QueueUrl=self.url("search-indexer"),
                         MessageBody=json.dumps({"doc": f"sku-{n}"}))
        # a poison label every other round; the broken consumer never deletes
        if n % 2 == 0:
            sqs.send_message(QueueUrl=self.url("shipping-labels"),
                             MessageBody=json.dumps({"labelId": f"LBL-{n}", "weightKg": "NaN"}))
        r = sqs.receive_message(QueueUrl=self.url("shipping-labels"), MaxNumberOfMessages=10,
                                VisibilityTimeout=0)
        self.consumed["shipping-labels"][0] += len(r.get("Messages", []))
        # the healthy consumer: receives and deletes
        r = sqs.receive_message(QueueUrl=self.url("search-indexer"), MaxNumberOfMessages=3)
        self.consumed["search-indexer"][0] += len(r.get("Messages", []))
        for msg in r.get("Messages", []):
            sqs.delete_message(QueueUrl=self.url("search-indexer"),
                               ReceiptHandle=msg["ReceiptHandle"])
            self.consumed["search-indexer"][1] += 1
        sns.publish(TopicArn=self.m["topics"]["order-events"]["arn"],
                    Message=json.dumps({"event": "order.created", "seq": n}))
        if n % METRIC_EVERY == 0:
            self.publish_ages()
        if n and n % APP_RENEW_EVERY == 0:
            self.c["secretsmanager"].put_secret_value(SecretId=APP_PASSWORD,
                                                      SecretString=f"demo-{n}")

    def run(self):
        while not self.halt.is_set():
            try:
                self.one_round()
            except Exception as e:  # noqa: BLE001 - moto going away at shutdown is expected
                self.errors += 1
                self.last_error = e
            self.rounds += 1
            self.halt.wait(self.period)

    def stop(self):
        self.halt.set()
        self.join(timeout=10)


def parse_args(argv):
    """The demo's options, then after `--` opsdeck's own arguments, untouched: argparse
    alone would take `-- --view dlq` for the demo's and refuse it."""
    if "--" in argv:
        cut = argv.index("--")
        own, passed = argv[:cut], argv[cut + 1:]
    else:
        own, passed = argv, []
    ap = argparse.ArgumentParser(
        description="run opsdeck against a live local moto",
        usage="demo.py PATH_TO_OPSDECK [--keep] [--warmup S] [-- OPSDECK_ARGS...]")
    ap.add_argument("opsdeck", help="path of the opsdeck binary")
    ap.add_argument("--keep", action="store_true", help="keep moto running after opsdeck exits")
    ap.add_argument("--warmup", type=float, default=3.0, help="seconds of traffic before opsdeck")
    ap.add_argument("--objects", type=int, default=60, help="objects in the logs bucket")
    ap.add_argument("--moto-pid-file", help="write moto's PID here (for tests of the demo)")
    ap.add_argument("--metrics-log", help="append each CloudWatch age published, as JSON "
                    "lines (for tests of the demo)")
    a = ap.parse_args(own)
    a.args = passed
    return a


def main():
    a = parse_args(sys.argv[1:])
    if not os.access(a.opsdeck, os.X_OK):
        print(f"demo: {a.opsdeck} is not an executable; build first (./setup.sh)", file=sys.stderr)
        return 2
    argv = [a.opsdeck] + (a.args or (CONSOLE_ARGS if sys.stdout.isatty() else SNAPSHOT_ARGS))

    moto = Moto()
    traffic = None
    status = 1

    def hangup(signum, _frame):
        raise Hangup(signum)
    try:
        print("demo: starting moto and seeding ...", file=sys.stderr)
        moto.start()
        # after Moto.start, which installs its own last-resort SIGTERM handler
        for sig in (signal.SIGHUP, signal.SIGTERM):
            signal.signal(sig, hangup)
        if a.moto_pid_file:
            with open(a.moto_pid_file, "w", encoding="ascii") as f:
                f.write(f"{moto.pid}\n")
        manifest = seed(moto.endpoint, objects=a.objects, synthetic_ages=False)
        seed_toggles(moto.endpoint, intake="orders-replay")   # view 7: triggers, rules, SSM toggles
        seed_expiries(moto.endpoint)
        seed_delivery_failures(moto.endpoint, manifest)
        traffic = Traffic(moto.endpoint, manifest, metrics_log=a.metrics_log)
        traffic.start()
        print(f"demo: moto listens on {moto.endpoint} (pid {moto.pid}); try "
              f"`aws --endpoint-url {moto.endpoint} sqs list-queues` with any fake keys",
              file=sys.stderr)
        time.sleep(a.warmup)
        env = aws_env(moto.endpoint)
        # the demo's toggles and app passwords are declared in a config of its own HOME
        env["XDG_CONFIG_HOME"] = os.path.join(env["HOME"], ".config")
        conf_dir = os.path.join(env["XDG_CONFIG_HOME"], "opsdeck")
        os.makedirs(conf_dir, exist_ok=True)
        fd = os.open(os.path.join(conf_dir, "config"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
                     0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(TOGGLES_CONFIG + "\n" + APP_CONFIG)
        # Like a shell running a foreground job: Ctrl-C belongs to opsdeck while it runs (the
        # console may use it), so the demo ignores SIGINT until opsdeck exits. A Python-level
        # handler, unlike SIG_IGN, is reset to the default in the child by exec.
        old = signal.signal(signal.SIGINT, lambda *_: None)
        try:
            status = subprocess.call(argv, env=env)
        finally:
            signal.signal(signal.SIGINT, old)
        if a.keep:
            print("demo: opsdeck exited; moto and traffic keep running - Ctrl-C to stop",
                  file=sys.stderr)
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        status = 130
    except Hangup as e:
        status = 128 + e.args[0]
    finally:
        # a second signal must not cut the clean-up short
        for sig in (signal.SIGHUP, signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, signal.SIG_IGN)
        if traffic:
            traffic.stop()
            if traffic.errors and traffic.rounds > traffic.errors:
                print(f"demo: {traffic.errors} traffic rounds failed "
                      f"(last: {traffic.last_error})", file=sys.stderr)
        moto.stop()
        moto.remove_log()
    return status


if __name__ == "__main__":
    sys.exit(main())
