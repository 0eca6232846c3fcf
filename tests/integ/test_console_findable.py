"""test_console_findable.py - an honest, findable console, headless (OPSDECK_SCRIPT dumps) at
80x24 and 120x40, against moto seeded with tests/lib/seed.py; every value the test expects
comes from boto3 reading the same moto, never from the program's own output.

- units: the detail pane shows settings as durations and sizes (MessageRetentionPeriod
  1209600 -> 14d, VisibilityTimeout 30 -> 30s, MaximumMessageSize 262144 -> 256 KiB) and
  dates in local time (TZ=Europe/Paris: CET), in UTC after :utc;
- the filter: /orders-dlq matches six queues on all columns (*:orders-dlq) but the name
  filter finds the one, the cursor sits on the best match so Enter opens it, the active
  filter is in the title (in the footer where a view has no title), Esc clears it and the
  cursor stays on the row it found;
- sort: a Shift+letter sorts by that column, and the header keeps its whole title and mark;
- help: at 80 and 120 columns it fits the screen, wraps long lines under their key, and
  lists every key of the view (paged through) and every command; --ascii draws it in ASCII;
- errors: with the endpoint down from the start, the dlq view says "cannot read: why", not
  "0 holding"; the status line's cut error points at :errors, which shows it whole (the
  status text is a prefix of it); Enter on the overview's error line opens it too;
- :region NAME with credentials from the environment switches the region.
"""
import datetime as dt
import os
import re
import sys
import zoneinfo

import boto3

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awsenv import Moto, aws_env, boto3_clients, free_port  # noqa: E402
from console import (Script, boto3_queues, console_env, display_width,  # noqa: E402
                     find_row, run_script, write_app_config)
from seed import seed  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()
CONFIG = "[intervals]\ndefault = 2\n"
SIZES = ((80, 24), (120, 40))


def seconds(s):
    """A setting in seconds the way a reader wants it: every non-zero unit."""
    s, out = int(s), ""
    for unit, letter in ((86400, "d"), (3600, "h"), (60, "m"), (1, "s")):
        if s >= unit:
            out += f"{s // unit}{letter}"
            s %= unit
    return out or "0s"


def kib(n):
    n = int(n)
    for unit, name in ((1 << 20, "MiB"), (1 << 10, "KiB")):
        if n >= unit and n % unit == 0:
            return f"{n // unit} {name}"
    return f"{n} B"


def pane_pairs(rows):
    """Detail-pane rows as (label, value) where they are "  label  value"."""
    out = {}
    for r in rows:
        m = re.match(r"^  (\S(?:.*?\S)?) {2,}(\S.*)$", r)
        if m:
            out[m.group(1)] = m.group(2)
    return out


def screen(r, name):
    return r.dumps.get(name) or []


# ---- units --------------------------------------------------------------------------------

def units(env, q):
    a = q["orders-dlq"]["attrs"]
    created = int(float(a["CreatedTimestamp"]))
    paris = dt.datetime.fromtimestamp(created, zoneinfo.ZoneInfo("Europe/Paris"))
    utc = dt.datetime.fromtimestamp(created, dt.timezone.utc)
    e = dict(env, TZ="Europe/Paris")
    for cols, rows in SIZES:
        # the pane scrolls at 80x24: G shows its end, where the attributes are
        s = (Script().refresh().keys("2").keys("/orders-dlq<Enter><Enter>").dump("local")
             .keys("G").dump("local-end").keys(":utc<Enter>").dump("utc"))
        r = run_script(e, s, cols, rows)
        d = screen(r, "local")
        p = pane_pairs(d)
        p.update(pane_pairs(screen(r, "local-end")))
        want = {"MessageRetentionPeriod": seconds(a["MessageRetentionPeriod"]),
                "VisibilityTimeout": seconds(a["VisibilityTimeout"]),
                "DelaySeconds": seconds(a["DelaySeconds"]),
                "MaximumMessageSize": kib(a["MaximumMessageSize"]),
                "CreatedTimestamp": paris.strftime("%Y-%m-%d %H:%M:%S %Z")}
        got = {k: p.get(k) for k in want}
        t.ok(len(d) > 1 and d[1] == "Queue orders-dlq" and got == want,
             f"{cols}x{rows}: the detail pane shows MessageRetentionPeriod "
             f"{a['MessageRetentionPeriod']} as {want['MessageRetentionPeriod']}, "
             f"VisibilityTimeout {a['VisibilityTimeout']} as 30s, MaximumMessageSize "
             f"{a['MaximumMessageSize']} as {want['MaximumMessageSize']}, and the creation "
             "date in local time (Europe/Paris)",
             f"got  {got}\nwant {want}\n" + "\n".join(d))
        u = pane_pairs(screen(r, "utc"))  # still scrolled to the end
        t.eq(u.get("CreatedTimestamp"), utc.strftime("%Y-%m-%d %H:%M:%S UTC"),
             f"{cols}x{rows}: after :utc the date is in UTC")
        t.ok(screen(r, "utc")[-1].startswith("times in UTC"),
             f"{cols}x{rows}: :utc says what it did", screen(r, "utc")[-1:])


