#!/usr/bin/env python3
"""bench_snapshot.py - what it costs to take stock of 1000 SQS queues, side by side:

  (a) opsdeck snapshot --json
  (b) the aws CLI as a user would script it: list-queues, then get-queue-attributes
      --attribute-names All for each queue in a sequential shell loop
  (c) a sequential boto3 script doing the same

All three talk to the same fresh moto through one counting reverse proxy (countproxy.py),
so requests are counted the same way for each. Wall time is measured around the process;
peak RSS is the largest single process's maximum resident set (/usr/bin/time -f %M, else
getrusage(RUSAGE_CHILDREN)).

    python3 tests/bench/bench_snapshot.py [--opsdeck PATH] [--queues 1000]
                                          [--cli-sample N] [--out results.md]

--cli-sample N times list-queues plus N get-queue-attributes calls and extrapolates the loop
linearly to every queue; the table then says "extrapolated". Nothing is invented: a tool
that cannot run is reported as unavailable, with the reason.
"""
import argparse
import json
import os
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
sys.path.insert(0, HERE)
from awsenv import Moto, aws_cli_argv, aws_env  # noqa: E402
from countproxy import CountProxy  # noqa: E402
from seed import seed_queues  # noqa: E402

TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None

BOTO3_SCRIPT = r"""
import sys, boto3
from botocore.config import Config
sqs = boto3.client("sqs", endpoint_url=sys.argv[1], config=Config(proxies={}))
urls = sqs.list_queues(MaxResults=1000).get("QueueUrls", [])
n = 0
for u in urls:
    sqs.get_queue_attributes(QueueUrl=u, AttributeNames=["All"])
    n += 1
print(n)
"""


def run_measured(argv, env, stdout=subprocess.PIPE):
    """Runs argv; returns (status, wall seconds, peak RSS in KiB or None, stdout, stderr)."""
    rss_file = None
    if TIME:
        fd, rss_file = tempfile.mkstemp(prefix="bench-rss-")
        os.close(fd)
        argv = [TIME, "-q", "-f", "%M", "-o", rss_file] + argv
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.monotonic()
    p = subprocess.run(argv, env=env, stdout=stdout, stderr=subprocess.PIPE, text=True,
                       stdin=subprocess.DEVNULL, check=False)
    wall = time.monotonic() - t0
    rss = None
    if rss_file:
        try:
            with open(rss_file, encoding="ascii") as f:
                lines = [x for x in f.read().split() if x.isdigit()]
            rss = int(lines[-1]) if lines else None
        finally:
            os.unlink(rss_file)
    else:
        # ru_maxrss of children is a high-water mark over all children so far: only
        # meaningful when this child raised it, which we report; otherwise unknown.
        after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        rss = after if after > before else None
    return p.returncode, wall, rss, p.stdout, p.stderr


def bench_opsdeck(opsdeck, args, proxy, env):
    row = {"tool": "opsdeck " + " ".join(args)}
    if not opsdeck or not os.access(opsdeck, os.X_OK):
        row["unavailable"] = f"no executable at {opsdeck!r}"
        return row
    proxy.reset()
    st, wall, rss, out, err = run_measured([opsdeck] + args, env)
    reqs, actions = proxy.snapshot()
    if st != 0:
        row["unavailable"] = f"exit status {st}: {err.strip().splitlines()[-1] if err.strip() else ''}"
        return row
    try:
        json.loads(out)
    except ValueError:
        row["unavailable"] = "its output is not JSON"
        return row
    row.update(wall=wall, requests=reqs, rss_kb=rss, actions=actions)
    return row


