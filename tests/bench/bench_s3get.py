#!/usr/bin/env python3
"""bench_s3get.py - downloading one 200 MB object from moto, side by side, in one run:

  (a) opsdeck s3 get s3://bench-get/big.bin PATH   (the body streamed to PATH.part)
  (b) aws s3 cp s3://bench-get/big.bin PATH        (the aws CLI installed here)
  (c) boto3 download_file in a fresh python3        (s3transfer, its default settings)

Each is one fresh process under /usr/bin/time -f "%M %e": peak RSS (KiB) and wall time.
The object is random bytes made here (never committed) and put in one request (a
single-part ETag, so opsdeck also checks the MD5); each download is compared with the
object by SHA-256, so a figure is never printed for a wrong file. One moto serves all
three: much of the wall time is moto's. Figures are printed as a Markdown table.

    python3 tests/bench/bench_s3get.py [--mb 200] [--opsdeck PATH]
"""
import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
from awsenv import Moto, aws_cli_argv, aws_env, boto3_clients  # noqa: E402

BOTO3 = """
import sys, boto3
from botocore.config import Config
s3 = boto3.client("s3", endpoint_url=sys.argv[1], config=Config(s3={"addressing_style": "path"}))
s3.download_file("bench-get", "big.bin", sys.argv[2])
"""


def sha(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


def timed(argv, env):
    p = subprocess.run(["/usr/bin/time", "-f", "%M %e", *argv], env=env, capture_output=True)
    rss, wall = p.stderr.decode().strip().splitlines()[-1].split()
    return int(rss), float(wall), p.returncode, p.stderr.decode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=int, default=200)
    ap.add_argument("--opsdeck", default=os.environ.get("OPSDECK", "opsdeck"))
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="bench-s3get-")
    try:
        with Moto() as m:
            env = aws_env(m.endpoint)
            s3 = boto3_clients(m.endpoint, services=("s3",))["s3"]
            s3.create_bucket(Bucket="bench-get")
            src = os.path.join(work, "src")
            with open(src, "wb") as f:
                for _ in range(a.mb):
                    f.write(os.urandom(1000 * 1000))
            want = sha(src)
            with open(src, "rb") as f:
                s3.put_object(Bucket="bench-get", Key="big.bin", Body=f)
            os.unlink(src)
            runs = [
                ("opsdeck s3 get", [a.opsdeck, "s3", "get", "s3://bench-get/big.bin",
                                    os.path.join(work, "opsdeck.bin")], "opsdeck.bin"),
                ("aws s3 cp", aws_cli_argv(m.endpoint, "s3", "cp", "--only-show-errors",
                                           "s3://bench-get/big.bin",
                                           os.path.join(work, "cli.bin")), "cli.bin"),
                ("boto3 download_file", [sys.executable, "-c", BOTO3, m.endpoint,
                                         os.path.join(work, "boto3.bin")], "boto3.bin"),
            ]
            print(f"| {a.mb} MB object from moto | peak RSS | wall | SHA-256 |")
            print("|---|---:|---:|---|")
            for name, argv, out in runs:
                rss, wall, rc, err = timed(argv, env)
                path = os.path.join(work, out)
                ok = rc == 0 and os.path.exists(path) and sha(path) == want
                print(f"| {name} | {rss / 1024:.1f} MB | {wall:.1f} s | "
                      f"{'same' if ok else 'WRONG: ' + err[-200:]} |")
                if os.path.exists(path):
                    os.unlink(path)
    finally:
        shutil.rmtree(work, ignore_errors=True)


main()
