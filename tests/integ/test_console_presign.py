"""test_console_presign.py - `u` in the s3 view: a presigned GET URL, made in the console
(headless, keys from an OPSDECK_SCRIPT) against moto.

- On an object of a hostile key (ESC[2J, U+202E) at 80x24: the form asks the expiry
  (default 1h) and says the limit; Enter signs; the box shows the URL and the result line,
  the terminal gets the URL with OSC 52; the URL fetched with urllib returns the object's
  bytes (the signature is right for moto) and names the key exactly (percent-encoded), while
  the screen shows it escaped and never sends ESC or U+202E to the terminal.
- An expiry past S3's 7 days is refused by the form, and nothing is copied.
- --read-only still allows it: presigning sends nothing."""
import base64
import os
import re
import sys
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from awsenv import Moto, aws_env, boto3_clients  # noqa: E402
from console import Script, console_env, run_script  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()
KEY = "dir/\x1b[2Jclear \u202eevil.txt"
BODY = b"the payload \x00\x01\xff bytes"
OSC52 = re.compile(rb"\x1b\]52;c;([A-Za-z0-9+/=]*)\x07")


def copied(r):
    """Every text the console put on the clipboard, decoded."""
    return [base64.b64decode(m.group(1)).decode("utf-8", "replace")
            for m in OSC52.finditer(r.stdout or b"")]


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as resp:
        return resp.status, resp.read()


def sign(env, label, args=()):
    s = (Script().wait().keys(":s3 alpha/dir/<Enter>").wait().dump("list")
         .keys("u").wait().dump("form")
         .keys("<Enter>").wait().dump("url"))
    r = run_script(env, s, 80, 24, args=args)
    t.ok(r.rc == 0, f"{label}: the console ran the script and quit cleanly",
         f"rc {r.rc}: {r.stderr[-1500:]}")
    return r


def main():
    with Moto() as moto:
        env = console_env(moto.endpoint, aws_env(moto.endpoint))
        s3 = boto3_clients(moto.endpoint, services=("s3",))["s3"]
        s3.create_bucket(Bucket="alpha")
        s3.put_object(Bucket="alpha", Key=KEY, Body=BODY)

        r = sign(env, "80x24")
        form = "\n".join(r.dumps.get("form") or [])
        t.ok("Valid for" in form and "1h" in form and "7d" in form,
             "u opens the form: the expiry, 1h by default, and the 7-day limit said", form)
        urls = [u for u in copied(r) if "X-Amz-Signature=" in u]
        t.ok(len(urls) == 1, "the URL went to the terminal with OSC 52",
             repr((r.stdout or b"")[-600:]))
        url = urls[0] if urls else ""
        parts = urllib.parse.urlsplit(url)
        q = urllib.parse.parse_qs(parts.query)
        t.ok(urllib.parse.unquote(parts.path).endswith("/" + KEY) and "%1B" in parts.path,
             "the URL names the hostile key exactly, percent-encoded", url)
        t.eq(q.get("X-Amz-Expires"), ["3600"], "valid for the default hour")
        status, got = fetch(url) if url else (0, b"")
        t.ok(status == 200 and got == BODY,
             "urllib fetches the URL from moto: the object's bytes (the signature is right)",
             f"{status} {got!r}")
        screen = "\n".join(r.dumps.get("url") or [])
        t.ok("X-Amz-Signature" in screen and "valid 1h" in screen,
             "the box shows the URL (wrapped) and how long it is valid", screen)
        whole = "\n".join("\n".join(r.dumps.get(n) or []) for n in ("list", "form", "url"))
        t.ok("\x1b" not in whole and "\u202e" not in whole and "\\x1B[2J" in whole,
             "the key is escaped on screen, never sent to the terminal", whole)

        # past S3's limit: the form says so, nothing is signed
        s = (Script().wait().keys(":s3 alpha/dir/<Enter>").wait()
             .keys("u").wait().keys("<C-u>8d<Enter>").wait().dump("refused"))
        r = run_script(env, s, 80, 24)
        screen = "\n".join(r.dumps.get("refused") or [])
        t.ok("at most 7d" in screen, "8d is refused: the form names S3's 7-day limit", screen)
        t.ok(not [u for u in copied(r) if "X-Amz-Signature=" in u], "and nothing is copied")

        # read-only: presigning sends nothing, so it is allowed
        r = sign(env, "--read-only", args=("--read-only",))
        urls = [u for u in copied(r) if "X-Amz-Signature=" in u]
        status, got = fetch(urls[0]) if urls else (0, b"")
        t.ok(status == 200 and got == BODY, "--read-only: u still makes a URL that works",
             "\n".join(r.dumps.get("url") or []))
    t.done()


main()
