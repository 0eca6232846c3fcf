"""test_console_s3.py - the s3 view in the real console, headless (keys from an
OPSDECK_SCRIPT, the screen dumped as text), against moto.

Buckets with their regions (us-east-1 and eu-west-1) at 80x24; Enter into a bucket: folders
first, then objects with sizes and classes as boto3 reads them; `:s3 BUCKET/PREFIX` straight
into a folder of hostile keys, shown escaped; an object opened: its head and a JSON preview;
Backspace up with the cursor back on the folder; a 6000-key prefix at 120x40 that says
how much is loaded and that more exists, then more after G, and scrolled to its end holds a
window of 5000 (entries 1001-6000, none more on S3), then g back to its first key; `/` then Enter in it asks S3 for a prefix (keys the loaded page never held),
Esc goes back to the folder's listing. In tmux: objects put and deleted by another client
appear and go while the console stays in the folder (the shown page is listed again)."""
import os
import sys
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from awsenv import Moto, aws_env, boto3_clients  # noqa: E402
from console import OPSDECK, Script, Tmux, console_env, run_script, write_app_config  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()
MANY = 6000


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
    with ThreadPoolExecutor(8) as ex:
        list(ex.map(lambda i: s3.put_object(Bucket="alpha", Key=f"many/k{i:05d}", Body=b""),
                    range(MANY)))


def row_with(d, text):
    for i, line in enumerate(d):
        if text in line:
            return i, line
    return -1, ""


def main():
    with Moto() as moto:
        env = console_env(moto.endpoint, aws_env(moto.endpoint))
        s3 = boto3_clients(moto.endpoint, services=("s3",), max_pool=8)["s3"]
        seed(s3)
        browse(env, s3)
        many(env)
        to_the_end(env)
        server_prefix(env, s3)
        relist(env, s3)
    t.done()


def browse(env, s3):
    s = (Script().refresh().keys("5").refresh().dump("buckets")
         .keys("<Enter>").refresh().dump("top")
         .keys(":s3 alpha/dir/<Enter>").refresh().dump("dir")
         .keys("G<Enter>").refresh().dump("object")
         .keys("h").keys("h").refresh().dump("up"))
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
    s = (Script().refresh().keys(":s3 alpha/many/<Enter>").refresh().dump("first")
         .keys("G").refresh().dump("more"))
    r = run_script(env, s, 120, 40)
    first = r.dumps.get("first") or []
    more = r.dumps.get("more") or []
    t.ok(any("1000 loaded, more on S3" in x for x in first[:3]),
         "a 2500-key prefix opens with one page: 1000 loaded, more on S3", "\n".join(first))
    t.ok(any("2000 loaded, more on S3" in x for x in more[:3]),
         "G at the end of what is loaded brings the next page", "\n".join(more))


