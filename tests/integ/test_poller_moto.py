"""test_poller_moto.py - the poller and its sources against moto, read back through the store.

tests/tools/poll_dump runs the poller and every source on the real loop (the console's client,
credentials and store) and prints the store as JSON lines on command. Seeds the realistic estate and
checks every queue, DLQ, source list, age of oldest message and tag against what boto3 reads
from the same server; then a second cycle after new messages (depth and a 2-point history),
a deleted queue, the server stopped (stale rows and an "error" row naming the endpoint) and
started again on the same port (fresh again, the error cleared). Last, a small fake SQS that
throttles one queue's GetQueueAttributes: the queues source backs off (x2, x4) and recovers, the
throttled row is kept stale, a queue that vanished mid-cycle is dropped without an error."""
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awsenv import Moto, aws_env, boto3_clients  # noqa: E402
from polldump import PollDump  # noqa: E402
from seed import seed  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()
HOSTILE = {"clear": "\x1b[2J", "clip": "\x1b]52;c;aGk=\x07", "bidi": "\u202eevil.txt",
           "team": "platform"}
# seed.py puts ApproximateAgeOfOldestMessage points for these queues only
AGED = ("orders-intake", "search-indexer", "orders-dlq", "billing-dlq", "payments-dlq.fifo")


def boto_queues(sqs):
    """{url: attributes} as boto3 reads them."""
    urls = sqs.list_queues(MaxResults=1000).get("QueueUrls", [])
    return {u: sqs.get_queue_attributes(QueueUrl=u, AttributeNames=["All"])["Attributes"]
            for u in urls}


def check_queues(rows, sqs):
    want = boto_queues(sqs)
    got = rows.get("queue", {})
    t.eq(sorted(got), sorted(want), "one queue row per queue ListQueues returns, keyed by URL")
    by_arn = {a["QueueArn"]: u for u, a in want.items()}
    dlq_urls = set()
    for a in want.values():
        if "RedrivePolicy" in a:
            dlq_urls.add(by_arn.get(json.loads(a["RedrivePolicy"])["deadLetterTargetArn"]))
    bad = []
    for url, a in want.items():
        f = got.get(url, {}).get("fields", {})
        redrive = json.loads(a["RedrivePolicy"]) if "RedrivePolicy" in a else None
        expect = {
            "name": url.rsplit("/", 1)[1], "arn": a["QueueArn"],
            "visible": int(a["ApproximateNumberOfMessages"]),
            "in_flight": int(a["ApproximateNumberOfMessagesNotVisible"]),
            "delayed": int(a["ApproximateNumberOfMessagesDelayed"]),
            "fifo": 1 if a.get("FifoQueue") == "true" else 0,
            "dlq_arn": redrive["deadLetterTargetArn"] if redrive else None,
            "dlq_url": by_arn.get(redrive["deadLetterTargetArn"]) if redrive else None,
            "max_receive_count": int(redrive["maxReceiveCount"]) if redrive else None,
            "is_dlq": 1 if url in dlq_urls else 0,
            "redrive_policy": a.get("RedrivePolicy"),
        }
        have = {k: f.get(k) for k in expect}
        if have != expect:
            bad.append((url, have, expect))
        try:
            if json.loads(f.get("attributes") or "null") != a:
                bad.append((url, "attributes", f.get("attributes"), a))
        except ValueError:
            bad.append((url, "attributes not JSON", f.get("attributes")))
    t.ok(not bad, f"every queue's fields equal boto3's GetQueueAttributes ({len(want)} queues)",
         "\n".join(map(repr, bad[:5])))
    return want, dlq_urls


