#!/usr/bin/env python3
"""bench_snapshot_boto3.py - `opsdeck snapshot --json` against a 16-thread boto3 script.

One estate in one moto (N queues as seed_queues() makes them, M SNS topics with one
subscription each), two backends, every tool alternated in each round:

  moto          moto itself, through the counting proxy (countproxy.py, no latency): moto's
                own few ms per request are the floor for every client;
  recorded+Lms  replay_backend.py: moto's answers recorded once (a warm-up run of every tool)
                and served from memory after L ms, so the backend is not the bottleneck and
                the client's concurrency is what counts.

Each tool is an opsdeck binary (several: a build before a change and one after) or "boto3"
(boto3_snapshot.py: the same calls, 16 threads). Prints per backend and tool the median and
minimum wall time of --runs runs, and the requests made; a replay run that had to ask moto
(a miss) says so.

    python3 tests/bench/bench_snapshot_boto3.py build/opsdeck [OLD_OPSDECK ...]
        [--queues 980] [--topics 130] [--latency-ms 20] [--runs 5]

The machine's load moves single runs by seconds: compare medians within one run of this
script, never across runs."""
import argparse
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
sys.path.insert(0, HERE)
from awsenv import Moto, aws_env  # noqa: E402
from countproxy import CountProxy  # noqa: E402
from replay_backend import ReplayBackend  # noqa: E402
from seed import seed_queues  # noqa: E402

BOTO3 = os.path.join(HERE, "boto3_snapshot.py")


def seed_topics(endpoint, n):
    import boto3
    sns = boto3.client("sns", endpoint_url=endpoint, region_name="us-east-1",
                       aws_access_key_id="testing", aws_secret_access_key="testing")

    def make(i):
        arn = sns.create_topic(Name=f"alerts-{i:03d}")["TopicArn"]
        sns.subscribe(TopicArn=arn, Protocol="email", Endpoint=f"oncall-{i:03d}@example.com")
    with ThreadPoolExecutor(8) as ex:
        list(ex.map(make, range(n)))


def argv_of(tool, endpoint):
    if tool == "boto3":
        return [sys.executable, BOTO3, endpoint]
    return [tool, "snapshot", "--json"]


def run_once(tool, backend, env):
    backend.reset()
    t0 = time.monotonic()
    r = subprocess.run(argv_of(tool, backend.endpoint), env=env, capture_output=True,
                       timeout=900)
    wall = time.monotonic() - t0
    if r.returncode != 0:
        sys.exit(f"{tool} failed: {r.stderr.decode(errors='replace')[-500:]}")
    return wall, backend.count, getattr(backend, "misses", 0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("opsdeck", nargs="+", help="opsdeck binaries to compare")
    ap.add_argument("--queues", type=int, default=980)
    ap.add_argument("--topics", type=int, default=130)
    ap.add_argument("--latency-ms", type=float, default=20.0)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    tools = list(args.opsdeck) + ["boto3"]
    lat = f"recorded+{args.latency_ms:g}ms"
    res = {(b, t): [] for b in ("moto", lat) for t in tools}
    reqs, misses = {}, {}
    with Moto() as m:
        seed_queues(m.endpoint, args.queues)
        seed_topics(m.endpoint, args.topics)
        with CountProxy(m.endpoint) as proxy, ReplayBackend(m.endpoint, args.latency_ms) as rb:
            envs = {"moto": aws_env(proxy.endpoint), lat: aws_env(rb.endpoint)}
            backends = {"moto": proxy, lat: rb}
            for t in tools:                      # the warm-up: records every answer
                run_once(t, rb, envs[lat])
            for i in range(args.runs):
                order = tools if i % 2 == 0 else tools[::-1]
                for b in ("moto", lat):
                    for t in order:
                        wall, n, miss = run_once(t, backends[b], envs[b])
                        res[(b, t)].append(wall)
                        reqs[(b, t)] = n
                        misses[(b, t)] = misses.get((b, t), 0) + miss
    print(f"{args.queues} queues and {args.topics} topics in one moto; {args.runs} runs "
          f"each, tools alternated; load average {os.getloadavg()[0]:.2f} at the end")
    print("| backend | tool | median s | min s | requests | runs s |")
    print("|---|---|---:|---:|---:|---|")
    for (b, t), w in res.items():
        name = "boto3, 16 threads" if t == "boto3" else f"opsdeck {t}"
        extra = f" ({misses[(b, t)]} misses)" if misses.get((b, t)) else ""
        print(f"| {b} | {name} | {statistics.median(w):.2f} | {min(w):.2f} | "
              f"{reqs[(b, t)]}{extra} | {' '.join(f'{x:.2f}' for x in w)} |")


if __name__ == "__main__":
    main()
