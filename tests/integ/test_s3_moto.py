"""test_s3_moto.py - the s3 view's sources against moto, read back through the store and
compared with what boto3 reads from the same server.

tests/tools/poll_dump runs the console's poller with the s3 view on screen: the buckets and
their regions (a bucket in eu-west-1 beside us-east-1 ones), a prefix listed one level at a
time (folders and objects, keys with spaces, UTF-8, escape sequences and '../'), a prefix of
2500 keys paged only as far as the view asks (1000, then 2000, then all), an object's head,
tags and preview (JSON, gzip, binary), and a bucket that does not exist."""
import gzip
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from awsenv import Moto, aws_env, boto3_clients  # noqa: E402
from polldump import PollDump  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()
SEP = "\x1f"
HOSTILE = ["dir/with space.txt", "dir/caf\u00e9 \u65e5\u672c.txt", "dir/\x1b[2Jclear",
           "dir/\u202eevil.txt", "dir/../../etc/passwd"]
MANY = 2500


def list_key(bucket, prefix, want):
    return f"s3 L{want}{SEP}{bucket}{SEP}{prefix}"


def window_key(bucket, prefix, want, start, after=""):
    """A listing whose rows held start after key start (s3detail.h), relisting the page
    after after."""
    if not start and not after:
        return list_key(bucket, prefix, want)
    return f"s3 L{want}.{len(start.encode())}.{len(after.encode())}{SEP}{bucket}{SEP}{start}{after}{prefix}"


def object_key(bucket, key, version=""):
    return f"s3 O{SEP}{bucket}{SEP}{version}{SEP}{key}"


def boto_level(s3, bucket, prefix):
    """{key: entry} of one level, every page, as boto3 lists it."""
    out = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix,
                                                            Delimiter="/"):
        for p in page.get("CommonPrefixes", []):
            out[p["Prefix"]] = {"type": "prefix"}
        for o in page.get("Contents", []):
            out[o["Key"]] = {"type": "object", "size": o["Size"], "etag": o["ETag"],
                             "storage_class": o.get("StorageClass"),
                             "mtime": int(o["LastModified"].timestamp())}
    return out