# ---- the filter and the cursor ---------------------------------------------------------

def table_rows(d, first_name_row=3):
    """First words of the table's rows (row 2 is the header), footer and status excluded."""
    return [x.split()[0] for x in d[first_name_row:len(d) - 2] if x.split()]


def filter_and_cursor(env, q):
    every = sorted(n for n, v in q.items() if "orders-dlq" in n or v["dlq"] == "orders-dlq")
    t.eq(len(every), 6, "six queues mention orders-dlq in some column (boto3)")
    for cols, rows in SIZES:
        s = (Script().refresh().keys("2")
             .keys("/*:orders-dlq<Enter>").dump("all").keys("<Enter>").dump("all-open")
             .keys("<Esc>").keys("/<C-u>orders-dlq<Enter>").dump("named")
             .keys("<Enter>").dump("named-open").keys("<Esc>").keys("<Esc>").dump("cleared")
             .keys("<Enter>").dump("cleared-open").keys("<Esc>")
             .keys("/orders<Enter><Enter>").dump("best"))
        r = run_script(env, s, cols, rows)
        a = screen(r, "all")
        t.ok(sorted(table_rows(a)) == sorted(fit(n, cols) for n in every) and
             "/*:orders-dlq" in a[1],
             f"{cols}x{rows}: /*:orders-dlq keeps the six rows mentioning it in any column",
             "\n".join(a))
        t.eq(screen(r, "all-open")[1:2], ["Queue orders-dlq"],
             f"{cols}x{rows}: among the six the cursor is on the exact name: Enter opens "
             "orders-dlq")
        n = screen(r, "named")
        t.ok(table_rows(n) == ["orders-dlq"] and
             n[1].startswith("SQS queues  1 shown of") and "  /orders-dlq  " in n[1],
             f"{cols}x{rows}: /orders-dlq filters the name column: one row, the filter in "
             "the title", "\n".join(n[:5]))
        t.eq(screen(r, "named-open")[1:2], ["Queue orders-dlq"],
             f"{cols}x{rows}: Enter opens orders-dlq")
        c = screen(r, "cleared")
        t.ok(len(c) > 1 and "/" not in c[1] and len(table_rows(c)) > 1,
             f"{cols}x{rows}: Esc (after Esc closed the pane) clears the filter: every row, "
             "no filter in the title", "\n".join(c[:4]))
        t.eq(screen(r, "cleared-open")[1:2], ["Queue orders-dlq"],
             f"{cols}x{rows}: the cursor stays on the row the filter found")
        t.eq(screen(r, "best")[1:2], ["Queue orders-dlq"],
             f"{cols}x{rows}: typed ahead, /orders<Enter><Enter> opens the best match: the "
             "shortest name starting with it")


def fit(name, cols):
    """A name as the sqs table cuts it (16 columns at 80, whole at 120)."""
    w = 16 if cols == 80 else 40
    return name if len(name) <= w else name[:w - 1] + "\u2026"


def filter_everywhere(env):
    s = (Script().refresh().keys("3").keys("/billing<Enter>").dump("dlq").keys("<Esc>").dump("dlq-esc")
         .keys("1").keys("/billing<Enter>").dump("ov").keys("<Esc>").dump("ov-esc"))
    r = run_script(env, s, 80, 24)
    d = screen(r, "dlq")
    t.ok(len(d) > 3 and d[1].endswith("  1 shown  /billing") and d[3].startswith("billing-dlq"),
         "dlq view: the active filter is in the title", "\n".join(d[:5]))
    t.ok("/billing" not in screen(r, "dlq-esc")[1], "dlq view: Esc clears the filter",
         screen(r, "dlq-esc")[1:2])
    o = screen(r, "ov")
    t.ok(len(o) == 24 and o[22].startswith(" /billing (Esc clears)  ") and
         o[22].endswith("? help  q back"),
         "overview (no title line): the footer shows the active filter first", o[22:23])
    t.ok(not screen(r, "ov-esc")[22].startswith(" /billing"), "overview: Esc clears it",
         screen(r, "ov-esc")[22:23])


# ---- sort ----------------------------------------------------------------------------------

