#!/usr/bin/env python3
"""test_console_themes_tmux.py - what the themes look like on a real terminal (tmux), cell by
cell: capture-pane -e gives the screen with its SGR sequences, which are replayed here into
each cell's foreground, background and attributes.

- monochrome (--no-color) at 80x24 and 120x40: the cursor row is drawn in reverse video on
  every cell (not bold alone, which many terminals barely show), and it does not look like
  the footer (reverse too, but not bold);
- the light theme on a 16-colour and an 8-colour terminal (a 16-colour xterm compiled with tic,
  and xterm): every
  cell that shows a character has a contrast of at least 3:1 between its foreground and
  background in xterm's default palette (WCAG's floor for incidental text; the unit test
  test_theme_contrast.c holds each element to 4.5:1), so no yellow or green on white;
- the selection is visible on those terminals too (one row has a background of its own);
- on those terminals the light theme's ok and warn, green (color28) and orange (color130) at
  256 colours, which step down to green and yellow, unreadable on white, are drawn black on
  the white background (4.5:1 or more): in the dlq view an empty DLQ's row (ok) and the
  CHANGE and PER MIN cells of a DLQ that grew while it was open (warn)."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awsenv import Moto, aws_env, boto3_clients  # noqa: E402
from console import OPSDECK, Tmux, console_env  # noqa: E402
from seed import seed  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()
SGR = re.compile(r"\x1b\[([0-9;:]*)m")
BASE16 = [0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
          0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff]


def xterm_rgb(i):
    if i < 16:
        return BASE16[i]
    if i < 232:
        i -= 16
        lv = [0, 95, 135, 175, 215, 255]
        return (lv[i // 36] << 16) | (lv[(i // 6) % 6] << 8) | lv[i % 6]
    g = 8 + (i - 232) * 10
    return (g << 16) | (g << 8) | g


def luminance(rgb):
    def ch(v):
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    return 0.2126 * ch(rgb >> 16 & 255) + 0.7152 * ch(rgb >> 8 & 255) + 0.0722 * ch(rgb & 255)


def contrast(a, b):
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def cells(text):
    """Rows of (char, state) from capture-pane -e; state = (fg, bg, frozenset(attrs)) with
    fg/bg a palette index or None for the terminal's default."""
    fg = bg = None
    attrs = set()
    out, row = [[]], 0
    i = 0
    while i < len(text):
        m = SGR.match(text, i)
        if m:
            ps = [int(p) if p else 0 for p in re.split("[;:]", m.group(1))] or [0]
            k = 0
            while k < len(ps):
                p = ps[k]
                if p == 0:
                    fg = bg = None
                    attrs = set()
                elif p in (1, 2, 4, 5, 7):
                    attrs.add(p)
                elif p == 22:
                    attrs -= {1, 2}
                elif p == 27:
                    attrs.discard(7)
                elif 30 <= p <= 37:
                    fg = p - 30
                elif 90 <= p <= 97:
                    fg = p - 90 + 8
                elif p == 39:
                    fg = None
                elif 40 <= p <= 47:
                    bg = p - 40
                elif 100 <= p <= 107:
                    bg = p - 100 + 8
                elif p == 49:
                    bg = None
                elif p in (38, 48) and k + 2 < len(ps) and ps[k + 1] == 5:
                    if p == 38:
                        fg = ps[k + 2]
                    else:
                        bg = ps[k + 2]
                    k += 2
                k += 1
            i = m.end()
            continue
        if text[i] == "\n":
            out.append([])
            row += 1
        elif text[i] != "\x1b":
            out[row].append((text[i], (fg, bg, frozenset(attrs))))
        i += 1
    return out


def capture(tm):
    """The screen once it stands still: two captures a moment apart that agree (a capture
    taken while the console redraws would mix the view before with the view after)."""
    last = None
    for _ in range(50):
        scr = cells(tm.tmux("capture-pane", "-e", "-p", "-t", tm.session))
        if scr == last:
            return scr
        last = scr
        time.sleep(0.2)
    return last


def row_text(row):
    return "".join(c for c, _ in row)


def started(tm, what):
    ok, rows = tm.wait_for(lambda rs: any("updated" in r for r in rs) and
                           any(r.startswith("SQS queues") for r in rs))
    return t.ok(ok, f"{what}: the queue view is on screen", "\n".join(rows))


