"""test_s3_get.py - `opsdeck s3 get s3://BUCKET/KEY [PATH]` against moto: the object
streamed to disk, verified, resumable, and never written outside the chosen directory.

- A 200 MB object (random bytes made here, never committed) is downloaded and compared by
  SHA-256 with boto3's download_file of the same object; the file is 0600, no .part is
  left, and the result says the size and the MD5 were verified.
- A multipart object (ETag "...-2") is verified by size, and the result says there is no
  MD5 to check; --version-id fetches an older version of a versioned object.
- Keys with "../", an absolute key, "..", a key ending in "/", escapes and a bidi override
  land inside the chosen directory under a safe name, and nothing appears beside it.
- An existing file is refused (exit 2) and left as it was.
- Resume: a run killed while the relay holds its answer half-way leaves PATH.part; the next
  run asks for the rest with Range (seen by the relay) and the result is the same bytes.
- A .part whose bytes are not the object's, and a body altered on the way (one byte
  flipped by the relay, which boto3 also reads), fail with an MD5 mismatch: exit 1, one
  line with the cause and the fix, nothing left behind.
- A missing key: exit 1, one line naming s3:GetObject and the fix."""
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from awsenv import Moto, aws_env, boto3_clients  # noqa: E402
from console import OPSDECK  # noqa: E402
from s3relay import S3Relay  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()
BIG = 200 * 1000 * 1000
BUCKET = "getbucket"