def sort_letters(env, q):
    s = Script().refresh().keys("2").keys("V").dump("v").keys("V").dump("vv").keys("L").dump("l")
    r = run_script(env, s, 80, 24)
    v = screen(r, "v")
    deepest = max(q, key=lambda n: (q[n]["visible"], -ord(n[0])))
    t.ok(len(v) > 3 and "sorted by VISIBLE descending" in v[1] and " VISIBLE\u25be " in v[2]
         and v[3].startswith(fit(deepest, 80)),
         "V sorts by VISIBLE, deepest first; the header reads VISIBLE and its mark, uncut",
         "\n".join(v[:4]))
    t.ok("sorted by VISIBLE ascending" in screen(r, "vv")[1] and
         "VISIBLE\u25b4" in screen(r, "vv")[2], "V again: the other way",
         screen(r, "vv")[1:3])
    t.ok("sorted by DLQ ascending" in screen(r, "l")[1] and " DLQ\u25b4" in screen(r, "l")[2],
         "L sorts by the DLQ column (D is DELAYED)", screen(r, "l")[1:3])


# ---- help ----------------------------------------------------------------------------------

SQS_KEYS = ["Enter", "y", "s/S", "Q V I D O F L", "j/k", "PgUp/PgDn", "g/G", "Esc/q"]
DLQ_KEYS = ["Enter", "y", "s/S", "L D C O I P U", "j/k", "PgUp/PgDn", "g/G", "Esc/q"]
FRAMEWORK_KEYS = [":", "/", "?", "r", "1-9", "y", "Esc", "q", "Ctrl-L", "Ctrl-C"]
COMMANDS = [":overview", ":sqs", ":dlq", ":jobs", ":errors", ":profile NAME", ":region NAME",
            ":theme NAME", ":refresh", ":writes on|off", ":cli", ":utc", ":help", ":quit, :q"]
SLASH = ("filter by name as you type; COLUMN:text looks in that column (dlq:orders), *:text "
         "in all of them, !text keeps the rows that do not match; Enter keeps the filter, Esc "
         "clears it; the cursor goes to the best match, an exact name first")


def box_rows(d, v="\u2502", corner="\u250c"):
    """The box's content rows (between its side borders), and its outer rows."""
    top = next((i for i, x in enumerate(d) if x.lstrip().startswith(corner)), -1)
    if top < 0:
        return [], []
    bottom = next((i for i in range(top + 1, len(d)) if not d[i].lstrip().startswith(v)), -1)
    inner = [x.strip()[1:-1] for x in d[top + 1:bottom]]
    return inner, d[top:bottom + 1]


def help_pages(env, view_key, cols, rows, args=()):
    s = Script().refresh().keys(view_key).keys("?").dump("p0")
    for i in range(1, 5):
        s.keys("<PgDn>").dump(f"p{i}")
    return run_script(env, s, cols, rows, args=args)


def entries(inner):
    """(key, text) of the box's rows, wrapped text joined back under its key."""
    out = []
    for x in inner:
        m = re.match(r"^ (\S(?:.*?\S)?)  +(\S.*?)\s*$", x)
        if m and not x.startswith("  "):
            out.append([m.group(1), m.group(2)])
        elif x.strip() and out and x.startswith("  "):
            out[-1][1] += " " + x.strip()
    return {k: w for k, w in out}


def help_complete(env):
    for key, name, view_keys in (("2", "sqs", SQS_KEYS), ("3", "dlq", DLQ_KEYS)):
        for cols, rows in SIZES:
            r = help_pages(env, key, cols, rows)
            seen, widths, sides = {}, [], True
            for i in range(5):
                d = screen(r, f"p{i}")
                inner, outer = box_rows(d)
                widths += [display_width(x) for x in d]
                sides &= all(x.strip().endswith("\u2502") for x in outer[1:-1])
                seen.update(entries(inner))
            want = set(view_keys) | set(FRAMEWORK_KEYS) | set(COMMANDS)
            missing = sorted(want - set(seen))
            t.ok(not missing and max(widths) <= cols and sides,
                 f"{name} help at {cols}x{rows}: every key of the view, the framework's and "
                 "every command are listed (paged with PgDn), inside the box, no row past "
                 "the screen", f"missing {missing}; widest {max(widths)}\n" +
                 "\n".join(screen(r, "p0")))
            t.eq(seen.get("/"), SLASH, f"{name} help at {cols}x{rows}: the long / line is "
                 "wrapped under its key, whole")