def bench_cli(proxy, env, nqueues, sample):
    row = {"tool": "aws CLI (list-queues + get-queue-attributes per queue)"}
    if not shutil.which("aws"):
        row["unavailable"] = "aws CLI not installed"
        return row
    proxy.reset()
    st, wall_list, rss1, out, err = run_measured(
        aws_cli_argv(proxy.endpoint, "sqs", "list-queues", "--output", "text",
                     "--query", "QueueUrls[]"), env)
    if st != 0:
        row["unavailable"] = f"list-queues failed: {err.strip()[-300:]}"
        return row
    urls = out.split()
    n = len(urls) if not sample else min(sample, len(urls))
    # The loop as a user writes it: one CLI process per queue, one after the other.
    cli = " ".join(shlex.quote(a) for a in aws_cli_argv(proxy.endpoint))
    script = (f"while read -r u; do {cli} sqs get-queue-attributes --queue-url \"$u\" "
              f"--attribute-names All >/dev/null || exit 1; done")
    fd, listing = tempfile.mkstemp(prefix="bench-urls-")
    with os.fdopen(fd, "w") as f:
        f.write("\n".join(urls[:n]) + "\n")
    try:
        st, wall_loop, rss2, _, err = run_measured(["bash", "-c", script + f" < {shlex.quote(listing)}"], env)
    finally:
        os.unlink(listing)
    reqs, actions = proxy.snapshot()
    if st != 0:
        row["unavailable"] = f"get-queue-attributes loop failed: {err.strip()[-300:]}"
        return row
    total = len(urls)
    per_call_reqs = (reqs - actions.get("ListQueues", 0)) / n if n else 0
    if n < total:
        row["extrapolated"] = f"from {n} of {total} queues"
        wall = wall_list + wall_loop / n * total
        reqs = actions.get("ListQueues", 0) + round(per_call_reqs * total)
    else:
        wall = wall_list + wall_loop
    row.update(wall=wall, requests=reqs, rss_kb=max(x for x in (rss1, rss2, 0) if x is not None) or None,
               actions=actions, invocations=1 + total)
    return row


def bench_boto3(proxy, env):
    row = {"tool": "boto3, sequential script"}
    proxy.reset()
    st, wall, rss, out, err = run_measured([sys.executable, "-c", BOTO3_SCRIPT, proxy.endpoint], env)
    reqs, actions = proxy.snapshot()
    if st != 0:
        row["unavailable"] = f"exit status {st}: {err.strip()[-300:]}"
        return row
    row.update(wall=wall, requests=reqs, rss_kb=rss, actions=actions, queues_read=int(out.strip() or 0))
    return row


def table(rows, nqueues):
    lines = [f"Inventory of {nqueues} SQS queues in moto 5.2.1 on 127.0.0.1 "
             f"(requests counted by one reverse proxy for all tools)", "",
             "| tool | wall s | requests | peak RSS MB | note |", "|---|---:|---:|---:|---|"]
    for r in rows:
        if "unavailable" in r:
            lines.append(f"| {r['tool']} | – | – | – | unavailable: {r['unavailable']} |")
            continue
        rss = f"{r['rss_kb'] / 1024:.1f}" if r.get("rss_kb") else "?"
        note = []
        if r.get("extrapolated"):
            note.append(f"EXTRAPOLATED linearly {r['extrapolated']}")
        if r.get("invocations"):
            note.append(f"{r['invocations']} CLI processes")
        top = sorted(r.get("actions", {}).items(), key=lambda kv: -kv[1])[:4]
        note.append(", ".join(f"{k} {v}" for k, v in top))
        lines.append(f"| {r['tool']} | {r['wall']:.2f} | {r['requests']} | {rss} | {'; '.join(note)} |")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description="opsdeck vs aws CLI vs boto3 on 1000 queues")
    ap.add_argument("--opsdeck", default=os.environ.get("OPSDECK"), help="opsdeck binary ($OPSDECK)")
    ap.add_argument("--opsdeck-args", default="snapshot --json")
    ap.add_argument("--queues", type=int, default=1000)
    ap.add_argument("--cli-sample", type=int, default=0,
                    help="time only N get-queue-attributes calls and extrapolate (0: all)")
    ap.add_argument("--skip-cli", action="store_true")
    ap.add_argument("--out", help="also write the table as markdown here")
    a = ap.parse_args()

    with Moto() as moto, CountProxy(moto.endpoint) as proxy:
        t0 = time.monotonic()
        seeded = seed_queues(moto.endpoint, a.queues)
        print(f"seeded {len(seeded['queues'])} queues in {time.monotonic() - t0:.1f} s "
              f"(moto {moto.endpoint}, proxy {proxy.endpoint})", file=sys.stderr)
        env = aws_env(proxy.endpoint)
        rows = [bench_opsdeck(a.opsdeck, shlex.split(a.opsdeck_args), proxy, env)]
        print(f"opsdeck: {rows[-1].get('unavailable') or 'done'}", file=sys.stderr)
        if not a.skip_cli:
            rows.append(bench_cli(proxy, env, a.queues, a.cli_sample))
            print("aws CLI: done", file=sys.stderr)
        rows.append(bench_boto3(proxy, env))
    md = table(rows, len(seeded["queues"]))
    md += f"\nPeak RSS measured with {'/usr/bin/time -f %M' if TIME else 'getrusage(RUSAGE_CHILDREN)'}.\n"
    print(md)
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            f.write(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
