#!/usr/bin/env python3
"""bench_snapshot_ab.py - two builds of `opsdeck snapshot --json`, alternated on one estate.

Runs A and B in turns (ABAB..., then BABA.. from the second round, so neither always goes
first) against the same moto seeded with N queues, through one counting proxy
(countproxy.py, optional modelled latency), and prints each one's median, minimum and every
wall time, and the requests it made. --timeline also prints, for the last run of each, when
each action was first and last sent (seconds from the start): where a change moved a call.

    python3 tests/bench/bench_snapshot_ab.py A_OPSDECK B_OPSDECK [--queues 1000]
        [--latency-ms 20] [--runs 7] [--timeline]

A is typically a build of the commit before a change, B the build after it. The machine's
load moves single runs by seconds: compare medians of several rounds, never one run."""
import argparse
import collections
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
sys.path.insert(0, HERE)
from awsenv import Moto, aws_env  # noqa: E402
from countproxy import CountProxy  # noqa: E402
from seed import seed_queues  # noqa: E402


class TimedProxy(CountProxy):
    """A CountProxy that also notes when each action arrived."""

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.sent = []

    def _count(self, method, headers, path, body):
        super()._count(method, headers, path, body)
        target = headers.get("X-Amz-Target", "")
        if target:
            action = target.rsplit(".", 1)[-1]
        elif b"Action=" in body:
            action = body.split(b"Action=", 1)[1].split(b"&", 1)[0].decode("ascii", "replace")
        else:
            action = f"{method} {path.split('?', 1)[0]}"
        with self.lock:
            self.sent.append((time.monotonic(), action))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--queues", type=int, default=1000)
    ap.add_argument("--latency-ms", type=float, default=0.0)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--timeline", action="store_true")
    args = ap.parse_args()
    names = {args.a: "A " + args.a, args.b: "B " + args.b}
    walls, counts, lines = {args.a: [], args.b: []}, {}, {}
    cpus = {args.a: [], args.b: []}
    with Moto() as m:
        seed_queues(m.endpoint, args.queues)
        with TimedProxy(m.endpoint, latency_ms=args.latency_ms) as p:
            env = aws_env(p.endpoint)
            for i in range(args.runs):
                for opsdeck in (args.a, args.b) if i % 2 == 0 else (args.b, args.a):
                    p.reset()
                    p.sent.clear()
                    with tempfile.TemporaryFile() as err:
                        t0 = time.monotonic()
                        proc = subprocess.Popen([opsdeck, "snapshot", "--json"], env=env,
                                                stdout=subprocess.DEVNULL, stderr=err)
                        _, status, ru = os.wait4(proc.pid, 0)
                        walls[opsdeck].append(time.monotonic() - t0)
                        proc.returncode = os.waitstatus_to_exitcode(status)
                        if proc.returncode != 0:
                            err.seek(0)
                            sys.exit(f"{opsdeck} failed: {err.read().decode(errors='replace')}")
                    cpus[opsdeck].append(ru.ru_utime + ru.ru_stime)
                    counts[opsdeck] = p.count
                    first, last = collections.OrderedDict(), {}
                    for t, action in p.sent:
                        first.setdefault(action, t - t0)
                        last[action] = t - t0
                    lines[opsdeck] = " ".join(f"{a} {first[a]:.2f}-{last[a]:.2f}" for a in first)
    print(f"{args.queues} queues in moto, {args.latency_ms:g} ms modelled latency, "
          f"{args.runs} runs each, alternated")
    for opsdeck in (args.a, args.b):
        w = walls[opsdeck]
        print(f"{names[opsdeck]}: median {statistics.median(w):.2f} s, min {min(w):.2f} s, "
              f"{counts[opsdeck]} requests; runs {' '.join(f'{x:.2f}' for x in w)}")
        print(f"  CPU median {statistics.median(cpus[opsdeck]):.3f} s (runs "
              f"{' '.join(f'{x:.2f}' for x in cpus[opsdeck])})")
        if args.timeline:
            print(f"  sent (s): {lines[opsdeck]}")


if __name__ == "__main__":
    main()