def check_dlqs(rows, sqs, dlq_urls, want):
    got = rows.get("dlq", {})
    t.eq(sorted(got), sorted(dlq_urls), "dlq rows: exactly the queues some RedrivePolicy targets")
    bad = []
    for url in dlq_urls:
        f = got.get(url, {}).get("fields", {})
        srcs = sqs.list_dead_letter_source_queues(QueueUrl=url).get("queueUrls", [])
        a = want[url]
        try:
            sources = sorted(json.loads(f.get("sources") or "null") or [])
        except ValueError:
            sources = None
        if (sources, f.get("nsources"), f.get("visible"), f.get("in_flight")) != \
                (sorted(srcs), len(srcs), int(a["ApproximateNumberOfMessages"]),
                 int(a["ApproximateNumberOfMessagesNotVisible"])):
            bad.append((url, f, srcs))
    t.ok(not bad, "each DLQ's sources equal ListDeadLetterSourceQueues, depth equals boto3's",
         "\n".join(map(repr, bad[:3])))


def main():
    with Moto() as m:
        manifest = seed(m.endpoint)
        c = boto3_clients(m.endpoint, services=("sqs", "sts"))
        sqs = c["sqs"]
        tagged = manifest["queues"]["search-indexer"]["url"]
        sqs.tag_queue(QueueUrl=tagged, Tags=HOSTILE)
        env = aws_env(m.endpoint)
        pd = PollDump(env)
        try:
            # the sqs view is on screen, with the queue's detail pane open
            t.ok(pd.cmd("view sqs") == "ok" and pd.cmd(f"detail {tagged}") == "ok",
                 "the detail pane's queue is set")
            t.ok(pd.run(1).startswith("ran cycles=1"), "one queue cycle completes against moto")
            rows, info = pd.dump()
            want, dlq_urls = check_queues(rows, sqs)
            t.ok(len(want) >= 20 and len(dlq_urls) == 3, "the estate is realistic (26 queues, 3 DLQs)")
            check_dlqs(rows, sqs, dlq_urls, want)

            names = {r["fields"]["name"]: r["fields"] for r in rows["queue"].values()}
            metric_max = {mm["dimension"][1]: mm["max"] for mm in manifest["metrics"]
                          if mm["metric"] == "ApproximateAgeOfOldestMessage"}
            t.eq(sorted(metric_max), sorted(AGED), "seed.py put ages for the queues assumed here")
            # the seeded series rises minute by minute: its newest point is its largest
            t.eq({n: names[n]["age_oldest"] for n in AGED}, metric_max,
                 "age_oldest is the newest CloudWatch point for every seeded queue")
            t.eq(sorted(n for n, f in names.items() if f["age_oldest"] is not None), sorted(AGED),
                 "age_oldest is unknown (null) for queues CloudWatch has nothing on")
            dlq_ages = {r["fields"]["name"]: r["fields"]["age_oldest"] for r in rows["dlq"].values()}
            t.eq(dlq_ages, {n: metric_max[n] for n in dlq_ages}, "dlq rows carry the same ages")

            want_tags = sqs.list_queue_tags(QueueUrl=tagged)["Tags"]
            got_tags = json.loads(rows["queue"][tagged]["fields"]["tags"] or "null")
            t.eq(got_tags, want_tags, "detail tags equal ListQueueTags, hostile text stored raw")
            t.ok(all(got_tags.get(k) == v for k, v in HOSTILE.items()),
                 "ESC[2J, an OSC 52 write and U+202E are kept byte for byte (views sanitise)")
            others = [k for k, r in rows["queue"].items() if k != tagged and r["fields"]["tags"]]
            t.eq(others, [], "tags are fetched only for the detail pane's queue")

            ident = c["sts"].get_caller_identity()
            idf = rows.get("identity", {}).get("caller", {}).get("fields", {})
            t.eq((idf.get("account"), idf.get("arn")), (ident["Account"], ident["Arn"]),
                 "identity row equals GetCallerIdentity")
            cred = rows.get("credential", {}).get("default", {}).get("fields", {})
            t.eq((cred.get("method"), cred.get("expiry"), cred.get("refreshable"),
                  cred.get("active"), cred.get("refresh_error"), cred.get("refreshing"),
                  cred.get("usable")), ("env", None, 0, 1, "", 0, 1),
                 "a credential row: the environment's keys, active, no expiry, not renewed, "
                 "usable, no refresh running")
            t.ok("AWS_ACCESS_KEY_ID" in (cred.get("source") or "") and
                 env["AWS_SECRET_ACCESS_KEY"] not in json.dumps(rows.get("credential")),
                 "it says where the keys come from, and holds no secret", cred)
            live = {k: r["fields"] for k, r in rows.get("error", {}).items()
                    if r["fields"]["count"]}
            t.eq(live, {}, "no live error rows on a healthy estate")
            t.ok(not info["queue"]["stale"] and not any(r["stale"] for r in rows["queue"].values()),
                 "nothing is stale")

            # second cycle: new messages show, and the depth history has two points
            q = manifest["queues"]["session-cleanup"]["url"]
            before = rows["queue"][q]["fields"]["visible"]
            for i in range(4):
                sqs.send_message(QueueUrl=q, MessageBody=f"m{i}")
            gone = manifest["queues"]["reports-nightly"]["url"]
            sqs.delete_queue(QueueUrl=gone)
            pd.cmd("refresh")
            t.ok(pd.run(1).startswith("ran cycles=2"), "a second cycle on refresh")
            rows, info = pd.dump()
            now_vis = int(sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["All"])
                          ["Attributes"]["ApproximateNumberOfMessages"])
            t.eq((rows["queue"][q]["fields"]["visible"], now_vis), (before + 4, before + 4),
                 "the new depth shows after the next cycle")
            t.eq(rows["queue"][q]["history"].get("visible"), [before, before + 4],
                 "the depth history has one point per cycle")
            t.ok(gone not in rows["queue"], "a deleted queue's row is gone")
            check_queues(rows, sqs)

            # the server goes away: rows kept, stale, and an error row naming the endpoint
            port = m.port
            m.stop()
            pd.cmd("refresh")
            t.ok(pd.run(1).startswith("ran cycles=3"), "the cycle ends when the server is down")
            rows, info = pd.dump()
            t.ok(info["queue"]["stale"] and info["dlq"]["stale"], "queue and dlq kinds are stale")
            t.ok(rows["queue"] and all(r["stale"] for r in rows["queue"].values()),
                 "every queue row is kept, marked stale")
            err = rows.get("error", {}).get("SQS ListQueues", {}).get("fields", {})
            t.ok(err.get("count") == 1 and f"127.0.0.1:{port}" in (err.get("message") or ""),
                 "an \"SQS ListQueues\" error row counts the failure and names the endpoint", err)

            # started again on the same port: fresh again, the error row cleared
            m2 = Moto()
            try:
                m2._spawn(port)
                sqs.create_queue(QueueName="after-restart")
                pd.cmd("refresh")
                t.ok(pd.run(1).startswith("ran cycles=4"), "a cycle after the server is back")
                rows, info = pd.dump()
                t.ok(not info["queue"]["stale"], "the queue kind is no longer stale")
                t.eq(sorted(r["fields"]["name"] for r in rows["queue"].values()),
                     ["after-restart"], "the list is what the new server holds")
                err = rows.get("error", {}).get("SQS ListQueues", {}).get("fields", {})
                t.eq((err.get("count"), err.get("message")), (0, ""),
                     "the error row is rewritten with count 0 once ListQueues works again")
            finally:
                m2.stop()
        finally:
            rc, stderr = pd.close()
            t.ok(rc == 0, "poll_dump exits 0", stderr[-2000:])


