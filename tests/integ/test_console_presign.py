"""test_console_presign.py - `u` in the s3 view: a presigned GET URL, made in the console
(headless, keys from an OPSDECK_SCRIPT) against moto.

- On an object of a hostile key (ESC[2J, U+202E) at 80x24 in a real terminal (tmux,
  set-clipboard on): the form asks the expiry (default 1h) and says the limit; ^X signs;
  the box shows the URL and the result line, the terminal gets the URL with OSC 52 (tmux's
  buffer holds it); the URL fetched with urllib returns the object's bytes (the signature
  is right for moto) and names the key exactly (percent-encoded), while the screen shows
  it escaped and never sends ESC or U+202E to the terminal.
- An expiry past S3's 7 days is refused by the form, and nothing is copied.
- --read-only still allows it: presigning sends nothing.
- `opsdeck s3 presign s3://BUCKET/KEY [--expires D]`: the URL alone on stdout, fetched with
  urllib; --read-only allows it; 8d and a URL without a key are usage errors (exit 2)."""
import base64
import os
import re
import subprocess
import sys
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from awsenv import Moto, aws_env, boto3_clients  # noqa: E402
from console import OPSDECK, Script, Tmux, console_env, run_script  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()
KEY = "dir/\x1b[2Jclear \u202eevil.txt"
BODY = b"the payload \x00\x01\xff bytes"
OSC52 = re.compile(rb"\x1b\]52;c;([A-Za-z0-9+/=]*)\x07")


def copied(data):
    """Every text the console put on the clipboard, decoded."""
    return [base64.b64decode(m.group(1)).decode("utf-8", "replace")
            for m in OSC52.finditer(data)]


def box_url(rows):
    """The URL as the box shows it, wrapped over several rows: joined again."""
    out, on = "", False
    for line in rows or []:
        inner = line.strip().strip("\u2502").strip()
        if inner.startswith("http://"):
            on = True
        elif on and (not inner or line.strip().startswith("\u2514")):
            break
        if on:
            out += inner
    return out


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as resp:
        return resp.status, resp.read()


def sign(env, label, args=()):
    s = (Script().refresh().keys(":s3 alpha/dir/<Enter>").refresh().dump("list")
         .keys("u").refresh().dump("form")
         .keys("<C-x>").refresh().dump("url"))
    r = run_script(env, s, 80, 24, args=args)
    t.ok(r.rc == 0, f"{label}: the console ran the script and quit cleanly",
         f"rc {r.rc}: {r.stderr[-1500:]}")
    return r


def tmux_case(env):
    e = dict(env)
    for k in ("COLUMNS", "LINES", "OPSDECK_TEST_NOW", "OPSDECK_SCRIPT"):
        e.pop(k, None)
    with Tmux() as tm:
        tm.start(e, [OPSDECK, "--view", "s3"], 80, 24, gate=True)
        tm.tmux("set-option", "-g", "set-clipboard", "on")
        raw = tm.pipe_raw()
        tm.go()
        tm.wait_for("alpha")
        tm.text(":s3 alpha/dir/")
        tm.keys("Enter")
        ok, scr = tm.wait_for("1 loaded")
        tm.text("u")
        ok, scr = tm.wait_for("Valid for")
        tm.keys("C-x")
        ok, scr = tm.wait_for("copied the presigned URL")
        t.ok(ok, "80x24 tmux: ^X signs, the status line says the URL was copied", str(scr))
        with open(raw, "rb") as f:
            data = f.read()
        urls = [u for u in copied(data) if "X-Amz-Signature=" in u]
        t.ok(len(urls) == 1, "the URL went to the terminal with OSC 52",
             repr(data[data.find(b"]52;") - 1:][:300]))
        url = urls[0] if urls else ""
        buf = tm.tmux("show-buffer", check=False)
        t.eq(buf, url, "tmux (set-clipboard on) holds the same URL")
        t.ok("\x1b" not in str(scr) and "\u202e" not in str(scr),
             "the screen tmux shows holds no ESC and no U+202E from the key", str(scr))
        tm.text("q")
        tm.text(":q")
        tm.keys("Enter")
        tm.wait_exit()
    parts = urllib.parse.urlsplit(url)
    q = urllib.parse.parse_qs(parts.query)
    t.ok(urllib.parse.unquote(parts.path).endswith("/" + KEY) and "%1B" in parts.path,
         "the URL names the hostile key exactly, percent-encoded", url)
    t.eq(q.get("X-Amz-Expires"), ["3600"], "valid for the default hour")
    status, got = fetch(url) if url else (0, b"")
    t.ok(status == 200 and got == BODY,
         "urllib fetches the URL from moto: the object's bytes (the signature is right)",
         f"{status} {got!r}")


