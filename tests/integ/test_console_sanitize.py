"""test_console_sanitize.py - untrusted text from AWS reaches the console's screen escaped.

A queue's tags (what this console's sqs detail pane shows) hold ESC [2J (clear the screen),
an OSC 52 sequence (write the user's clipboard), a bidi override (U+202E, reorders what is
shown) and a colour sequence in a tag key. Checked twice:
- headless (OPSDECK_SCRIPT): the dump shows the escapes as text (\\x1B[2J, \\x07, \\u{202E}),
  and holds no ESC, BEL or U+202E character, nor the ^[ that ncurses draws for an ESC it is
  handed (an ESC opsdeck let through would look "safe" on screen that way);
- on a real terminal (tmux, every byte the console wrote recorded with pipe-pane): the bytes
  hold opsdeck's escaped text and none of the sequences, raw or as ^[."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awsenv import Moto, aws_env, boto3_clients  # noqa: E402
from console import OPSDECK, Script, Tmux, console_env, run_script  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()

QUEUE = "evil-tags"
TAGS = {"clear": "\x1b[2JPWNED",
        "clip": "\x1b]52;c;b3BzZGVjaw==\x07",
        "bidi": "abc\u202edcba",
        "\x1b[31mred": "key-with-colour"}
# What sanitize_text makes of them (src/util/sanitize.h): controls as \xNN, bidi as \u{NNNN}.
SHOWN = {"clear": "\\x1B[2JPWNED",
         "clip": "\\x1B]52;c;b3BzZGVjaw==\\x07",
         "bidi": "abc\\u{202E}dcba",
         "\x1b[31mred": "\\x1B[31mred"}
# Bytes that must never reach the terminal.
RAW_FORBIDDEN = [b"\x1b[2JPWNED", b"\x1b]52", b"\xe2\x80\xae", b"\x1b[31mred", b"\x07"]
# ncurses draws a control character it is handed as ^X (ESC as ^[): the absence of the raw
# byte alone would not show that opsdeck escaped it, so the screen must show neither form.
CARET_FORMS = ["^[[2JPWNED", "^[]52", "^[[31mred", "^G"]


def setup(endpoint):
    sqs = boto3_clients(endpoint, services=("sqs",))["sqs"]
    for name in ("a-plain-queue", QUEUE, "z-plain-queue"):
        sqs.create_queue(QueueName=name)
    url = sqs.get_queue_url(QueueName=QUEUE)["QueueUrl"]
    sqs.tag_queue(QueueUrl=url, Tags=TAGS)
    got = sqs.list_queue_tags(QueueUrl=url)["Tags"]
    t.eq(got, TAGS, "moto holds the hostile tags as sent (the test's premise)")


def headless(env):
    s = (Script().refresh().keys("2").keys(f"/{QUEUE}<Enter>").keys("<Enter>").wait()
         .sleep(2200).wait().dump("detail"))
    r = run_script(env, s, 120, 50)   # tall enough for the whole pane
    d = r.dumps.get("detail")
    if not t.ok(r.rc == 0 and d, "headless: the console opens the queue's detail pane",
                r.why("detail")):
        return
    text = "\n".join(d)
    for k, shown in SHOWN.items():
        t.ok(shown in text, f"headless: tag {k!r} is shown escaped as {shown}", text)
    bad = [c for c in ("\x1b", "\x07", "\u202e") if c in text]
    bad += [c for c in CARET_FORMS if c in text]
    t.eq(bad, [], "headless: the screen holds no ESC, BEL or U+202E character, nor ncurses' "
         "^[ / ^G for one handed to it raw")


def terminal(env):
    with Tmux() as tm:
        tm.start(env, [OPSDECK, "--view", "sqs"], 120, 50, gate=True)
        raw_path = tm.pipe_raw()
        tm.go()
        ok, rows = tm.wait_for(QUEUE)
        if not t.ok(ok, "tmux: the sqs view lists the queue", "\n".join(rows)):
            return
        tm.text(f"/{QUEUE}")
        tm.keys("Enter")
        tm.keys("Enter")
        ok, rows = tm.wait_for(lambda rs: all(any(v in r for r in rs)
                                              for v in SHOWN.values()))
        t.ok(ok, "tmux: the detail pane shows every hostile tag escaped", "\n".join(rows))
        tm.text(":q")
        tm.keys("Enter")
        st = tm.wait_exit()
        t.ok(st["rc"] == 0, "tmux: the console quits with :q", str(st))
        tm.tmux("pipe-pane", "-t", tm.session, check=False)   # stop recording
        with open(raw_path, "rb") as f:
            raw = f.read()
        # The recording must be the bytes as written, UTF-8 untouched, or a U+202E in it could
        # hide: the console's own sort mark (U+25B4) must be in it as its three bytes.
        t.ok(len(raw) > 1000 and "\u25b4".encode() in raw,
             f"tmux: the console's output was recorded as written ({len(raw)} bytes, UTF-8 "
             "intact)", repr(raw[:600]))
        found = [seq for seq in RAW_FORBIDDEN + [c.encode() for c in CARET_FORMS] if seq in raw]
        missing = [v for v in SHOWN.values() if v.encode() not in raw]
        t.eq((found, missing), ([], []), "tmux: the bytes sent to the terminal hold the tags "
             "in opsdeck's escapes (\\x1B[2JPWNED, \\x07, \\u{202E}), and no ESC [2J, OSC 52, "
             "U+202E, colour sequence or BEL from them, raw or as ^[")


def main():
    with Moto() as m:
        setup(m.endpoint)
        env = console_env(m.endpoint, aws_env(m.endpoint))
        t.run("headless", headless, env)
        env_live = console_env(m.endpoint, aws_env(m.endpoint), now=None)
        t.run("terminal", terminal, env_live)
    t.done()


if __name__ == "__main__":
    main()
