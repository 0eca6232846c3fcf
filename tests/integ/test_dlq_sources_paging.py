#!/usr/bin/env python3
"""test_dlq_sources_paging.py - a DLQ with more source queues than one page of
ListDeadLetterSourceQueues, in `opsdeck snapshot --json` and in the console's poller.

moto never returns a NextToken there, so SQS is the tests' own fake (tests/lib/fake_sqs.py:
pages of at most 4 URLs, tokens bound to the queue they were issued for) and everything else
is moto (AWS_ENDPOINT_URL_SQS over AWS_ENDPOINT_URL). The estate: orders-dlq with 11 sources
(three pages), billing-dlq with exactly 4 (one full page, no token), audit-dlq with 5 (a
page and one more), and two queues that are nobody's DLQ. ListQueues pages too (25 queues).

First boto3 reads the same pages from the fake (its answers parse in a client we did not
write, and boto3 needs the pages the fake says it issued); then the snapshot and
tests/tools/poll_dump must show every source of every DLQ, and must have asked for every
page the fake issued. Nothing here depends on how the poller is built inside."""
import json
import os
import sys

import botocore.exceptions

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awsenv import Moto, aws_env, boto3_clients  # noqa: E402
from fake_sqs import FakeSqs  # noqa: E402
from polldump import PollDump  # noqa: E402
from snapcheck import all_dlq_sources, all_queue_urls, check_inventory, run_snapshot  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()
PAGE = 4
SOURCES = {"orders-dlq": 11, "billing-dlq": 4, "audit-dlq": 5}
PAGES = {"orders-dlq": 3, "billing-dlq": 1, "audit-dlq": 2}


def estate():
    e = {name: {"visible": 2 + i} for i, name in enumerate(SOURCES)}
    for dlq, n in SOURCES.items():
        for i in range(n):
            e[f"{dlq[:-4]}-src-{i:02d}"] = {"dlq": dlq, "visible": i, "max_receive": 3 + i % 4}
    e["standalone-a"] = {"visible": 1}
    e["standalone-b"] = {}
    return e


def sources_calls(fake, dlq):
    """The ListDeadLetterSourceQueues requests the fake got for one DLQ, in order."""
    return [r for r in fake.requests
            if r["action"] == "ListDeadLetterSourceQueues" and r["QueueUrl"] == fake.url(dlq)]


def check_calls(fake, label):
    """Each DLQ's pages were asked for in order: the first without a token, each next one
    with the token the previous answer gave, and none after the last."""
    bad = []
    for dlq, pages in PAGES.items():
        calls = sources_calls(fake, dlq)
        sent = [c["NextToken"] for c in calls]
        want = [None] + [c["issued"] for c in calls if c["issued"]]
        if sent != want or len(calls) != pages:
            bad.append(f"{dlq}: tokens sent {sent}, answers gave {want[1:]}, "
                       f"{len(calls)} pages of {pages}")
    t.ok(not bad, f"{label}: asked for every page of ListDeadLetterSourceQueues, each once "
         "(3 for 11 sources, 1 for 4, 2 for 5)", "\n".join(bad))