def sha(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            b = f.read(1 << 20)
            if not b:
                return h.hexdigest()
            h.update(b)


def make_big(path):
    """BIG bytes, random in every MiB (so a misplaced range shows), written in pieces."""
    with open(path, "wb") as f:
        left = BIG
        while left:
            n = min(left, 1 << 20)
            f.write(os.urandom(n))
            left -= n


def get(env, *args, endpoint=None):
    e = dict(env)
    if endpoint:
        e["AWS_ENDPOINT_URL"] = endpoint
    p = subprocess.run([OPSDECK, *( ["--endpoint-url", endpoint] if endpoint else []),
                        "s3", "get", *args], env=e, stdin=subprocess.DEVNULL,
                       capture_output=True, timeout=900)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def one_line(err):
    return len([ln for ln in err.splitlines() if ln.startswith("opsdeck: ")
                and "region of bucket" not in ln]) == 1


def big_cases(env, s3, moto, work):
    src = os.path.join(work, "big.src")
    make_big(src)
    with open(src, "rb") as f:
        s3.put_object(Bucket=BUCKET, Key="dumps/big.bin", Body=f)
    want = sha(src)
    os.unlink(src)   # the only copies now: moto's, and the downloads
    ref = os.path.join(work, "boto3.bin")
    s3.download_file(BUCKET, "dumps/big.bin", ref)
    t.eq(sha(ref), want, "boto3's download_file of the 200 MB object is the uploaded bytes")

    out = os.path.join(work, "out")
    os.mkdir(out)
    rc, _, err = get(env, f"s3://{BUCKET}/dumps/big.bin", out)
    path = os.path.join(out, "big.bin")
    t.ok(rc == 0 and os.path.exists(path), "s3 get into a directory: exit 0, the key's name "
         "in it", f"{rc} {err}")
    t.eq(sha(path) if os.path.exists(path) else "", sha(ref),
         "the 200 MB download has the SHA-256 of boto3's download")
    t.eq(oct(os.stat(path).st_mode & 0o777) if os.path.exists(path) else "", "0o600",
         "the file is 0600")
    t.ok(not os.path.exists(path + ".part"), "no .part left", str(os.listdir(out)))
    t.ok("size and MD5 verified" in err and "190.7 MiB" in err,
         "the result line says the size and that the MD5 was verified", err)

    # killed half-way (the relay holds the answer after 60 MB), then resumed with Range
    dest = os.path.join(work, "resumed.bin")
    with S3Relay(moto.endpoint) as relay:
        relay.hold_after = 60 << 20
        e = dict(env, AWS_ENDPOINT_URL=relay.endpoint)
        p = subprocess.Popen([OPSDECK, "--endpoint-url", relay.endpoint, "s3", "get",
                              f"s3://{BUCKET}/dumps/big.bin", dest], env=e,
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
        held = relay.wait_held()
        t.ok(held, "the relay holds the GetObject answer after 60 MB", str(relay.log))
        # what reached the file before the hold is written once curl hands it over
        part = dest + ".part"
        os.kill(p.pid, signal.SIGKILL)
        p.wait(timeout=60)
        p.stderr.close()
        relay.release()
        have = os.path.getsize(part) if os.path.exists(part) else -1
        t.ok(0 < have <= 60 << 20, "a killed run leaves DEST.part with what it had received",
             f"{have}")
        t.ok(not os.path.exists(dest), "and no DEST: only a verified file gets the name")
        relay.seen.clear()
        rc, _, err = get(env, f"s3://{BUCKET}/dumps/big.bin", dest, endpoint=relay.endpoint)
        ranges = [r for (m, p, r) in relay.seen if m == "GET" and "big.bin" in p]
        t.eq(ranges, [f"bytes={have}-"], "the next run asks only for the rest (Range from the "
             ".part's end)")
        t.ok(rc == 0 and f"resumed from {have} bytes" in err, "and says it resumed", err)
        t.eq(sha(dest) if os.path.exists(dest) else "", sha(ref),
             "the resumed download has the SHA-256 of boto3's download")
    os.unlink(dest)

    # a .part that is not the object's start: the MD5 says so
    with open(ref, "rb") as f:
        head = bytearray(f.read(10 << 20))
    head[12345] ^= 0x55
    with open(dest + ".part", "wb") as f:
        f.write(head)
    rc, _, err = get(env, f"s3://{BUCKET}/dumps/big.bin", dest)
    t.ok(rc == 1 and "MD5 mismatch" in err and "download again" in err and one_line(err),
         "a corrupt .part resumed: exit 1, MD5 mismatch and the fix in one line", f"{rc} {err}")
    t.ok(not os.path.exists(dest) and not os.path.exists(dest + ".part"),
         "and neither the file nor the bad .part is left", str(os.listdir(work)))
    os.unlink(ref)


def small_cases(env, s3, moto, work):
    body = os.urandom(3 << 20)
    s3.put_object(Bucket=BUCKET, Key="small.bin", Body=body)

    # altered on the way: the relay flips one byte; boto3 reads the relay's answers too
    with S3Relay(moto.endpoint) as relay:
        b3 = boto3_clients(relay.endpoint, services=("s3",))["s3"]
        got = b3.get_object(Bucket=BUCKET, Key="small.bin")["Body"].read()
        t.ok(got == body, "boto3 reads the object through the relay as it is")
        relay.tamper = True
        try:
            b3.get_object(Bucket=BUCKET, Key="small.bin")["Body"].read()
            why = "boto3 took it"
        except Exception as e:  # botocore's checksum error
            why = f"{type(e).__name__}: {e}"
        t.ok("checksum" in why.lower(), "boto3 rejects the tampered answer too (its checksum)",
             why)
        dest = os.path.join(work, "tampered.bin")
        rc, _, err = get(env, f"s3://{BUCKET}/small.bin", dest, endpoint=relay.endpoint)
        t.ok(rc == 1 and "MD5 mismatch" in err and one_line(err),
             "a body altered on the way: exit 1, MD5 mismatch in one line", f"{rc} {err}")
        t.ok(not os.path.exists(dest) and not os.path.exists(dest + ".part"),
             "nothing is left of the altered download", str(os.listdir(work)))

    # multipart: no MD5 in the ETag, the size is what is checked
    mp = s3.create_multipart_upload(Bucket=BUCKET, Key="multi.bin")
    p1, p2 = os.urandom(5 << 20), os.urandom(1 << 20)
    parts = []
    for i, data in enumerate((p1, p2), 1):
        r = s3.upload_part(Bucket=BUCKET, Key="multi.bin", UploadId=mp["UploadId"],
                           PartNumber=i, Body=data)
        parts.append({"PartNumber": i, "ETag": r["ETag"]})
    s3.complete_multipart_upload(Bucket=BUCKET, Key="multi.bin", UploadId=mp["UploadId"],
                                 MultipartUpload={"Parts": parts})
    dest = os.path.join(work, "multi.bin")
    rc, _, err = get(env, f"s3://{BUCKET}/multi.bin", dest)
    with open(dest, "rb") if os.path.exists(dest) else open(os.devnull, "rb") as f:
        t.ok(rc == 0 and f.read() == p1 + p2, "a multipart object: exit 0, its bytes",
             f"{rc} {err}")
    t.ok("size verified; a multipart ETag has no MD5" in err,
         "the result says only the size could be verified", err)

    # versions
    s3.create_bucket(Bucket="getversions")
    s3.put_bucket_versioning(Bucket="getversions",
                             VersioningConfiguration={"Status": "Enabled"})
    v1 = s3.put_object(Bucket="getversions", Key="conf.json", Body=b'{"v": 1}')["VersionId"]
    s3.put_object(Bucket="getversions", Key="conf.json", Body=b'{"v": 2}')
    dest = os.path.join(work, "v1.json")
    rc, _, err = get(env, "s3://getversions/conf.json", dest, "--version-id", v1)
    with open(dest, "rb") if os.path.exists(dest) else open(os.devnull, "rb") as f:
        t.eq((rc, f.read()), (0, b'{"v": 1}'), "--version-id: that version's bytes")

    # an existing file is never replaced
    with open(dest, "wb") as f:
        f.write(b"mine")
    rc, _, err = get(env, "s3://getversions/conf.json", dest)
    with open(dest, "rb") as f:
        t.ok(rc == 2 and "exists" in err and f.read() == b"mine",
             "an existing file: exit 2, said, and left as it was", f"{rc} {err}")

    rc, _, err = get(env, f"s3://{BUCKET}/no/such/key", os.path.join(work, "nothing"))
    t.ok(rc == 1 and "s3:GetObject" in err and "not found" in err and one_line(err),
         "a missing key: exit 1, one line naming s3:GetObject and the fix", f"{rc} {err}")
    rc, _, err = get(env, f"s3://{BUCKET}/small.bin", os.path.join(work, "ro.bin"))
    rc2, _, err2 = get(dict(env), "--read-only", f"s3://{BUCKET}/small.bin",
                       os.path.join(work, "ro2.bin"))
    t.ok(rc == 0 and rc2 == 0, "--read-only allows a download (a read)", f"{err} {err2}")


HOSTILE = {
    "../../escape.txt": "escape.txt",
    "/abs/evil.sh": "evil.sh",
    "dir/..": "download",
    "sub/folder/": "download",
    "x/\x1b[2Jclear\u202eevil.txt": "_[2Jclear_evil.txt",
    "..": "download",
}


def hostile_cases(env, s3, work):
    outer = os.path.join(work, "outer")
    inner = os.path.join(outer, "chosen")
    os.makedirs(inner)
    for key, name in HOSTILE.items():
        s3.put_object(Bucket=BUCKET, Key=key, Body=key.encode("utf-8"))
        rc, _, err = get(env, f"s3://{BUCKET}/{key}", inner)
        path = os.path.join(inner, name)
        ok = rc == 0 and os.path.exists(path)
        with open(path, "rb") if ok else open(os.devnull, "rb") as f:
            t.ok(ok and f.read() == key.encode("utf-8"),
                 f"key {key!r} saved inside the chosen directory as {name!r}", f"{rc} {err}")
        if ok:
            os.unlink(path)
        t.ok("\x1b" not in err and "\u202e" not in err, f"key {key!r}: stderr escapes it", err)
    t.eq(sorted(os.listdir(outer)), ["chosen"], "nothing was written beside the chosen directory")


def main():
    work = tempfile.mkdtemp(prefix="opsdeck-s3get-")
    try:
        with Moto() as moto:
            env = aws_env(moto.endpoint)
            env.pop("OPSDECK_SCRIPT", None)
            s3 = boto3_clients(moto.endpoint, services=("s3",))["s3"]
            s3.create_bucket(Bucket=BUCKET)
            hostile_cases(env, s3, work)
            small_cases(env, s3, moto, work)
            big_cases(env, s3, moto, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    t.done()


main()
