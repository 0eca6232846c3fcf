"""test_adaptive_moto.py - adaptive polling against moto: once a view says which rows are on
screen, a cycle reads those and the rows with a problem, not the whole fleet, and a change on
screen still shows in the next cycle.

tests/tools/poll_dump runs the console's poller (an hour between cycles, so only `refresh`
starts one); every byte it sends goes through a recording relay, so the requests of each
cycle are counted and their queue URLs read from the wire, not from opsdeck's own account.
The estate: 120 queues as the benchmark makes them (seed_queues)."""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awsenv import Moto, aws_env, boto3_clients  # noqa: E402
from polldump import PollDump  # noqa: E402
from recproxy import RecordingProxy  # noqa: E402
from seed import seed_queues  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()


def described(proxy):
    """The queue URL of every GetQueueAttributes that reached the server, in order."""
    urls = []
    for req in re.split(rb"(?=POST / HTTP/1\.1\r\n)", proxy.sent()):
        if b"AmazonSQS.GetQueueAttributes" not in req:
            continue
        body = req.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in req else b""
        try:
            urls.append(json.loads(body.decode())["QueueUrl"])
        except (ValueError, KeyError):
            urls.append(None)
    return urls


def fields(rows, url):
    return rows["queue"][url]["fields"]


def name(url):
    return url.rsplit("/", 1)[1]


def main():
    with Moto() as m:
        estate = seed_queues(m.endpoint, 120)
        sqs = boto3_clients(m.endpoint, services=("sqs",))["sqs"]
        with RecordingProxy("127.0.0.1", m.port) as proxy:
            pd = PollDump(aws_env(proxy.endpoint))
            try:
                pd.cmd("view sqs")
                t.ok(pd.run(1).startswith("ran cycles=1"), "a first cycle")
                first = described(proxy)
                rows, _ = pd.dump()
                # moto names queues by the host asked: opsdeck's URLs hold the relay's port
                urls = sorted(rows["queue"])
                moto_url = {name(u): u for u in sqs.list_queues(MaxResults=1000)["QueueUrls"]}
                t.eq(sorted(map(name, urls)), sorted(moto_url), "every queue is listed")
                t.eq(sorted(first), urls,
                     "the first cycle reads every queue once (120 GetQueueAttributes)")
                dlqs = sorted(u for u in urls if fields(rows, u)["is_dlq"])
                plain = [u for u in urls if u not in dlqs]
                screen, off = plain[:10], plain[10:]
                growing, changed_off, dlq = off[0], off[1], dlqs[0]

                # a second cycle, no screen known yet: every row read again, so the one
                # that gets a message now has grown between its last two reads
                sqs.send_message(QueueUrl=moto_url[name(growing)], MessageBody="g1")
                sqs.send_message(QueueUrl=moto_url[name(dlq)], MessageBody="dead")
                proxy.reset()
                pd.cmd("refresh")
                pd.run(1)
                t.eq(len(described(proxy)), 120, "without a screen every row counts as on it")

                # the view now says what is on screen
                t.eq(pd.cmd("screen " + " ".join(screen)), "ok", "ten rows are on screen")
                rows, _ = pd.dump()
                before_screen = fields(rows, screen[0])["visible"]
                before_off = fields(rows, changed_off)["visible"]
                sqs.send_message(QueueUrl=moto_url[name(screen[0])], MessageBody="on screen")
                sqs.send_message(QueueUrl=moto_url[name(changed_off)], MessageBody="off screen")
                sqs.send_message(QueueUrl=moto_url[name(growing)], MessageBody="g2")
                proxy.reset()
                pd.cmd("refresh")
                t.ok(pd.run(1).startswith("ran cycles=3"), "a third cycle")
                read = described(proxy)
                t.eq(sorted(read), sorted(screen + [growing, dlq]),
                     "it reads the 10 rows on screen, the growing queue and the DLQ holding "
                     "a message, and nothing else")
                t.ok(len(read) < 120 // 5, f"the request count falls: {len(read)} of 120")
                rows, info = pd.dump()
                t.eq(fields(rows, screen[0])["visible"], before_screen + 1,
                     "a changed depth on screen shows after that one cycle")
                t.eq(fields(rows, growing)["visible"], 2,
                     "the growing queue off screen is read too (depth 2)")
                t.eq(fields(rows, dlq)["visible"], 1, "the DLQ holding a message is read")
                t.eq(fields(rows, changed_off)["visible"], before_off,
                     "an off-screen queue not due yet keeps the value of its last read")
                t.ok(changed_off in rows["queue"] and not rows["queue"][changed_off]["stale"],
                     "its row stays listed, and is not called stale within its turn")
                t.eq(sorted(rows["queue"]), urls, "the list still has every queue")
                t.eq(sorted(rows["dlq"]), dlqs, "and every DLQ")
                t.ok(not info["queue"]["stale"], "the queue kind is fresh")
            finally:
                rc, stderr = pd.close()
                t.ok(rc == 0, "poll_dump exits 0", stderr[-2000:])


t.run("adaptive polling against moto", main)
t.done()