def with_boto3(fake, sqs):
    urls = all_queue_urls(sqs)
    t.eq(urls, [fake.url(n) for n in fake.estate],
         "boto3: ListQueues over the fake's pages lists the 25 queues in order")
    t.ok(len([r for r in fake.requests if r["action"] == "ListQueues"]) == 7,
         "boto3: that took 7 pages of 4 (MaxResults 1000 is capped by the server's page)",
         fake.requests)
    for dlq in SOURCES:
        got = all_dlq_sources(sqs, fake.url(dlq))
        t.eq(got, fake.sources_of(dlq), f"boto3: ListDeadLetterSourceQueues({dlq}) over its "
             f"pages returns its {SOURCES[dlq]} sources")
    pages = list(sqs.get_paginator("list_dead_letter_source_queues").paginate(
        QueueUrl=fake.url("orders-dlq"), PaginationConfig={"PageSize": 4}))
    t.eq([len(p["queueUrls"]) for p in pages], [4, 4, 3],
         "boto3's own paginator follows the fake's NextToken: pages of 4, 4 and 3")
    r = sqs.list_dead_letter_source_queues(QueueUrl=fake.url("orders-dlq"))
    t.ok(len(r["queueUrls"]) == 11 and "NextToken" not in r,
         "without MaxResults the fake answers all 11 and no NextToken, as AWS documents", r)
    try:
        sqs.list_dead_letter_source_queues(QueueUrl=fake.url("audit-dlq"), MaxResults=10,
                                           NextToken=pages[0]["NextToken"])
        t.ok(False, "a token issued for another queue is refused")
    except botocore.exceptions.ClientError as e:
        t.eq(e.response["Error"]["Code"], "InvalidParameterValue",
             "a token issued for another queue is refused (InvalidParameterValue)")


def with_snapshot(fake, moto, env):
    fake.requests.clear()
    rc, out, err = run_snapshot(env)
    if not t.ok(rc == 0, "snapshot: exits 0 against the fake SQS and moto", err):
        return
    doc = json.loads(out)
    queues = {q["name"]: q for q in doc["queues"]}
    t.eq(sorted(queues), sorted(fake.estate), "snapshot: all 25 queues over ListQueues' pages")
    for dlq, n in SOURCES.items():
        got = (queues.get(dlq) or {}).get("dlq_sources")
        t.eq(sorted(got or []), sorted(fake.sources_of(dlq)),
             f"snapshot: {dlq} lists all {n} source queues ({PAGES[dlq]} page(s))")
    t.eq(sorted(n for n, q in queues.items() if q["is_dlq"]), sorted(SOURCES),
         "snapshot: exactly the three redrive targets are DLQs")
    t.eq(doc["errors"], [], "snapshot: no call failed")
    check_calls(fake, "snapshot")
    clients = boto3_clients(moto.endpoint, services=("sns", "s3", "cloudwatch"))
    clients["sqs"] = boto3_clients(fake.endpoint, services=("sqs",))["sqs"]
    check_inventory(t, doc, clients, with_metrics=False, label="snapshot on the fake SQS")


def with_poller(fake, env):
    fake.requests.clear()
    pd = PollDump(env)
    try:
        t.eq(pd.cmd("view dlq"), "ok", "poller: the dlq view is set")
        t.ok(pd.run(1).startswith("ran cycles=1"), "poller: one cycle runs")
        rows, _ = pd.dump()
        dlqs = {r["fields"]["name"]: r["fields"] for r in rows.get("dlq", {}).values()}
        t.eq(sorted(dlqs), sorted(SOURCES), "poller: one dlq row per redrive target")
        for dlq, n in SOURCES.items():
            f = dlqs.get(dlq, {})
            try:
                got = json.loads(f.get("sources") or "null")
            except ValueError:
                got = f.get("sources")
            t.eq((sorted(got or []), f.get("nsources")), (sorted(fake.sources_of(dlq)), n),
                 f"poller: {dlq}'s row holds all {n} sources and says {n}")
        check_calls(fake, "poller")
        t.eq(len(rows.get("queue", {})), 25, "poller: all 25 queues over ListQueues' pages")
    finally:
        rc, stderr = pd.close()
        t.ok(rc == 0, "poll_dump exits 0", stderr[-2000:])


def main():
    with Moto() as moto, FakeSqs(estate(), page=PAGE) as fake:
        env = dict(aws_env(moto.endpoint), AWS_ENDPOINT_URL_SQS=fake.endpoint)
        sqs = boto3_clients(fake.endpoint, services=("sqs",))["sqs"]
        t.run("boto3 on the fake", with_boto3, fake, sqs)
        t.run("snapshot", with_snapshot, fake, moto, env)
        t.run("poller", with_poller, fake, env)


t.run("main", main)
t.done()