def monochrome(env):
    for cols, rows in ((80, 24), (120, 40)):
        with Tmux() as tm:
            tm.start(env, [OPSDECK, "--no-color"], cols, rows)
            tm.wait_for("updated")
            tm.keys("2")
            if not started(tm, f"--no-color {cols}x{rows}"):
                continue
            scr = capture(tm)
            # rows: 0 header, 1 title, 2 column headings, then the queues down to the
            # status line and the footer; the cursor is on one of them (it follows its queue
            # as the list fills, so not always the first)
            table = [r for r in scr[3:rows - 2] if row_text(r).strip()]
            rev = [r for r in table if any(7 in a for c, (_, _, a) in r if c.strip())]
            sel = rev[0] if len(rev) == 1 else []
            marked = [s for c, s in sel if c.strip()]
            footer = [s for c, s in scr[rows - 2] if c.strip()]
            t.ok(len(table) > 10 and len(rev) == 1 and all(7 in a for _, _, a in marked),
                 f"--no-color {cols}x{rows}: one row, the cursor's, is in reverse video, every "
                 "character of it", "\n".join(f"{sorted({tuple(sorted(a)) for c, (_, _, a) in r if c.strip()})} {row_text(r)[:50]}" for r in table))
            t.ok(footer and all(7 in a for _, _, a in footer) and
                 {a for _, _, a in footer} != {a for _, _, a in marked},
                 f"--no-color {cols}x{rows}: the footer is reverse too, and looks different "
                 "from the cursor row (the selection is bold as well)",
                 row_text(scr[rows - 2]))
            tm.keys(":q", "Enter")


# A 16-colour terminal description (as ncurses' xterm-16color, which Debian ships only in
# ncurses-term): compiled with tic into a private TERMINFO directory.
TERMINFO_16 = r"""opsdeck-16color|xterm with 16 colours for the tests,
	colors#16, pairs#256,
	setab=\E[%?%p1%{8}%<%t%p1%{40}%+%e%p1%{92}%+%;%dm,
	setaf=\E[%?%p1%{8}%<%t%p1%{30}%+%e%p1%{82}%+%;%dm,
	use=xterm,
"""


def terminfo_16(tmp):
    src = os.path.join(tmp, "opsdeck-16color.src")
    with open(src, "w", encoding="ascii") as f:
        f.write(TERMINFO_16)
    subprocess.run(["tic", "-o", tmp, src], check=True, capture_output=True)
    out = subprocess.run(["tput", "-T", "opsdeck-16color", "colors"], capture_output=True,
                         text=True, env=dict(os.environ, TERMINFO=tmp))
    return out.stdout.strip() == "16"


