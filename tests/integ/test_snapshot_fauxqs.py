"""test_snapshot_fauxqs.py - the same snapshot checks against fauxqs, a second emulator by
other authors (SQS over JSON only, queue URLs like http://sqs.REGION.localhost:PORT/ACCOUNT/NAME).

fauxqs has no STS and no CloudWatch, and no ListDeadLetterSourceQueues. STS is pointed at moto
with AWS_ENDPOINT_URL_STS (per-service endpoints, as on a VPC-endpoint network); CloudWatch is
left on fauxqs, so the snapshot must degrade: the inventory complete, metrics null, and the
failed enrichment calls listed in "errors" — never a crash or a partial exit."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awsenv import Fauxqs, Moto, aws_env, boto3_clients  # noqa: E402
from seed import seed  # noqa: E402
from snapcheck import check_inventory, run_snapshot  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()


def main():
    with Fauxqs() as f, Moto() as m:
        manifest = seed(f.endpoint, cloudwatch=False)
        clients = boto3_clients(f.endpoint, services=("sqs", "sns", "s3"))
        env = aws_env(f.endpoint)
        env["AWS_ENDPOINT_URL_STS"] = m.endpoint
        rc, out, err = run_snapshot(env)
        t.ok(rc == 0, "snapshot exits 0 against fauxqs", err)
        doc = json.loads(out) if rc == 0 else {}
        t.ok(all(".localhost:" in q["url"] for q in doc.get("queues", [])) and doc.get("queues"),
             "queue URLs are fauxqs's own form, used as given")
        check_inventory(t, doc, clients, with_metrics=False, with_dlq_sources=False,
                        label="fauxqs")
        t.ok(all(q["oldest_age_seconds"] is None for q in doc.get("queues", [])) and
             all(x["failed_notifications"] is None for x in doc.get("topics", [])),
             "without CloudWatch, ages and failure counts are null, not zero")
        failed = {(e["service"], e["action"]) for e in doc.get("errors", [])}
        t.ok(("monitoring", "GetMetricData") in failed and
             ("sqs", "ListDeadLetterSourceQueues") in failed,
             "the calls fauxqs lacks are reported in errors", json.dumps(doc.get("errors"), indent=1))
        t.ok(all(q["dlq_sources"] is None for q in doc.get("queues", []) if q["is_dlq"]),
             "DLQ sources are null (unknown) when ListDeadLetterSourceQueues fails")
        pend = [p for p in manifest["pending_subscriptions"] if p["reported_pending"]]
        got = {s["endpoint"]: s for x in doc.get("topics", []) for s in x["subscriptions"]}
        t.ok(pend and all(p["endpoint"] in got for p in pend),
             "the subscription pending confirmation is listed", json.dumps(pend))


t.run("fauxqs snapshot", main)
t.done()