def main():
    with Moto() as moto:
        env = console_env(moto.endpoint, aws_env(moto.endpoint))
        s3 = boto3_clients(moto.endpoint, services=("s3",))["s3"]
        s3.create_bucket(Bucket="alpha")
        s3.put_object(Bucket="alpha", Key=KEY, Body=BODY)

        tmux_case(env)
        r = sign(env, "80x24 headless")
        form = "\n".join(r.dumps.get("form") or [])
        t.ok("Valid for" in form and "1h" in form and "7d" in form,
             "u opens the form: the expiry, 1h by default, and the 7-day limit said", form)
        screen = "\n".join(r.dumps.get("url") or [])
        t.ok("X-Amz-Signature" in screen and "valid 1h" in screen,
             "the box shows the URL (wrapped) and how long it is valid", screen)
        whole = "\n".join("\n".join(r.dumps.get(n) or []) for n in ("list", "form", "url"))
        t.ok("\x1b" not in whole and "\u202e" not in whole and "\\x1B[2J" in whole,
             "the key is escaped on screen, never sent to the terminal", whole)

        # past S3's limit: the form says so, nothing is signed
        s = (Script().refresh().keys(":s3 alpha/dir/<Enter>").refresh()
             .keys("u").refresh().keys("<C-u>8d<C-x>").refresh().dump("refused"))
        r = run_script(env, s, 80, 24)
        screen = "\n".join(r.dumps.get("refused") or [])
        t.ok("at most 7d" in screen, "8d is refused: the form names S3's 7-day limit", screen)
        t.ok("X-Amz-Signature" not in screen and "copied" not in screen,
             "and nothing is signed or copied", screen)

        # read-only: presigning sends nothing, so it is allowed
        r = sign(env, "--read-only", args=("--read-only",))
        url = box_url(r.dumps.get("url"))
        status, got = fetch(url) if url else (0, b"")
        t.ok(status == 200 and got == BODY, "--read-only: u still makes a URL that works",
             "\n".join(r.dumps.get("url") or []))
        headless(env)
        headless_arns(env)
    t.done()


def cli(env, *args):
    e = {k: v for k, v in env.items() if k not in ("OPSDECK_SCRIPT", "COLUMNS", "LINES")}
    p = subprocess.run([OPSDECK, *args], env=e, stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def headless(env):
    target = "s3://alpha/" + KEY
    rc, out, err = cli(env, "s3", "presign", target, "--expires", "15m")
    lines = out.splitlines()
    t.ok(rc == 0 and len(lines) == 1 and "X-Amz-Expires=900&" in out,
         "s3 presign --expires 15m: exit 0, one URL on stdout valid 900 s", f"{rc} {out!r} {err}")
    status, got = fetch(lines[0]) if rc == 0 and lines else (0, b"")
    t.ok(status == 200 and got == BODY, "urllib fetches the headless URL: the object's bytes",
         f"{status} {got!r}")
    t.ok("valid 15m" in err and "\x1b" not in err, "stderr says how long it is valid", err)
    rc, out, err = cli(env, "--read-only", "s3", "presign", target)
    t.ok(rc == 0 and "X-Amz-Expires=3600&" in out, "--read-only: the URL, 1h by default",
         f"{rc} {out!r} {err}")
    rc, out, err = cli(env, "s3", "presign", target, "--expires", "8d")
    t.ok(rc == 2 and not out and "at most 7d" in err, "--expires 8d: exit 2, S3's limit named",
         f"{rc} {out!r} {err}")
    rc, out, err = cli(env, "s3", "presign", "s3://alpha/")
    t.ok(rc == 2 and not out and "usage" in err, "no key: a usage error", f"{rc} {out!r} {err}")


# An access point's ARN holds a slash of its own (accesspoint/NAME): s3://ARN/KEY names the
# ARN whole and the key after it, as the console's :s3 reads it. Offline: presigning only
# signs (an ARN names its own region, no HeadBucket is sent), on AWS's own endpoints.
ARN_CASES = (
    ("arn:aws:s3:us-west-2:123456789012:accesspoint/orders-ap", "dir/a b.txt",
     "orders-ap-123456789012.s3-accesspoint.us-west-2.amazonaws.com", "/dir/a%20b.txt",
     "AWS4-HMAC-SHA256", "%2Fus-west-2%2Fs3%2F"),
    ("arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap", "dir/key.txt",
     "mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com", "/dir/key.txt",
     "AWS4-ECDSA-P256-SHA256", "X-Amz-Region-Set=%2A"),
)


def headless_arns(env):
    e = {k: v for k, v in env.items() if not k.startswith("AWS_ENDPOINT_URL")}
    e.update(AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY="secret",
             AWS_REGION="eu-central-1")
    for arn, key, host, path, algo, scope in ARN_CASES:
        rc, out, err = cli(e, "s3", "presign", f"s3://{arn}/{key}")
        parts = urllib.parse.urlsplit(out.strip())
        t.ok(rc == 0 and parts.netloc == host and parts.path == path,
             f"s3 presign s3://{arn}/KEY: the access point's host, the key as the path",
             f"{rc} {out!r} {err}")
        t.ok(f"X-Amz-Algorithm={algo}&" in out and scope in out,
             f"... signed as {algo} ({scope})", out)


main()
