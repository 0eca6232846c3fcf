#!/usr/bin/env python3
"""bench_snapshot.py - what it costs to take stock of 1000 SQS queues, side by side:

  (a) opsdeck snapshot --json
  (b) the aws CLI as a user would script it: list-queues, then get-queue-attributes
      --attribute-names All for each queue in a sequential shell loop
  (c) a sequential boto3 script doing the same

All three talk to the same fresh moto through one counting reverse proxy (countproxy.py),
so requests are counted the same way for each. Wall time is measured around the process;
CPU time is the user+sys seconds of the client process and every process it waited for
(the whole loop of CLI processes), i.e. the client's own cost whatever the backend; peak
RSS is the largest single process's maximum resident set. Both come from
/usr/bin/time -f '%M %U %S', else from getrusage(RUSAGE_CHILDREN) deltas.

    python3 tests/bench/bench_snapshot.py [--opsdeck PATH] [--queues 1000]
                                          [--latency-ms N] [--cli-sample N] [--out results.md]

--latency-ms N makes the proxy wait N ms per request before forwarding (concurrent requests
wait in parallel), to model a region N ms away: moto serves one request at a time (~5 ms,
one Python process), so at 0 ms every client's wall time is mostly moto's.

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
    """Runs argv; returns (status, wall seconds, peak RSS in KiB or None, CPU user+sys
    seconds or None, stdout, stderr). CPU covers the process and the descendants it waited
    for (wait4 rusage), so a shell loop's figure includes every CLI process it ran."""
    res_file = None
    if TIME:
        fd, res_file = tempfile.mkstemp(prefix="bench-rss-")
        os.close(fd)
        argv = [TIME, "-q", "-f", "%M %U %S", "-o", res_file] + argv
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    p = subprocess.run(argv, env=env, stdout=stdout, stderr=subprocess.PIPE, text=True,
                       stdin=subprocess.DEVNULL, check=False)
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    rss = cpu = None
    if res_file:
        try:
            with open(res_file, encoding="ascii") as f:
                # the last line is ours; time(1) puts "Command exited with..." above it
                lines = [x.split() for x in f.read().splitlines() if x.strip()]
            if lines and len(lines[-1]) == 3:
                rss = int(lines[-1][0])
                cpu = float(lines[-1][1]) + float(lines[-1][2])
        finally:
            os.unlink(res_file)
    if cpu is None:
        # This process's children are only the ones run here, one at a time: the delta is
        # this child's CPU (time(1) itself, if used, costs a millisecond or so).
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if rss is None:
        # ru_maxrss of children is a high-water mark over all children so far: only
        # meaningful when this child raised it, which we report; otherwise unknown.
        rss = after.ru_maxrss if after.ru_maxrss > before.ru_maxrss else None
    return p.returncode, wall, rss, cpu, p.stdout, p.stderr


def bench_opsdeck(opsdeck, args, proxy, env):
    row = {"tool": "opsdeck " + " ".join(args)}
    if not opsdeck or not os.access(opsdeck, os.X_OK):
        row["unavailable"] = f"no executable at {opsdeck!r}"
        return row
    proxy.reset()
    st, wall, rss, cpu, out, err = run_measured([opsdeck] + args, env)
    reqs, actions = proxy.snapshot()
    if st != 0:
        row["unavailable"] = f"exit status {st}: {err.strip().splitlines()[-1] if err.strip() else ''}"
        return row
    try:
        json.loads(out)
    except ValueError:
        row["unavailable"] = "its output is not JSON"
        return row
    row.update(wall=wall, requests=reqs, rss_kb=rss, cpu=cpu, actions=actions)
    return row


