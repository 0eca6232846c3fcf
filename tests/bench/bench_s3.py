#!/usr/bin/env python3
"""bench_s3.py - opening a prefix of 100 000 keys, side by side:

  (a) opsdeck: the s3 view's listing source (tests/tools/poll_dump, the console's poller
      and store): the time until the first page (1000 keys, what the first screen needs)
      is in the store
  (b) the console itself, headless (OPSDECK_SCRIPT): started, `:s3 BUCKET/PREFIX/`, its
      first screen of keys, quit (the time to the first row, start-up included); then
      `:s3 BUCKET/PREFIX/` and G until the last key, as a user holding G would: its wall
      time and peak RSS (the store's window and the view's table)
  (c) `aws s3 ls s3://BUCKET/PREFIX/` (every page, printed)
  (d) `aws s3api list-objects-v2 --bucket B --prefix P --max-items 1000` (the first page)
      and without --max-items (every page, JSON)

Wall time around each process, peak RSS from /usr/bin/time -f %M (poll_dump's own VmHWM
from /proc). One fresh moto (one Python process serving one request at a time: much of the
wall time is moto's). Figures are printed as a Markdown table.

Seeding: --seed direct (the default) runs moto's server in this process and puts the keys
into its S3 backend directly (seconds for 100 000 keys); --seed http puts them with 16
threads of boto3 put_object against a moto server process (about 10 minutes for 100 000 on
a busy 2-core machine). The listing is served over HTTP either way.

    python3 tests/bench/bench_s3.py [--keys 100000] [--seed direct|http] [--poll-dump PATH]
        [--opsdeck PATH]
"""
import argparse
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
from awsenv import Moto, aws_cli_argv, aws_env, boto3_clients, free_port  # noqa: E402
from console import Script, console_env  # noqa: E402

SEP = "\x1f"


def seed(endpoint, n):
    s3 = boto3_clients(endpoint, services=("s3",), max_pool=16)["s3"]
    s3.create_bucket(Bucket="bench")

    def put(i):
        s3.put_object(Bucket="bench", Key=f"many/k{i:06d}", Body=b"")
    with ThreadPoolExecutor(16) as ex:
        list(ex.map(put, range(n)))


class InProcessMoto:
    """moto's threaded server in this process, so its backend can be seeded directly."""

    def __enter__(self):
        from moto.server import ThreadedMotoServer
        logging.getLogger("werkzeug").setLevel(logging.ERROR)   # no line per request
        self.port = free_port()
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self.server.start()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        return self

    def __exit__(self, *exc):
        self.server.stop()


def seed_direct(endpoint, n):
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.s3.models import s3_backends
    s3 = boto3_clients(endpoint, services=("s3",))["s3"]
    s3.create_bucket(Bucket="bench")
    backend = s3_backends[DEFAULT_ACCOUNT_ID]["aws"]
    for i in range(n):
        backend.put_object("bench", f"many/k{i:06d}", b"")


def console(opsdeck, endpoint, env, n, to_end=True):
    """The console headless: the prefix opened, then (to_end) G until every key is loaded;
    without to_end, the process from its start to the first screen of keys, then quit."""
    d = tempfile.mkdtemp(prefix="opsdeck-bench-")
    # a script line runs once nothing is being polled: each G waits for the page it asked
    s = Script().keys(":s3 bench/many/<Enter>")
    for _ in range(n // 1000 + 1 if to_end else 0):
        s.keys("G")
    s.dump("end")
    path = os.path.join(d, "script")
    with open(path, "w", encoding="utf-8") as f:
        f.write(s.text())
    e = dict(console_env(endpoint, env, 120, 40), OPSDECK_SCRIPT=path, COLUMNS="120",
             LINES="40")
    try:
        wall, rss, _, rc = timed([os.path.abspath(opsdeck)], e, cwd=d)
        if not os.path.exists(os.path.join(d, "end.txt")):
            return wall, rss, rc, "(no screen dumped)"
        with open(os.path.join(d, "end.txt"), encoding="utf-8", errors="replace") as f:
            top = f.read().split("\n")[:3]
    finally:
        shutil.rmtree(d, ignore_errors=True)
    return wall, rss, rc, " / ".join(x.strip() for x in top if "loaded" in x)


def timed(argv, env, cwd=None):
    """(wall seconds, peak RSS KiB, stdout bytes) of one process under /usr/bin/time."""
    t0 = time.monotonic()
    p = subprocess.run(["/usr/bin/time", "-f", "%M", *argv], env=env, capture_output=True,
                       cwd=cwd, stdin=subprocess.DEVNULL)
    wall = time.monotonic() - t0
    err = p.stderr.decode(errors="replace").strip().splitlines()
    rss = int(err[-1]) if err and err[-1].isdigit() else -1
    if p.returncode != 0:
        print("# " + " ".join(argv[:2]) + ": " + " | ".join(err[-5:]), flush=True)
    return wall, rss, len(p.stdout), p.returncode


def opsdeck(poll_dump, env):
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
    finally:
        p.stdin.write("quit\n")
        p.stdin.flush()
        p.wait(timeout=60)
    return first, rss_first


def vmhwm(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return -1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--keys", type=int, default=100000)
    ap.add_argument("--seed", choices=("direct", "http"), default="direct")
    ap.add_argument("--poll-dump", default=os.path.join(
        os.environ.get("TOP_BUILDDIR", "build"), "tests", "tools", "poll_dump"))
    ap.add_argument("--opsdeck", default=os.path.join(
        os.environ.get("TOP_BUILDDIR", "build"), "opsdeck"))
    a = ap.parse_args()
    with (InProcessMoto() if a.seed == "direct" else Moto()) as moto:
        env = aws_env(moto.endpoint)
        t0 = time.monotonic()
        (seed_direct if a.seed == "direct" else seed)(moto.endpoint, a.keys)
        print(f"# seeded {a.keys} keys ({a.seed}) in {time.monotonic() - t0:.0f} s", flush=True)
        first, rss1 = opsdeck(a.poll_dump, env)
        rows = [("opsdeck s3 listing source (first page, after a whole poll round of the "
                 "s3 view's sources)", first, rss1)]
        wall, rss, rc, said = console(a.opsdeck, moto.endpoint, env, a.keys, to_end=False)
        print(f"# the console's first screen: {said}", flush=True)
        rows.append(("opsdeck console: started, :s3 BUCKET/PREFIX/, first screen of keys, "
                     "quit" + ("" if rc == 0 else f" (exit {rc})"), wall, rss))
        wall, rss, rc, said = console(a.opsdeck, moto.endpoint, env, a.keys)
        print(f"# the console after G to the end: {said}", flush=True)
        rows.append(("opsdeck console: :s3 then G to the last key (store + table)"
                     + ("" if rc == 0 else f" (exit {rc})"), wall, rss))
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