def help_ascii(env):
    for cols, rows in SIZES + ((100, 30),):
        r = help_pages(env, "3", cols, rows, args=("--ascii",))
        d = screen(r, "p0")
        inner, outer = box_rows(d, v="|", corner="+")
        bad = [x for x in d if any(ord(c) > 127 for c in x)]
        t.ok(outer and outer[0].lstrip().startswith("+ Dead-letter queues: keys -") and
             outer[-1].strip().startswith("+") and not bad and
             max(display_width(x) for x in d) <= cols and
             all(x.strip().startswith("|") and x.strip().endswith("|") for x in outer[1:-1]),
             f"--ascii at {cols}x{rows}: the help box is drawn with + - | inside the screen, "
             "and the whole screen is ASCII", "\n".join(d))
        t.ok(any(x.startswith(" j/k ") for x in inner) and
             any(x.startswith(" g/G ") for x in inner),
             f"--ascii at {cols}x{rows}: the dlq help lists j/k and g/G", "\n".join(inner))


# ---- errors ---------------------------------------------------------------------------------

def endpoint_down(base_env):
    port = free_port()   # nothing listens there: every call fails to connect
    env = console_env(f"http://127.0.0.1:{port}", base_env)
    write_app_config(env, CONFIG)
    for cols, rows in SIZES:
        s = (Script().refresh().keys("3").dump("dlq").keys(":errors<Enter>").dump("errors")
             .keys("1").keys("G<Enter>").dump("from-overview"))
        r = run_script(env, s, cols, rows)
        d = screen(r, "dlq")
        t.ok(len(d) == rows and d[1].startswith("Dead-letter queues  cannot read: cannot reach "
                                                f"http://127.0.0.1:{port}")
             and not any("holding" in x or " 0 total" in x for x in d),
             f"{cols}x{rows}: endpoint down from the start: the dlq view says it cannot read "
             "the list and why, never '0 holding'", "\n".join(d))
        status = d[-1] if d else ""
        cut = status.endswith("\u2026 (:errors)")
        e = screen(r, "errors")
        i = find_row(e, "  SQS ListQueues")
        text = []
        for x in e[i + 1:len(e) - 2] if i >= 0 else []:
            if not x.startswith("    "):
                break
            text.append(x.strip())
        whole = " ".join(text)
        shown = status[:-len("\u2026 (:errors)")] if cut else status
        shown = re.sub(r"^(no data|stale \S+): ", "", shown)   # the status line's own prefix
        t.ok(cut and e[1].startswith("Recent errors") and i > 0 and
             whole.startswith(shown.rstrip()) and len(whole) > len(shown) and
             f"http://127.0.0.1:{port}" in whole,
             f"{cols}x{rows}: the status line cuts the error and says :errors; :errors shows "
             "it whole, wrapped, opened on it (the status text is its start)",
             f"status: {status!r}\nerrors:\n" + "\n".join(e))
        f = screen(r, "from-overview")
        t.ok(len(f) > 2 and f[1].startswith("Recent errors"),
             f"{cols}x{rows}: Enter on the overview's error line opens :errors",
             "\n".join(f[:5]))


# ---- :region ------------------------------------------------------------------------------

def region_env_creds(env, endpoint):
    c = boto3.client("sqs", region_name="eu-west-1", endpoint_url=endpoint,
                     aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
                     aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"])
    c.create_queue(QueueName="eu-only-queue")
    names = sorted(u.rsplit("/", 1)[1] for u in c.list_queues().get("QueueUrls", []))
    e = dict(env)
    e.pop("AWS_PROFILE", None)
    for cols, rows in SIZES:
        s = (Script().refresh().keys("2").keys(":region eu-west-1<Enter>").refresh().dump("eu")
             .keys(":region us-east-1<Enter>").refresh().dump("us"))
        r = run_script(e, s, cols, rows)
        d = screen(r, "eu")
        t.ok(r.rc == 0 and len(d) == rows and " eu-west-1 " in d[0] and
             table_rows(d) == names and d[-1] == "profile default, region eu-west-1",
             f"{cols}x{rows}: :region eu-west-1 with credentials from the environment "
             "switches: the header names it, the table lists that region's queues (boto3)",
             r.why("eu"))
        u = screen(r, "us")
        t.ok(len(u) == rows and " us-east-1 " in u[0] and "orders-dlq" in "\n".join(u),
             f"{cols}x{rows}: and :region us-east-1 switches back", "\n".join(u[:3]))


def main():
    with Moto() as m:
        seed(m.endpoint, objects=5)
        q = boto3_queues(boto3_clients(m.endpoint, services=("sqs",))["sqs"])
        base = aws_env(m.endpoint)
        env = console_env(m.endpoint, base)
        write_app_config(env, CONFIG)
        t.run("units", units, env, q)
        t.run("filter and cursor", filter_and_cursor, env, q)
        t.run("filter everywhere", filter_everywhere, env)
        t.run("sort letters", sort_letters, env, q)
        t.run("help complete", help_complete, env)
        t.run("help ascii", help_ascii, env)
        t.run("endpoint down", endpoint_down, base)
        t.run(":region", region_env_creds, env, m.endpoint)
    t.done()


if __name__ == "__main__":
    main()
