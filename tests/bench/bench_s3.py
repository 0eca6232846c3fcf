#!/usr/bin/env python3
"""bench_s3.py - opening a prefix of 100 000 keys, side by side:

  (a) opsdeck: the s3 view's listing source (tests/tools/poll_dump, the console's poller
      and store): the time until the first page (1000 keys, what the first screen needs)
      is in the store, then the time and peak RSS after the whole prefix was paged in, as a
      user holding G would
  (b) `aws s3 ls s3://BUCKET/PREFIX/` (every page, printed)
  (c) `aws s3api list-objects-v2 --bucket B --prefix P --max-items 1000` (the first page)
      and without --max-items (every page, JSON)

Wall time around each process, peak RSS from /usr/bin/time -f %M (poll_dump's own VmHWM
from /proc). One fresh moto (one Python process serving one request at a time: much of the
wall time is moto's). Figures are printed as a Markdown table.

    python3 tests/bench/bench_s3.py [--keys 100000] [--poll-dump PATH]
"""
import argparse
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
from awsenv import Moto, aws_cli_argv, aws_env, boto3_clients  # noqa: E402

SEP = "\x1f"


def seed(endpoint, n):
    s3 = boto3_clients(endpoint, services=("s3",), max_pool=16)["s3"]
    s3.create_bucket(Bucket="bench")

    def put(i):
        s3.put_object(Bucket="bench", Key=f"many/k{i:06d}", Body=b"")
    with ThreadPoolExecutor(16) as ex:
        list(ex.map(put, range(n)))


def timed(argv, env):
    """(wall seconds, peak RSS KiB, stdout bytes) of one process under /usr/bin/time."""
    t0 = time.monotonic()
    p = subprocess.run(["/usr/bin/time", "-f", "%M", *argv], env=env, capture_output=True)
    wall = time.monotonic() - t0
    rss = int(p.stderr.decode().strip().splitlines()[-1])
    return wall, rss, len(p.stdout), p.returncode


def opsdeck(poll_dump, env, n):
    p = subprocess.Popen([poll_dump, "--interval", "3600"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, env=dict(env, OPSDECK_MAX_ATTEMPTS="1"),
                         text=True)

    def cmd(line):
        p.stdin.write(line + "\n")
        p.stdin.flush()
        return p.stdout.readline()

    try:
        cmd("view s3")
        t0 = time.monotonic()
        cmd(f"detail s3 L1000{SEP}bench{SEP}many/")
        cmd("run 1")
        first = time.monotonic() - t0
        rss_first = vmhwm(p.pid)
        want = 1000
        while want < n:  # one page per step; the last step brings the last page
            want += 1000
            cmd(f"detail s3 L{want}{SEP}bench{SEP}many/")
            cmd("run 1")
        whole = time.monotonic() - t0
        rss_whole = vmhwm(p.pid)
    finally:
        p.stdin.write("quit\n")
        p.stdin.flush()
        p.wait(timeout=60)
    return first, rss_first, whole, rss_whole


def vmhwm(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return -1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--keys", type=int, default=100000)
    ap.add_argument("--poll-dump", default=os.path.join(
        os.environ.get("TOP_BUILDDIR", "build"), "tests", "tools", "poll_dump"))
    a = ap.parse_args()
    with Moto() as moto:
        env = aws_env(moto.endpoint)
        t0 = time.monotonic()
        seed(moto.endpoint, a.keys)
        print(f"# seeded {a.keys} keys in {time.monotonic() - t0:.0f} s", flush=True)
        first, rss1, whole, rss2 = opsdeck(a.poll_dump, env, a.keys)
        rows = [("opsdeck s3 view (first page: the first screen)", first, rss1),
                ("opsdeck s3 view (all pages, as holding G)", whole, rss2)]
        for name, argv in (
                ("aws s3api list-objects-v2 --max-items 1000 (first page)",
                 ["s3api", "list-objects-v2", "--bucket", "bench", "--prefix", "many/",
                  "--delimiter", "/", "--max-items", "1000"]),
                ("aws s3 ls (all pages)", ["s3", "ls", "s3://bench/many/"]),
                ("aws s3api list-objects-v2 (all pages)",
                 ["s3api", "list-objects-v2", "--bucket", "bench", "--prefix", "many/",
                  "--delimiter", "/"])):
            wall, rss, out, rc = timed(aws_cli_argv(moto.endpoint, *argv), env)
            rows.append((name + ("" if rc == 0 else f" (exit {rc})"), wall, rss))
        print(f"| {a.keys} keys in one prefix (moto) | wall s | peak RSS MB |")
        print("|---|---:|---:|")
        for name, wall, rss in rows:
            print(f"| {name} | {wall:.2f} | {rss / 1024:.1f} |")


main()