def to_the_end(env):
    """G until the last key: a window of 5000 held, which entries they are, none more on
    S3, the last key shown; then g back up: the first page read again, the first key."""
    s = Script().refresh().keys(":s3 alpha/many/<Enter>").refresh()
    for _ in range(MANY // 1000 + 1):
        s.keys("G")
    s.dump("end")
    s.keys("g").keys("g").dump("top")
    r = run_script(env, s, 120, 40)
    end = r.dumps.get("end") or []
    held = f"5000 loaded, all (entries {MANY - 5000 + 1}-{MANY})"
    t.ok(any(held in x for x in end[:3]),
         f"scrolled to the end: {held}", "\n".join(end))
    t.ok(any(f"k{MANY - 1:05d}" in x for x in end[-8:]),
         f"the cursor's end of the list is the prefix's last key k{MANY - 1:05d}", "\n".join(end))
    top = r.dumps.get("top") or []
    t.ok(any("k00000" in x for x in top[2:6]) and not any("entries" in x for x in top[:3]),
         "g back up: the window moves back to the prefix's first key", "\n".join(top))


def server_prefix(env, s3):
    """`/k024` filters the 1000 loaded keys (none match); Enter asks S3 for many/k024."""
    want = [o["Key"] for o in s3.list_objects_v2(Bucket="alpha", Prefix="many/k024",
                                                 Delimiter="/").get("Contents", [])]
    s = (Script().refresh().keys(":s3 alpha/many/<Enter>").refresh()
         .keys("/k024").refresh().dump("typed")
         .keys("<Enter>").refresh().dump("server")
         .keys("G").refresh().dump("server_end")
         .keys("<Esc>").refresh().dump("cleared"))
    r = run_script(env, s, 120, 40)
    t.ok(r.rc == 0, "the prefix script ran and quit cleanly", f"rc {r.rc}: {r.stderr[-1500:]}")
    typed = "\n".join(r.dumps.get("typed") or [])
    t.ok("no match for /k024 among the 1000 loaded" in typed,
         "typing filters only what is loaded: the first page holds no k024", typed)
    server = r.dumps.get("server") or []
    head = "\n".join(server[:3])
    t.ok("s3://alpha/many/k024*" in head and "server-side prefix" in head
         and f"{len(want)} loaded, all" in head,
         f"Enter: S3 lists the prefix many/k024 ({len(want)} keys, as boto3 lists), "
         "the breadcrumb says it is server-side", "\n".join(server))
    first = want[0][len("many/"):]
    t.ok(len(want) == 100 and any(first in x for x in server[1:6]),
         f"its first key {first} is on screen", "\n".join(server))
    last = want[-1][len("many/"):]
    end = r.dumps.get("server_end") or []
    t.ok(any(last in x for x in end), f"and G reaches its last key {last}", "\n".join(end))
    cleared = r.dumps.get("cleared") or []
    head = "\n".join(cleared[:3])
    t.ok("server-side" not in head and "1000 loaded, more on S3" in head
         and "s3://alpha/many/" in head
         and any(x.lstrip().startswith("k00") for x in cleared[3:]),
         "Esc: the folder's own listing again, from its first page", "\n".join(cleared))


def relist(env, s3):
    """In a real terminal, the console in alpha/logs/: another client puts logs/b.log and
    deletes logs/a.log; the rows follow without a key pressed (the s3 interval is 1 s)."""
    env = dict(env)
    env.pop("OPSDECK_TEST_NOW", None)
    write_app_config(env, "[intervals]\ns3 = 1\n")
    try:
        with Tmux() as tm:
            tm.start(env, [OPSDECK, "--view", "s3"], cols=100, rows=30)
            tm.keys(":s3 alpha/logs/", "Enter")
            ok, rows = tm.wait_for(lambda rs: any("1 loaded, all" in r for r in rs[:3])
                                   and any("a.log" in r for r in rs))
            t.ok(ok and not any("b.log" in r for r in rows),
                 "the folder opens with a.log alone", "\n".join(rows))
            s3.put_object(Bucket="alpha", Key="logs/b.log", Body=b"batch output\n")
            ok, rows = tm.wait_for(lambda rs: any("b.log" in r for r in rs))
            t.ok(ok and any("2 loaded, all" in r for r in rows[:3]),
                 "an object put by another client appears in the open folder", "\n".join(rows))
            s3.delete_object(Bucket="alpha", Key="logs/a.log")
            ok, rows = tm.wait_for(lambda rs: not any("a.log" in r for r in rs))
            t.ok(ok and any("b.log" in r for r in rows)
                 and any("1 loaded, all" in r for r in rows[:3]),
                 "an object deleted by another client goes", "\n".join(rows))
            tm.keys(":q", "Enter")
            st = tm.wait_exit()
            t.ok(st.get("rc") == 0, "the console quits cleanly", str(st))
    finally:
        s3.put_object(Bucket="alpha", Key="logs/a.log", Body=b"a\n")
        s3.delete_object(Bucket="alpha", Key="logs/b.log")
        write_app_config(env, "")


main()