class FakeSqs(BaseHTTPRequestHandler):
    """ListQueues, in two pages: hot-0 (throttled while .throttle), hot-1 (fine), hot-2
    (deleted between ListQueues and GetQueueAttributes), then cold-0 and cold-1. Anything
    else (STS, CloudWatch) is refused."""
    throttle = True

    def log_message(self, *args):
        pass

    def reply(self, status, doc):
        body = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.0")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        target = self.headers.get("X-Amz-Target", "")
        base = f"http://127.0.0.1:{self.server.server_port}/123456789012"
        if target == "AmazonSQS.ListQueues":
            # two pages: moto never pages, so the NextToken path is checked here
            if json.loads(body).get("NextToken") == "page-2":
                return self.reply(200, {"QueueUrls": [f"{base}/cold-{i}" for i in range(2)]})
            return self.reply(200, {"QueueUrls": [f"{base}/hot-{i}" for i in range(3)],
                                    "NextToken": "page-2"})
        if target == "AmazonSQS.GetQueueAttributes":
            url = json.loads(body)["QueueUrl"]
            if url.endswith("hot-0") and FakeSqs.throttle:
                return self.reply(400, {"__type": "com.amazonaws.sqs#ThrottlingException",
                                        "message": "Rate exceeded"})
            if url.endswith("hot-2"):
                return self.reply(400, {"__type": "com.amazonaws.sqs#QueueDoesNotExist",
                                        "message": "The specified queue does not exist."})
            name = url.rsplit("/", 1)[1]
            return self.reply(200, {"Attributes": {
                "QueueArn": f"arn:aws:sqs:us-east-1:123456789012:{name}",
                "ApproximateNumberOfMessages": "7", "ApproximateNumberOfMessagesNotVisible": "1",
                "ApproximateNumberOfMessagesDelayed": "0"}})
        return self.reply(403, {"__type": "AccessDenied", "message": "not here"})