def bench_cli(proxy, env, nqueues, sample):
    row = {"tool": "aws CLI (list-queues + get-queue-attributes per queue)"}
    if not shutil.which("aws"):
        row["unavailable"] = "aws CLI not installed"
        return row
    proxy.reset()
    st, wall_list, rss1, cpu_list, out, err = run_measured(
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
        st, wall_loop, rss2, cpu_loop, _, err = run_measured(["bash", "-c", script + f" < {shlex.quote(listing)}"], env)
    finally:
        os.unlink(listing)
    reqs, actions = proxy.snapshot()
    if st != 0:
        row["unavailable"] = f"get-queue-attributes loop failed: {err.strip()[-300:]}"
        return row
    total = len(urls)
    per_call_reqs = (reqs - actions.get("ListQueues", 0)) / n if n else 0
    measured = {"queues": n, "wall": wall_list + wall_loop, "requests": reqs,
                "cpu": cpu_list + cpu_loop, "invocations": 1 + n}
    if n < total:
        # wall, CPU and requests scale with the number of CLI processes; the figures
        # actually measured are kept beside the extrapolation and printed with it.
        row["extrapolated"] = f"from {n} of {total} queues"
        wall = wall_list + wall_loop / n * total
        cpu = cpu_list + cpu_loop / n * total
        reqs = actions.get("ListQueues", 0) + round(per_call_reqs * total)
    else:
        wall = wall_list + wall_loop
        cpu = cpu_list + cpu_loop
    row.update(wall=wall, requests=reqs, cpu=cpu,
               rss_kb=max(x for x in (rss1, rss2, 0) if x is not None) or None,
               actions=actions, invocations=1 + total, measured=measured)
    return row


def bench_boto3(proxy, env):
    row = {"tool": "boto3, sequential script"}
    proxy.reset()
    st, wall, rss, cpu, out, err = run_measured([sys.executable, "-c", BOTO3_SCRIPT, proxy.endpoint], env)
    reqs, actions = proxy.snapshot()
    if st != 0:
        row["unavailable"] = f"exit status {st}: {err.strip()[-300:]}"
        return row
    row.update(wall=wall, requests=reqs, rss_kb=rss, cpu=cpu, actions=actions,
               queues_read=int(out.strip() or 0))
    return row


def table(rows, nqueues, latency_ms, moto_version):
    lat = (f"+{latency_ms:g} ms per request added by the proxy (a region {latency_ms:g} ms away)"
           if latency_ms else "no added latency (moto-bound)")
    lines = [f"Inventory of {nqueues} SQS queues in moto {moto_version} on 127.0.0.1, "
             f"{lat}; requests counted by one reverse proxy for all tools", "",
             "| tool | wall s | requests | CPU s (user+sys) | peak RSS MB | note |",
             "|---|---:|---:|---:|---:|---|"]
    for r in rows:
        if "unavailable" in r:
            lines.append(f"| {r['tool']} | – | – | – | – | unavailable: {r['unavailable']} |")
            continue
        rss = f"{r['rss_kb'] / 1024:.1f}" if r.get("rss_kb") else "?"
        cpu = f"{r['cpu']:.2f}" if r.get("cpu") is not None else "?"
        note = []
        if r.get("extrapolated"):
            m = r["measured"]
            note.append(f"EXTRAPOLATED linearly {r['extrapolated']} (measured: "
                        f"{m['invocations']} CLI processes, {m['requests']} requests, "
                        f"{m['wall']:.2f} s wall, {m['cpu']:.2f} s CPU)")
        if r.get("invocations"):
            note.append(f"{r['invocations']} CLI processes")
        top = sorted(r.get("actions", {}).items(), key=lambda kv: -kv[1])[:4]
        note.append(("sampled: " if r.get("extrapolated") else "")
                    + ", ".join(f"{k} {v}" for k, v in top))
        wall = f"{r['wall']:.2f}" + ("*" if r.get("extrapolated") else "")
        if r.get("extrapolated"):
            cpu += "*"
        lines.append(f"| {r['tool']} | {wall} | {r['requests']} | {cpu} | {rss} | {'; '.join(note)} |")
    lines.append("")
    lines.append("(* extrapolated)" if any(r.get("extrapolated") for r in rows) else "")
    ops = rows[0] if rows and "unavailable" not in rows[0] else None
    if ops:
        for r in rows[1:]:
            if "unavailable" in r:
                continue
            mark = " (EXTRAPOLATED)" if r.get("extrapolated") else ""
            ratio = f"- {r['tool']} / opsdeck: wall {r['wall'] / ops['wall']:.2f}x"
            if ops.get("cpu") and r.get("cpu") is not None:
                ratio += f", CPU {r['cpu'] / ops['cpu']:.1f}x"
            lines.append(ratio + " (above 1: opsdeck cheaper)" + mark)
    return "\n".join(lines) + "\n"


def machine():
    """What the figures were measured on, and how busy it was when they were."""
    out = [f"nproc {os.cpu_count()}"]
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            kb = int(f.readline().split()[1])
        out.append(f"MemTotal {kb / 1048576:.1f} GiB")
    except (OSError, ValueError, IndexError):
        pass
    out.append("load average %.2f %.2f %.2f" % os.getloadavg())
    try:
        import boto3
        import botocore
        out.append(f"boto3 {boto3.__version__}, botocore {botocore.__version__}")
    except ImportError:
        pass
    if shutil.which("aws"):
        v = subprocess.run(["aws", "--version"], capture_output=True, text=True, check=False)
        out.append((v.stdout or v.stderr).strip())
    return "; ".join(out)


def main():
    ap = argparse.ArgumentParser(description="opsdeck vs aws CLI vs boto3 on 1000 queues")
    ap.add_argument("--opsdeck", default=os.environ.get("OPSDECK"), help="opsdeck binary ($OPSDECK)")
    ap.add_argument("--opsdeck-args", default="snapshot --json")
    ap.add_argument("--queues", type=int, default=1000)
    ap.add_argument("--cli-sample", type=int, default=0,
                    help="time only N get-queue-attributes calls and extrapolate (0: all)")
    ap.add_argument("--latency-ms", type=float, default=0.0,
                    help="proxy waits N ms per request before forwarding (models a region)")
    ap.add_argument("--skip-cli", action="store_true")
    ap.add_argument("--out", help="also write the table as markdown here")
    a = ap.parse_args()

    if a.latency_ms < 0:
        ap.error("--latency-ms must be >= 0")
    started = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    host = machine()
    with Moto() as moto, CountProxy(moto.endpoint, a.latency_ms) as proxy:
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
    try:
        import moto as moto_pkg
        moto_version = moto_pkg.__version__
    except (ImportError, AttributeError):
        moto_version = "?"
    md = table(rows, len(seeded["queues"]), a.latency_ms, moto_version)
    host += "; at the end: load average %.2f %.2f %.2f" % os.getloadavg()
    md += (f"\nRun {started}; {host}. CPU and peak RSS from "
           f"{TIME + ' -f %M %U %S' if TIME else 'getrusage(RUSAGE_CHILDREN)'}.\n"
           f"Command: {' '.join(shlex.quote(x) for x in sys.argv)}\n")
    print(md)
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            f.write(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