def light(env):
    tmp = tempfile.mkdtemp(prefix="opsdeck-terminfo-")
    try:
        t.ok(terminfo_16(tmp), "a 16-colour terminal description is compiled (tic)")
        light_on(env, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def light_on(env, terminfo):
    for term in ("opsdeck-16color", "xterm"):
        with Tmux() as tm:
            tm.start(env, ["env", f"TERMINFO={terminfo}", f"TERM={term}", OPSDECK, "--theme",
                           "light"], 80, 24)
            tm.wait_for("updated")
            tm.keys("2")
            if not started(tm, f"light on {term}"):
                continue
            scr = capture(tm)
            bad, colours = [], set()
            for y, row in enumerate(scr):
                for x, (c, (fg, bg, a)) in enumerate(row):
                    if not c.strip():
                        continue
                    if fg is None or bg is None:
                        bad.append((y, x, c, fg, bg, "default colour: the terminal's own"))
                        continue
                    f, b = xterm_rgb(fg), xterm_rgb(bg)
                    if 7 in a:
                        f, b = b, f
                    colours.add((fg, bg))
                    if contrast(f, b) < 3.0:
                        bad.append((y, x, c, fg, bg, round(contrast(f, b), 2)))
            top = 16 if term.endswith("16color") else 8
            # an 8-colour terminal gets bright colours only as bold (tmux sends them as 9x)
            t.ok(not bad and all(fg < 16 and bg < top for fg, bg in colours),
                 f"light on {term}: every character reads on its background (3:1 or more) "
                 "in the terminal's own colours", "\n".join(map(repr, bad[:10])) +
                 f"\ncolours used: {sorted(colours)}")
            table = [r for r in scr[3:22] if row_text(r).strip()]
            bgs = [frozenset(s[1] for c, s in r) for r in table]
            odd = [b for b in bgs if bgs.count(b) == 1]
            t.ok(len(table) > 10 and len(odd) == 1,
                 f"light on {term}: one row, the cursor's, has a background of its own",
                 "\n".join(f"{sorted(b, key=str)} {row_text(r)[:40]}" for b, r in zip(bgs, table)))
            tm.keys(":q", "Enter")


QUIET_DLQ = "themes-quiet-dlq"   # an empty DLQ: its row is drawn as ok
GROWING = ("orders-dlq", "billing-dlq")   # sent to while open: CHANGE and PER MIN are warn


def seed_quiet(sqs):
    dlq = sqs.create_queue(QueueName=QUIET_DLQ)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"]
    sqs.create_queue(QueueName="themes-quiet", Attributes={"RedrivePolicy": json.dumps(
        {"deadLetterTargetArn": arn, "maxReceiveCount": "3"})})


def light_ok_warn(env, sqs):
    tmp = tempfile.mkdtemp(prefix="opsdeck-terminfo-")
    try:
        t.ok(terminfo_16(tmp), "a 16-colour terminal description is compiled (tic)")
        for term, white, sel_bg in (("opsdeck-16color", 15, 14), ("xterm", 7, 6)):
            ok_warn_on(env, sqs, tmp, term, white, sel_bg)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def black_on_white(cells_, white):
    """The cells (char, (fg, bg, attrs)) that show a character and are not black on the
    theme's white with 4.5:1 or more (reverse applied)."""
    bad = []
    for c, (fg, bg, a) in cells_:
        if not c.strip():
            continue
        if fg is None or bg is None:
            bad.append((c, fg, bg))
            continue
        f, b = (bg, fg) if 7 in a else (fg, bg)
        if f != 0 or b != white or contrast(xterm_rgb(f), xterm_rgb(b)) < 4.5:
            bad.append((c, fg, bg))
    return bad


def ok_warn_on(env, sqs, terminfo, term, white, sel_bg):
    with Tmux() as tm:
        tm.start(env, ["env", f"TERMINFO={terminfo}", f"TERM={term}", OPSDECK, "--theme",
                       "light", "--view", "dlq"], 80, 24)
        ok, rows = tm.wait_for(lambda rs: any(QUIET_DLQ in r for r in rs) and
                               all(any(q in r for r in rs) for q in GROWING))
        if not t.ok(ok, f"light on {term}: the dlq view lists {QUIET_DLQ} and the growing DLQs",
                    "\n".join(rows)):
            return
        # the view has read every DLQ once: now two of them grow while it is open
        for q in GROWING:
            url = sqs.get_queue_url(QueueName=q)["QueueUrl"]
            sqs.send_message(QueueUrl=url, MessageBody="one more failure")
        tm.keys("r")
        ok, rows = tm.wait_for(lambda rs: all(any(q in r and "+1" in r for r in rs)
                                              for q in GROWING))
        if not t.ok(ok, f"light on {term}: CHANGE says +1 for the DLQs sent to", "\n".join(rows)):
            return
        scr = capture(tm)
        # its name and depth; OLDEST may be "?" in the dim style (no recent datapoint)
        quiet = [r for r in scr if row_text(r).startswith(QUIET_DLQ + " ")]
        name = quiet[0][:len(QUIET_DLQ)] if quiet else []
        depth = [c for c in quiet[0][len(QUIET_DLQ):] if c[0].strip()][:1] if quiet else []
        t.ok(len(quiet) == 1 and quiet[0][0][1][1] != sel_bg and depth and depth[0][0] == "0"
             and not black_on_white(name + depth, white),
             f"light on {term}: the empty DLQ's row (ok) is black on white, 4.5:1 or more",
             repr(black_on_white(name + depth, white)[:10]) if quiet else "row not found")
        # the cursor row is drawn in the selection's colours: the other grown DLQ is looked at
        warn = []
        for r in scr:
            text = row_text(r)
            if not any(text.startswith(q + " ") for q in GROWING) or r[0][1][1] == sel_bg:
                continue
            at = text.find("+1")
            warn.append(r[at:at + 2])
        t.ok(warn and all(len(c) == 2 and not black_on_white(c, white) for c in warn),
             f"light on {term}: CHANGE +1 (warn) is black on white, 4.5:1 or more, not yellow",
             repr([[(c, s) for c, s in w] for w in warn]))
        tm.keys(":q", "Enter")


def main():
    with Moto() as m:
        seed(m.endpoint)
        sqs = boto3_clients(m.endpoint, services=("sqs",))["sqs"]
        seed_quiet(sqs)
        env = console_env(m.endpoint, aws_env(m.endpoint))
        t.run("monochrome", monochrome, env)
        t.run("light theme at 16 and 8 colours", light, env)
        t.run("light theme's ok and warn at 16 and 8 colours", light_ok_warn, env, sqs)
    t.done()


if __name__ == "__main__":
    main()