def throttled():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), FakeSqs)
    th = threading.Thread(target=srv.serve_forever, daemon=True)
    th.start()
    endpoint = f"http://127.0.0.1:{srv.server_port}"
    base = f"{endpoint}/123456789012"
    pd = PollDump(aws_env(endpoint))
    try:
        pd.cmd("view sqs")
        steps = []
        for n in (1, 2):
            if n > 1:
                pd.cmd("refresh")
            pd.run(1)
            rows, _ = pd.dump()
            sched = json.loads(pd.cmd("sched"))["queues"]
            err = rows.get("error", {}).get("SQS GetQueueAttributes", {}).get("fields", {})
            steps.append((sched["failures"], sched["effective_ms"] // sched["interval_ms"],
                          err.get("count")))
        t.eq(steps, [(1, 2, 1), (2, 4, 2)],
             "a throttled cycle backs the queues source off x2 then x4, the error row counts it")
        q = rows["queue"]
        t.ok(q.get(f"{base}/hot-0", {}).get("stale") is True,
             "the throttled queue's row is kept, stale", q.get(f"{base}/hot-0"))
        t.ok(q.get(f"{base}/hot-1", {}).get("stale") is False and
             q[f"{base}/hot-1"]["fields"]["visible"] == 7, "the other queue is fresh")
        t.eq(sorted(q), sorted(f"{base}/{n}" for n in ("hot-0", "hot-1", "cold-0", "cold-1")),
             "both ListQueues pages are listed (NextToken followed)")
        t.ok(f"{base}/hot-2" not in q and
             "SQS GetQueueAttributes" in rows.get("error", {}) and
             "does not exist" not in rows["error"]["SQS GetQueueAttributes"]["fields"]["message"],
             "a queue gone between ListQueues and GetQueueAttributes is dropped, not an error")
        FakeSqs.throttle = False
        pd.cmd("refresh")
        pd.run(1)
        rows, _ = pd.dump()
        sched = json.loads(pd.cmd("sched"))["queues"]
        err = rows["error"]["SQS GetQueueAttributes"]["fields"]
        t.eq((sched["failures"], sched["effective_ms"] == sched["interval_ms"], err["count"],
              err["message"], rows["queue"][f"{base}/hot-0"]["stale"]),
             (0, True, 0, "", False), "after a good cycle: normal interval, error cleared, fresh")
    finally:
        rc, stderr = pd.close()
        srv.shutdown()
        srv.server_close()
        t.ok(rc == 0, "poll_dump exits 0 (fake server)", stderr[-2000:])


t.run("poller against moto", main)
t.run("poller against a throttling server", throttled)
t.done()
