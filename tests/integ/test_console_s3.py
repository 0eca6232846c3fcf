"""test_console_s3.py - the s3 view in the real console, headless (keys from an
OPSDECK_SCRIPT, the screen dumped as text), against moto.

Buckets with their regions (us-east-1 and eu-west-1) at 80x24; Enter into a bucket: folders
first, then objects with sizes and classes as boto3 reads them; `:s3 BUCKET/PREFIX` straight
into a folder of hostile keys, shown escaped; an object opened: its head and a JSON preview;
Backspace up with the cursor back on the folder; and a 2500-key prefix at 120x40 that says
how much is loaded and that more exists, then more after G."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from awsenv import Moto, aws_env, boto3_clients  # noqa: E402
from console import Script, console_env, run_script  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()
MANY = 2500


def seed(s3):
    s3.create_bucket(Bucket="alpha")
    s3.create_bucket(Bucket="beta.dots",
                     CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    s3.put_object(Bucket="alpha", Key="top.json", Body=b'{"id":12345678901234567891}',
                  ContentType="application/json")
    s3.put_object(Bucket="alpha", Key="logs/a.log", Body=b"a\n")
    s3.put_object(Bucket="alpha", Key="dir/\x1b[2Jclear", Body=b"x")
    s3.put_object(Bucket="alpha", Key="dir/\u202eevil.txt", Body=b"x")
    s3.put_object(Bucket="alpha", Key="dir/caf\u00e9.txt", Body=b"x" * 1536)
    for i in range(MANY):
        s3.put_object(Bucket="alpha", Key=f"many/k{i:05d}", Body=b"")


def row_with(d, text):
    for i, line in enumerate(d):
        if text in line:
            return i, line
    return -1, ""


def main():
    with Moto() as moto:
        env = console_env(moto.endpoint, aws_env(moto.endpoint))
        s3 = boto3_clients(moto.endpoint, services=("s3",))["s3"]
        seed(s3)
        browse(env, s3)
        many(env)
    t.done()


def browse(env, s3):
    s = (Script().wait().keys("5").wait().dump("buckets")
         .keys("<Enter>").wait().dump("top")
         .keys(":s3 alpha/dir/<Enter>").wait().dump("dir")
         .keys("G<Enter>").wait().dump("object")
         .keys("h").keys("h").wait().dump("up"))
    r = run_script(env, s, 80, 24)
    t.ok(r.rc == 0, "the console ran the script and quit cleanly", f"rc {r.rc}: {r.stderr[-1500:]}")
    b = r.dumps.get("buckets") or []
    for name in ("alpha", "beta.dots"):
        region = s3.head_bucket(Bucket=name)["ResponseMetadata"]["HTTPHeaders"]["x-amz-bucket-region"]
        y, line = row_with(b, name)
        t.ok(y > 0 and region in line, f"bucket {name} listed with its region {region}",
             "\n".join(b))
    top = r.dumps.get("top") or []
    y0, _ = row_with(top, "s3://alpha/")
    t.ok(y0 >= 0 and "4 loaded, all" in top[y0] + top[y0 + 1] if y0 >= 0 else False,
         "the breadcrumb and how much is loaded", "\n".join(top))
    yd, _ = row_with(top, "dir/")
    yl, _ = row_with(top, "logs/")
    yt, tl = row_with(top, "top.json")
    size = s3.head_object(Bucket="alpha", Key="top.json")["ContentLength"]
    t.ok(0 < yd < yl < yt and f"{size} B" in tl and "STANDARD" in tl,
         f"folders first, then top.json with its size ({size} B) and class", "\n".join(top))
    d = r.dumps.get("dir") or []
    screen = "\n".join(d)
    t.ok("\\x1B[2Jclear" in screen and "\x1b" not in screen and "\u202e" not in screen,
         "hostile keys are escaped, never sent to the terminal", screen)
    y, line = row_with(d, "caf\u00e9.txt")
    t.ok(y > 0 and "1.5 KiB" in line, "a UTF-8 key as it is, with its size in binary units",
         screen)
    o = r.dumps.get("object") or []
    screen = "\n".join(o)
    t.ok("Size" in screen and "Storage class" in screen and "Preview (text)" in screen,
         "an object opens with its head and a preview", screen)
    u = r.dumps.get("up") or []
    y, line = row_with(u, "dir/")
    t.ok(u and u[1].startswith("s3://alpha/") and y > 0,
         "h twice: back at the bucket's top, the folder it came from listed", "\n".join(u))


def many(env):
    s = (Script().wait().keys(":s3 alpha/many/<Enter>").wait().dump("first")
         .keys("G").wait().dump("more"))
    r = run_script(env, s, 120, 40)
    first = r.dumps.get("first") or []
    more = r.dumps.get("more") or []
    t.ok(any("1000 loaded, more on S3" in x for x in first[:3]),
         "a 2500-key prefix opens with one page: 1000 loaded, more on S3", "\n".join(first))
    t.ok(any("2000 loaded, more on S3" in x for x in more[:3]),
         "G at the end of what is loaded brings the next page", "\n".join(more))


main()