def seed(s3):
    s3.create_bucket(Bucket="alpha")
    s3.create_bucket(Bucket="beta.dots",
                     CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    s3.put_object(Bucket="alpha", Key="top.json", Body=b'{"id":12345678901234567891,"ok":true}',
                  ContentType="application/json", Metadata={"team": "payments"},
                  Tagging="env=prod&owner=ops")
    s3.put_object(Bucket="alpha", Key="logs/2026/01/a.log", Body=b"a\n")
    s3.put_object(Bucket="alpha", Key="logs/b.log", Body=b"b\n")
    s3.put_object(Bucket="alpha", Key="data.json.gz", Body=gzip.compress(b'{"n":[1,2]}'))
    s3.put_object(Bucket="alpha", Key="blob.bin", Body=bytes(range(256)) * 300)
    for k in HOSTILE:
        s3.put_object(Bucket="alpha", Key=k, Body=b"x")
    for i in range(MANY):
        s3.put_object(Bucket="alpha", Key=f"many/k{i:05d}", Body=b"")
    s3.put_object(Bucket="beta.dots", Key="eu/one.txt", Body=b"hello from eu")
    s3.create_bucket(Bucket="versioned")
    s3.put_bucket_versioning(Bucket="versioned", VersioningConfiguration={"Status": "Enabled"})
    for body in (b"v1", b"v22", b"v333"):
        s3.put_object(Bucket="versioned", Key="doc.txt", Body=body)
    s3.delete_object(Bucket="versioned", Key="doc.txt")
    s3.put_object(Bucket="versioned", Key="doc.txt.bak", Body=b"other key, same prefix")


def main():
    with Moto() as moto:
        env = aws_env(moto.endpoint)
        s3 = boto3_clients(moto.endpoint, services=("s3",))["s3"]
        seed(s3)
        pd = PollDump(env)
        try:
            run(pd, s3)
        finally:
            rc, err = pd.close()
            t.eq(rc, 0, "poll_dump exits cleanly")
            if rc:
                t.diag(err[-2000:])
    t.done()


def run(pd, s3):
    t.eq(pd.cmd("view s3"), "ok", "the s3 view is on screen")
    pd.cmd("refresh")
    pd.run(1)  # the list, then the regions of the buckets it brought: one round
    rows, _ = pd.dump()
    buckets = rows.get("bucket", {})
    t.eq(sorted(buckets), sorted(b["Name"] for b in s3.list_buckets()["Buckets"]),
         "one bucket row per bucket ListBuckets returns")
    for name in ("alpha", "beta.dots"):
        want = s3.head_bucket(Bucket=name)["ResponseMetadata"]["HTTPHeaders"]["x-amz-bucket-region"]
        t.eq(buckets.get(name, {}).get("fields", {}).get("region"), want,
             f"{name}: its region as HeadBucket's x-amz-bucket-region says ({want})")

    # the top of a bucket: folders and objects of one level, hostile keys exact
    pd.cmd("detail " + list_key("alpha", "", 1000))
    pd.run(1)
    rows, _ = pd.dump()
    got = {k: r["fields"] for k, r in rows.get("s3obj", {}).items()}
    want = boto_level(s3, "alpha", "")
    t.eq(sorted(got), sorted(want), "the bucket's top level: the same folders and objects as boto3")
    bad = [k for k, w in want.items()
           if any(got.get(k, {}).get(f) != v for f, v in w.items())]
    t.eq(bad, [], "type, size, ETag, storage class and last modified as boto3 reads them")
    cur = rows["s3list"]["current"]["fields"]
    t.eq((cur["bucket"], cur["prefix"], cur["loaded"], cur["truncated"]),
         ("alpha", "", len(want), 0), "the listing row: what was listed, how many, no more")

    pd.cmd("detail " + list_key("alpha", "dir/", 1000))
    pd.run(1)
    rows, _ = pd.dump()
    t.eq(sorted(rows.get("s3obj", {})), sorted(boto_level(s3, "alpha", "dir/")),
         "keys with spaces, UTF-8, ESC and bidi arrive byte for byte, '../' as the folder S3 makes of it")
    t.ok("dir/../" in rows.get("s3obj", {}) and rows["s3obj"]["dir/../"]["fields"]["type"] == "prefix",
         "'dir/../' is a folder like any other (a name, never a path step)")

    # 2500 keys: a page at a time, only as far as the view asks
    expect = sorted(boto_level(s3, "alpha", "many/"))
    for want_n, loaded, more in ((1000, 1000, 1), (2000, 2000, 1), (3000, MANY, 0)):
        pd.cmd("detail " + list_key("alpha", "many/", want_n))
        pd.run(1)
        rows, _ = pd.dump()
        cur = rows["s3list"]["current"]["fields"]
        keys = sorted(rows.get("s3obj", {}))
        t.eq((cur["loaded"], cur["truncated"], len(keys)), (loaded, more, loaded),
             f"view wants {want_n}: {loaded} keys loaded, more exist: {bool(more)}")
        t.eq(keys, expect[:loaded], f"the first {loaded} keys in S3's order, none twice")
    t.eq(cur["pages"], 3, "three pages read in all, one per step: none read twice or ahead")
    window(pd, s3, expect)

    # a bucket in another region, with dots in its name
    pd.cmd("detail " + list_key("beta.dots", "eu/", 1000))
    pd.run(1)
    rows, _ = pd.dump()
    cur = rows["s3list"]["current"]
    t.eq((cur["fields"]["region"], sorted(rows.get("s3obj", {})), cur["stale"]),
         ("eu-west-1", ["eu/one.txt"], False), "beta.dots (eu-west-1) lists from its region")

    # an object: head, tags, preview
    pd.cmd("detail " + object_key("alpha", "top.json"))
    pd.run(1)
    rows, _ = pd.dump()
    h = rows["s3head"]["current"]["fields"]
    bh = s3.head_object(Bucket="alpha", Key="top.json")
    tags = {x["Key"]: x["Value"] for x in s3.get_object_tagging(Bucket="alpha", Key="top.json")["TagSet"]}
    t.eq((h["key"], h["size"], h["content_type"], h["etag"], json.loads(h["metadata"])),
         ("top.json", bh["ContentLength"], bh["ContentType"], bh["ETag"], bh["Metadata"]),
         "HeadObject: size, content type, ETag and metadata as boto3 reads them")
    t.eq(json.loads(h["tags"] or "null"), tags, "the object's tags")
    t.eq((h["preview_kind"], h["preview_cut"]), ("json", 0), "a JSON object previews as JSON, whole")
    t.ok("12345678901234567891" in (h["preview"] or ""), "a 64-bit id in the preview is exact")

    pd.cmd("detail " + object_key("alpha", "data.json.gz"))
    pd.run(1)
    h = pd.dump()[0]["s3head"]["current"]["fields"]
    t.eq((h["preview_kind"], h["preview"]), ("gzip, json", '{\n  "n": [\n    1,\n    2\n  ]\n}'),
         "a gzip object is inflated for its preview")

    pd.cmd("detail " + object_key("alpha", "blob.bin"))
    pd.run(1)
    h = pd.dump()[0]["s3head"]["current"]["fields"]
    t.eq((h["preview_kind"], h["preview_cut"], h["size"]), ("binary", 1, 256 * 300),
         "a binary object: a hex dump of its first 64 KiB, said to be cut")
    t.eq(h["preview"].splitlines()[1][:57],
         "00000010  10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f",
         "the hex dump's second line: offset and bytes")

    # versions of one key, delete marker included, not those of a key it is a prefix of
    pd.cmd(f"detail s3 V{SEP}versioned{SEP}doc.txt")
    pd.run(1)
    rows, _ = pd.dump()
    got = [(r["fields"]["version_id"], r["fields"]["delete_marker"], r["fields"]["size"],
            r["fields"]["latest"]) for _, r in sorted(rows.get("s3ver", {}).items())]
    lv = s3.list_object_versions(Bucket="versioned", Prefix="doc.txt")
    want = sorted([(v["VersionId"], 0, v["Size"], int(v["IsLatest"]), v["LastModified"])
                   for v in lv.get("Versions", []) if v["Key"] == "doc.txt"] +
                  [(m["VersionId"], 1, None, int(m["IsLatest"]), m["LastModified"])
                   for m in lv.get("DeleteMarkers", []) if m["Key"] == "doc.txt"],
                  key=lambda x: x[4], reverse=True)
    t.eq(sorted(got), sorted(w[:4] for w in want),
         "ListObjectVersions: the key's three versions and its delete marker, as boto3 lists them")
    t.eq(rows["s3verlist"]["current"]["fields"]["count"], 4, "four entries, doc.txt.bak's not among them")
    vid = [w for w in want if w[1] == 0][-1][0]   # the oldest version
    pd.cmd("detail " + object_key("versioned", "doc.txt", vid))
    pd.run(1)
    h = pd.dump()[0]["s3head"]["current"]["fields"]
    t.eq((h["version"], h["version_id"], h["preview"]), (vid, vid, "v1"),
         "an old version opens with its own head and content")

    # a bucket that does not exist: the listing says why, nothing shows as empty
    pd.cmd("detail " + list_key("no-such-bucket-here", "", 1000))
    pd.run(1)
    rows, _ = pd.dump()
    cur = rows["s3list"]["current"]
    t.eq((cur["fields"]["bucket"], cur["fields"]["loaded"], cur["stale"]),
         ("no-such-bucket-here", None, True), "a missing bucket: never read, stale with an error")
    t.ok("NoSuchBucket" in (cur["error"] or "") or "404" in (cur["error"] or "") or
         "not exist" in (cur["error"] or ""), "the error names the missing bucket: %r" % cur["error"])


def window(pd, s3, expect):
    """The window: moved on past the first page, those rows go; moved back, that page is
    read again and the end cut; paging on from the cut end; the shown page listed again."""
    def step(key, what):
        pd.cmd("detail " + key)
        pd.run(1)
        rows, _ = pd.dump()
        return rows["s3list"]["current"]["fields"], sorted(rows.get("s3obj", {})), rows

    cur, keys, _ = step(window_key("alpha", "many/", 2000, expect[999]), "on")
    t.eq((keys, cur["skipped"], cur["truncated"], cur["from"]),
         (expect[1000:], 1000, 0, expect[999]),
         "the window moved on a page: the first 1000 keys let go, the rest held, no more on S3")
    cur, keys, _ = step(window_key("alpha", "many/", 2000, ""), "back")
    t.eq((keys, cur["skipped"], cur["truncated"]), (expect[:2000], 0, 1),
         "moved back: the first page read again, the window's end cut to 2000, more on S3")
    cur, keys, _ = step(window_key("alpha", "many/", 3000, ""), "on from the cut end")
    t.eq((keys, cur["truncated"]), (expect, 0),
         "paging on after the cut end starts after the last key held: every key once")
    # another client drops a key into the second page and deletes one from it
    s3.put_object(Bucket="alpha", Key="many/k01500x", Body=b"new")
    s3.delete_object(Bucket="alpha", Key="many/k01600")
    pd.cmd("refresh")
    cur, keys, rows = step(window_key("alpha", "many/", 3000, "", expect[999]), "relist")
    now = sorted(boto_level(s3, "alpha", "many/"))
    t.ok("many/k01500x" in keys and "many/k01600" not in keys and keys == now,
         "the shown page listed again: the new key appears, the deleted one goes, the rest "
         "as boto3 lists", f"{len(keys)} keys, {len(now)} on S3")
    s3.delete_object(Bucket="alpha", Key="many/k01500x")
    s3.put_object(Bucket="alpha", Key="many/k01600", Body=b"")


main()
