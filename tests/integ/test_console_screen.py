"""test_console_screen.py - the console's screens, headless (tig's way): keys from an
OPSDECK_SCRIPT, the screen dumped as text, compared with what the test expects.

The estate is tests/lib/seed.py's in moto plus an empty DLQ with a source queue; every
number the test expects on screen comes from what boto3 reads from the same moto, never from
the program's own output. Covers: the frame at 80x24 and 200x60, the overview, the sqs
table (a queue's row: visible, in flight, DLQ), sort (s/S), filter (/orders and /!orders),
the detail pane (attributes, redrive, tags), the dlq view (non-empty DLQs first), `?` help,
`:dlq`/`:sqs`/`:overview` equal to the number keys, `:profile` with an unknown profile,
`:theme`, the PRODUCTION banner, and `resize`."""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awsenv import Moto, aws_env, boto3_clients  # noqa: E402
from console import (Script, add_aws_profile, console_env, display_width,  # noqa: E402
                     find_row, header_row, rows_equal, run_script, screen_has,
                     write_app_config)
from seed import rotating_secret, seed  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()

SQS_COLS = ("QUEUE", "VISIBLE", "IN FLIGHT", "DLQ")   # titles the sqs table must show


# ---- what boto3 says -----------------------------------------------------------------------

def read_queues(sqs):
    """{name: {"visible", "in_flight", "delayed", "dlq", "url", "attrs", "tags"}} via boto3."""
    out = {}
    for url in sqs.list_queues(MaxResults=1000).get("QueueUrls", []):
        a = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        name = url.rsplit("/", 1)[1]
        dlq = None
        if "RedrivePolicy" in a:
            dlq = json.loads(a["RedrivePolicy"])["deadLetterTargetArn"].rsplit(":", 1)[1]
        out[name] = {"url": url, "visible": int(a["ApproximateNumberOfMessages"]),
                     "in_flight": int(a["ApproximateNumberOfMessagesNotVisible"]),
                     "delayed": int(a["ApproximateNumberOfMessagesDelayed"]),
                     "dlq": dlq, "attrs": a,
                     "tags": sqs.list_queue_tags(QueueUrl=url).get("Tags", {})}
    return out



# ---- the rows a user reads, built from boto3's numbers --------------------------------------

def fit(text, w):
    """text cut to w columns with the ellipsis, as the console cuts names."""
    return text if len(text) <= w else text[:w - 1] + "\u2026"


def dur(seconds):
    """A two-unit duration as fmt.h writes it ("15m00s"); '?' when CloudWatch has no point."""
    if seconds is None:
        return "?"
    s = int(seconds)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{s % 3600 // 60:02d}m"


# The sqs table at 80 columns: QUEUE 16, VISIBLE 8, IN FLIGHT 10, DELAYED 8, OLDEST 7,
# FIFO 5, DLQ 9 (each sortable column has room for its title and the sort mark), then the
# depth sparkline (its glyphs depend on how many polls ran, so rows are compared up to the
# DLQ column).
SQS_HEADER_80 = "QUEUE\u25b4            VISIBLE  IN FLIGHT  DELAYED  OLDEST FIFO  DLQ       DEPTH"
SQS_CUT_80 = 70
CHECK = "\u2713"


def sqs_row_80(name, v, oldest):
    return (f"{fit(name, 16):<16} {v['visible']:>8} {v['in_flight']:>10} {v['delayed']:>8} "
            f"{dur(oldest):>7} {CHECK if name.endswith('.fifo') else '':<5} "
            f"{fit(v['dlq'] or '', 9):<9}").rstrip()


def depth_scale(q):
    """The sqs title's sparkline scale: one for the whole view, 0 to the deepest queue."""
    return f"DEPTH 0-{max(v['visible'] for v in q.values())}"


def seconds(s):
    """A setting in seconds as the detail pane writes it: every non-zero unit, 345600 is
    "4d", 30 is "30s"."""
    s = int(s)
    if s == 0:
        return "0s"
    out = ""
    for unit, letter in ((86400, "d"), (3600, "h"), (60, "m"), (1, "s")):
        if s >= unit:
            out += f"{s // unit}{letter}"
            s %= unit
    return out


def overview_row_80(name, depth, change, oldest):
    return f"  {name:<52}{depth:>6}{change:>11}{dur(oldest):>9}"


def dlq_row_80(name, v, oldest):
    """Up to the IN FLIGHT column; SOURCES follows."""
    return f"{name:<27} {v['visible']:>6} {0:>7} {dur(oldest):>8} {v['in_flight']:>9}"


# ---- frame checks ------------------------------------------------------------------------

def check_frame(r, name, cols, rows, what):
    """The dump has exactly `rows` rows, none wider than `cols`; returns the rows."""
    d = r.dumps.get(name)
    if not t.ok(r.rc == 0 and d is not None, f"{what}: console exits 0 and writes the dump",
                r.why(name)):
        return None
    t.ok(len(d) == rows and all(display_width(x) <= cols for x in d),
         f"{what}: the screen is {rows} rows of at most {cols} columns",
         f"{len(d)} rows, widths {[display_width(x) for x in d]}\n" + r.screen(name))
    return d


def table_at(d, titles):
    """(header index, header row) of the table with these column titles."""
    h = header_row(d, *titles)
    return h, (d[h] if h >= 0 else "")


def names_in_table(d, h, qnames):
    """Names in screen order: the first word of each row after the header, when it is a
    known name or one cut with the ellipsis that only one known name starts with."""
    out = []
    for row in d[h + 1:len(d) - 2]:
        w = row.split()
        if not w:
            continue
        if w[0] in qnames:
            out.append(w[0])
        elif w[0].endswith("\u2026"):
            cand = [n for n in qnames if n.startswith(w[0][:-1])]
            if len(cand) == 1:
                out.append(cand[0])
    return out


def header_80(ident, profile="default"):
    who = ident["Arn"].split(":", 5)[5]
    return f" {ident['Account']}  {who}  profile {profile}  us-east-1  creds no expiry"


FRAMEWORK_KEYS = ": cmd  / filter  ? help  q back"


# ---- the cases -----------------------------------------------------------------------------

def start_and_frame(env, q, ages, ident):
    s = (Script().refresh().dump("start")
         .resize(200, 60).refresh().dump("big"))
    r = run_script(env, s, 80, 24)
    d = check_frame(r, "start", 80, 24, "start at 80x24")
    if d is None:
        return
    t.eq(d[0], header_80(ident), "header (row 0): account, identity, profile, region, expiry")
    t.ok(d[22].startswith(" Enter") and d[22].endswith(FRAMEWORK_KEYS),
         "footer (row 22): the view's keys, then the framework's", d[22])
    t.eq(d[23], "updated 0s ago", "status line (row 23): the age of the data")
    # the overview: DLQs holding messages (deepest first), then queues with old messages
    dlqs = sorted((n for n, v in q.items() if v["is_dlq"] and v["visible"] > 0),
                  key=lambda n: (-q[n]["visible"], n))
    old = sorted((n for n, v in q.items() if not v["is_dlq"] and (ages.get(n) or 0) >= 300),
                 key=lambda n: (-(ages[n]), n))
    want = (["Dead-letter queues holding messages                    DEPTH SINCE OPEN   OLDEST"]
            + [overview_row_80(n, q[n]["visible"], 0, ages.get(n)) for n in dlqs]
            + ["Queues with old messages                               DEPTH              OLDEST"]
            + [f"  {n:<52}{q[n]['visible']:>6}{'':>11}{dur(ages[n]):>9}" for n in old])
    ok, diff = rows_equal(d[1:1 + len(want)], want)
    t.ok(ok and len(dlqs) == 3 and len(old) >= 1,
         "overview: every DLQ holding messages with its depth and oldest, then the queues "
         "with messages older than 5m (numbers from boto3 and the seeded CloudWatch data)",
         diff)
    t.ok(not screen_has(d, "zz-empty-dlq"), "overview leaves out the empty DLQ",
         r.screen("start"))

    b = check_frame(r, "big", 200, 60, "resize to 200x60")
    if b is not None:
        t.ok(b[59] == "updated 0s ago" and b[58].endswith(FRAMEWORK_KEYS),
             "at 200x60 the footer and status line move to rows 58 and 59",
             "\n".join(b[56:]))
        t.ok(len(b[1]) == 200 and b[1].endswith("DEPTH SINCE OPEN   OLDEST"),
             "at 200x60 the overview's columns move to the right edge", b[1])


def sqs_table(env, q, ages):
    # The cursor stays on its row across sorts (and the view scrolls to it): G puts it on
    # the last row, the first after S; after s, g brings it back to the top.
    s = (Script().refresh().keys("2").dump("sqs")
         .keys("G").dump("end")
         .keys("S").dump("rev")
         .keys("s").keys("g").dump("sort1"))
    r = run_script(env, s, 80, 24)
    d = check_frame(r, "sqs", 80, 24, "sqs view at 80x24")
    if d is None:
        return
    names = sorted(q)
    t.eq(d[1], f"SQS queues  {len(q)} shown of {len(q)}  sorted by QUEUE ascending  "
         f"{depth_scale(q)}", "sqs title row: how many queues, the sort, the depth scale")
    t.eq(d[2], SQS_HEADER_80, "sqs column headers at 80 columns")
    want = [sqs_row_80(n, q[n], ages.get(n)) for n in names[:19]]
    got = [x[:SQS_CUT_80].rstrip() for x in d[3:22]]
    ok, diff = rows_equal(got, want)
    t.ok(ok, "sqs rows 3-21: the first 19 queues by name, each with visible, in flight, "
         "delayed, oldest, FIFO and DLQ as boto3 reads them", diff)
    e = r.dumps.get("end") or []
    ok, diff = rows_equal([x[:SQS_CUT_80].rstrip() for x in e[3:22]],
                          [sqs_row_80(n, q[n], ages.get(n)) for n in names[-19:]])
    t.ok(ok, "G scrolls to the last queues", diff)
    rv = r.dumps.get("rev") or []
    t.eq(names_in_table(rv, 2, q), sorted(q, reverse=True)[:19],
         "S reverses the order (Z first)")
    s1 = r.dumps.get("sort1") or []
    order = names_in_table(s1, 2, q)
    depth = sorted(q, key=lambda n: (-q[n]["visible"], n))
    t.ok(len(s1) > 2 and "sorted by VISIBLE" in s1[1] and
         [q[n]["visible"] for n in order] == [q[n]["visible"] for n in depth[:19]],
         "s sorts by the next column, VISIBLE, deepest first (depths from boto3)",
         "\n".join(s1[:4]) + f"\nscreen: {order}\nboto3: {depth[:19]}")


def filters(env, q):
    s = (Script().refresh().keys("2").keys("/orders").keys("<Enter>").dump("f")
         .keys("/").keys("<C-u>!orders").keys("<Enter>").dump("nf")
         .keys("/").keys("<C-u>*:orders").keys("<Enter>").dump("all")
         .keys("/").keys("<C-u>dlq:orders").keys("<Enter>").dump("col")
         .keys("/").keys("<Esc>").dump("clear"))
    r = run_script(env, s, 200, 60)
    # plain text looks in the name column; *: in every column (the DLQ column too);
    # COLUMN: in that one
    named = sorted(n for n in q if "orders" in n)
    anywhere = sorted(n for n, v in q.items() if "orders" in n or "orders" in (v["dlq"] or ""))
    by_dlq = sorted(n for n, v in q.items() if "orders" in (v["dlq"] or ""))
    for name, want, what, flt in (
            ("f", named, "/orders keeps exactly the rows whose name holds orders", "/orders"),
            ("nf", sorted(set(q) - set(named)), "/!orders keeps exactly the other rows",
             "/!orders"),
            ("all", anywhere, "/*:orders keeps the rows mentioning orders in any column",
             "/*:orders"),
            ("col", by_dlq, "/dlq:orders keeps the rows whose DLQ holds orders", "/dlq:orders"),
            ("clear", sorted(q), "Esc in the filter prompt clears it: every row again", "")):
        d = r.dumps.get(name) or []
        h, _ = table_at(d, SQS_COLS)
        t.eq(names_in_table(d, h, q) if h >= 0 else None, want, what)
        title = f"SQS queues  {len(want)} shown of {len(q)}  " + (f"{flt}  " if flt else "") \
            + f"sorted by QUEUE ascending  {depth_scale(q)}"
        t.eq(d[1] if len(d) > 1 else None, title, f"the title row says {flt or 'no filter'}")


def typeahead(env, q):
    """Keys typed faster than the screen is drawn (one `keys` line, as a paste or a fast
    typist): Enter after a filter opens the row the filter left, not the old cursor row."""
    s = Script().refresh().keys("2").keys("/orders-intake<Enter><Enter>").dump("d")
    r = run_script(env, s, 200, 60)
    d = r.dumps.get("d") or []
    t.ok(len(d) > 1 and d[1] == "Queue orders-intake",
         "typeahead: /orders-intake<Enter><Enter> opens orders-intake's detail",
         r.why("d"))


def section(pairs):
    """A detail-pane section as (label, value) pairs, the form pane_pairs() reads back."""
    return [(k, str(v)) for k, v in pairs]


def pane_pairs(rows):
    """Detail-pane rows read as (label, value): two blanks of indent, the label, at least
    two blanks (the label column's width is the pane's business), the value. A title row
    (no indent) stays as it is."""
    out = []
    for r in rows:
        m = re.match(r"^  (\S(?:.*?\S)?) {2,}(\S.*)$", r)
        out.append((m.group(1), m.group(2)) if m else r)
    return out


def detail_pane(env, q):
    name = "orders-intake"
    s = (Script().refresh().keys("2").keys(f"/{name}").keys("<Enter>").keys("<Enter>").refresh()
         .dump("detail").keys("<Esc>").dump("closed"))
    r = run_script(env, s, 200, 60)
    d = check_frame(r, "detail", 200, 60, "detail pane")
    if d is None:
        return
    a, tags = q[name]["attrs"], q[name]["tags"]
    text = "\n".join(d)
    t.eq(pane_pairs(d[1:5]), ["Queue " + name] + section([("Name", name),
                                                          ("URL", q[name]["url"]),
                                                          ("ARN", a["QueueArn"])]),
         "detail pane: the queue's name, URL, ARN")
    shown = pane_pairs(d)
    for key in ("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"):
        t.ok((key, a[key]) in shown, f"detail shows attribute {key} = {a[key]} (boto3)", text)
    # settings in units; the raw numbers are the snapshot's
    for key in ("VisibilityTimeout", "MessageRetentionPeriod", "DelaySeconds",
                "ReceiveMessageWaitTimeSeconds"):
        t.ok((key, seconds(a[key])) in shown,
             f"detail shows {key} {a[key]} (boto3) as {seconds(a[key])}", text)
    rp = json.loads(a["RedrivePolicy"])
    i = find_row(d, "Redrive policy")
    want = ["Redrive policy"] + section([("DLQ", q[name]["dlq"]),
                                         ("DLQ ARN", rp["deadLetterTargetArn"]),
                                         ("maxReceiveCount", rp["maxReceiveCount"])])
    t.eq(pane_pairs(d[i:i + 4]) if i >= 0 else None, want,
         "detail shows the redrive policy: DLQ, its ARN, maxReceiveCount")
    i = find_row(d, "Tags")
    want = ["Tags"] + section(sorted(tags.items()))
    t.ok(pane_pairs(d[i:i + len(want)]) == want and len(tags) == 3,
         "detail shows every tag, by key, with its value (boto3's ListQueueTags)",
         f"want {want}\ngot  {pane_pairs(d[i:i + len(want)]) if i >= 0 else None}")
    c = r.dumps.get("closed") or []
    t.ok(len(c) > 3 and c[2].startswith("QUEUE") and screen_has(c[3:4], name),
         "Esc closes the detail pane, back to the filtered table", "\n".join(c[:5]))


def dlq_view(env, q, ages):
    s = Script().refresh().keys("3").dump("dlq")
    r = run_script(env, s, 80, 24)
    d = check_frame(r, "dlq", 80, 24, "dlq view at 80x24")
    if d is None:
        return
    dlqs = [n for n, v in q.items() if v["is_dlq"]]
    full = sorted((n for n in dlqs if q[n]["visible"] > 0), key=lambda n: (-q[n]["visible"], n))
    empty = sorted(n for n in dlqs if q[n]["visible"] == 0)
    t.eq(d[1], f"Dead-letter queues  {len(full)} holding messages, {len(dlqs)} total",
         "dlq title row: how many DLQs hold messages")
    t.ok(d[2].split() == ["DLQ", "DEPTH\u25be", "SINCE", "OPEN", "OLDEST", "IN", "FLIGHT",
                          "PER", "MIN", "SOURCES"],
         "dlq column headers, sorted by DEPTH descending (the mark); the change is since the "
         "console opened, the rate per minute", d[2])
    # each row's words: name, depth, change since opened, oldest, in flight, sources...
    want = [[n, str(q[n]["visible"]), "0", dur(ages.get(n)), str(q[n]["in_flight"])]
            for n in full + empty]
    got = [x.split()[:5] for x in d[3:3 + len(want)]]
    t.ok(got == want and len(empty) == 1,
         "dlq view: DLQs holding messages first (deepest first), then the empty one, each "
         "with depth, change, oldest, in flight from boto3",
         "\n".join(f"want {w}\ngot  {g}" for w, g in zip(want, got)))
    bad = []
    for n in full + empty:
        i = find_row(d, n + " ")
        src = " ".join(d[i].split()[6:]) if i >= 0 else ""   # after PER MIN
        first = src.split(",")[0].rstrip("\u2026")
        if not first or not any(x.startswith(first) for x in q[n]["sources"]):
            bad.append((n, src, q[n]["sources"]))
    t.ok(not bad, "each DLQ's SOURCES column names its source queues (boto3's "
         "ListDeadLetterSourceQueues)", f"{bad}")


def help_and_commands(env):
    s = (Script().refresh()
         .keys("1").dump("k1").keys("2").dump("k2").keys("3").dump("k3")
         .keys(":overview<Enter>").dump("c1").keys(":sqs<Enter>").dump("c2")
         .keys(":dlq<Enter>").dump("c3")
         .keys("2").keys("?").dump("help").keys("<PgDn>").dump("help2").keys("<Esc>")
         .dump("afterhelp"))
    r = run_script(env, s, 80, 24)
    for k, c, v in (("k1", "c1", "overview"), ("k2", "c2", "sqs"), ("k3", "c3", "dlq")):
        ok, diff = rows_equal(r.dumps.get(c), r.dumps.get(k) or ["(no dump)"])
        t.ok(ok and r.dumps.get(k), f":{v} shows the same screen as its number key", diff)
    firsts = [(r.dumps.get(x) or ["", ""])[1] for x in ("k1", "k2", "k3")]
    t.ok(firsts[0].startswith("Dead-letter queues holding") and
         firsts[1].startswith("SQS queues") and firsts[2].startswith("Dead-letter queues  "),
         "1, 2, 3 open the overview, the sqs view and the dlq view", f"{firsts}")
    # the box fits 80x24 and scrolls: its first two pages
    hp = (r.dumps.get("help") or []) + (r.dumps.get("help2") or [])
    text = "\n".join(hp)
    want = [("Enter", "details"), ("s/S", "sort: by the next column / reverse the order"),
            ("/", "filter"), (":", "command"), ("?", "this help"), ("1-9", "view"),
            ("Esc/q", "back")]
    missing = [f"{k} {w}" for k, w in want
               if not any(("\u2502 " + k + " ") in x and w in x for x in hp)]
    t.ok(not missing, "? help lists the sqs view's keys and the framework's, one per line "
         "(paged with PgDn)",
         f"missing {missing}\n{text}")
    ok, diff = rows_equal(r.dumps.get("afterhelp"), r.dumps.get("k2") or [])
    t.ok(ok, "Esc closes help, back to the same sqs screen", diff)


def bad_profile_and_theme(env):
    s = (Script().refresh().keys("2").dump("before")
         .keys(":profile nosuch-profile<Enter>").dump("badprof")
         .keys(":theme monochrome<Enter>").dump("mono")
         .keys(":theme no-such-theme<Enter>").dump("badtheme"))
    r = run_script(env, s, 200, 60)   # wide enough for the whole error line
    before, bp = r.dumps.get("before") or [], r.dumps.get("badprof") or []
    # the temp HOME's paths make the line longer than 200 columns: it says where the rest is
    t.ok(len(bp) == 60 and "'nosuch-profile' (from :profile)" in bp[59] and
         bp[59].endswith("\u2026 (:errors)") and "--profile" not in bp[59],
         ":profile with an unknown profile: the status line names it, and :errors when cut",
         f"status line: {bp[59] if len(bp) == 60 else r.why('badprof')!r}")
    ok, diff = rows_equal(bp[:59], before[:59])
    t.ok(ok, "an unknown profile leaves the header (profile default) and the view as they were",
         diff)
    mono = r.dumps.get("mono") or []
    t.ok(len(mono) == 60 and "no-such" not in mono[59] and "monochrome" in mono[59],
         ":theme monochrome is accepted (the status line says so)", r.why("mono"))
    ok, diff = rows_equal(mono[:59], before[:59])
    t.ok(ok, "the monochrome theme keeps the text of the screen", diff)
    bt = r.dumps.get("badtheme") or []
    t.ok(len(bt) == 60 and "no-such-theme" in bt[59],
         ":theme with an unknown theme: an error naming it", r.why("badtheme"))


def production(env, ident):
    e = dict(env)
    add_aws_profile(e, "prod-ops")
    write_app_config(e, CONFIG + "[profile prod-ops]\nenvironment = production\n")
    try:
        r = run_script(e, Script().refresh().dump("prod"), 80, 24, args=("--profile", "prod-ops"))
        ro = run_script(e, Script().refresh().dump("prod"), 80, 24,
                        args=("--profile", "prod-ops", "--read-only"))
        w = run_script(e, Script().refresh().dump("prod"), 80, 24,
                       args=("--profile", "prod-ops", "--allow-writes"))
    finally:
        write_app_config(e, CONFIG)
    # moto's caller is user/moto: the header names the user without its type when the
    # whole line does not fit 80 columns
    who = ident["Arn"].split(":", 5)[5]
    name = who.rsplit("/", 1)[-1]
    tail = f"{ident['Account']}  {name}  profile prod-ops  us-east-1  creds no expiry"
    for run, how in ((r, "read-only by default"), (ro, "--read-only")):
        d = check_frame(run, "prod", 80, 24, f"production profile, {how}")
        if d:
            # PRODUCTION in its short form (the red says it), so that the identity stays
            t.eq(d[0], f" PROD READ-ONLY {tail}", "a profile marked environment = production, "
                 f"{how}: PROD and READ-ONLY first in the header, then account, identity, "
                 "profile, region and countdown in 80 columns")
    d = check_frame(w, "prod", 80, 24, "production profile, --allow-writes")
    if d:
        # the whole banner fits with the identity once its type has gone
        t.eq(d[0], f" PRODUCTION  {tail}", "--allow-writes: PRODUCTION first in the header, "
             "no READ-ONLY, the identity without its type to fit 80 columns")


def resize(env, q, ages):
    s = Script().refresh().keys("2").dump("small").resize(100, 30).refresh().dump("wide")
    r = run_script(env, s, 80, 24)
    d = check_frame(r, "wide", 100, 30, "resize 100 30")
    if d is None:
        return
    t.ok(len(d[2]) > 80 and d[2].startswith("QUEUE") and d[2].rstrip().endswith("DEPTH"),
         "after resize the table's columns spread over the new width", d[2])
    i = find_row(d, "orders-intake ")
    cells = d[i].split() if i >= 0 else []
    v = q["orders-intake"]
    t.eq(cells[:6], ["orders-intake", str(v["visible"]), str(v["in_flight"]),
                     str(v["delayed"]), dur(ages.get("orders-intake")), v["dlq"]],
         "after resize orders-intake's row still reads right (boto3's numbers)")
    t.ok(d[28].endswith(FRAMEWORK_KEYS) and d[29] == "updated 0s ago",
         "after resize the footer and status line sit on the last two rows", "\n".join(d[26:]))


def sns_view(env, sns):
    """Key 4 at 120x40: one row per topic with its subscriptions, pending ones and those
    without a DLQ as boto3 counts them; the failing ones first."""
    s = Script().refresh().keys("4").dump("sns")
    r = run_script(env, s, 120, 40)
    d = check_frame(r, "sns", 120, 40, "sns view at 120x40")
    if d is None:
        return
    want = {}
    for page in sns.get_paginator("list_topics").paginate():
        for tp in page["Topics"]:
            arn = tp["TopicArn"]
            subs = [x for pg in sns.get_paginator("list_subscriptions_by_topic").paginate(
                TopicArn=arn) for x in pg["Subscriptions"]]
            pending = sum(x["SubscriptionArn"] == "PendingConfirmation" for x in subs)
            no_dlq = sum(1 for x in subs if x["SubscriptionArn"] != "PendingConfirmation" and
                         "RedrivePolicy" not in sns.get_subscription_attributes(
                             SubscriptionArn=x["SubscriptionArn"])["Attributes"])
            want[arn.rsplit(":", 1)[1]] = [str(len(subs)), str(pending), str(no_dlq)]
    t.ok(d[1].startswith("SNS topics  ") and d[1].endswith(f"{len(want)} total, last hour"),
         "sns title row: problems, failing, total", d[1])
    t.ok(re.match(r"SNS local emulator ok \d+ms  http://127\.0\.0\.1:\d+$", d[2]) and
         re.match(r"SQS local emulator ok \d+ms  http://127\.0\.0\.1:\d+$", d[3]) and
         d[4] == "VPC endpoints: sns none; sqs none; s3 none",
         "sns reachability lines: the emulator's endpoints answering, no VPC endpoint",
         "\n".join(d[1:5]))
    t.ok(d[5].split()[:2] == ["TOPIC\u25b4", "SUBS"], "sns column headers", d[5])
    got = {x.split()[0]: x.split()[1:4] for x in d[6:6 + len(want)] if x.strip()}
    t.eq(got, want, "sns view: every topic with its subscriptions, pending and without a DLQ "
         "as boto3 counts them")
    t.ok(d[6].split()[0] in ("order-events", "billing-alerts"),
         "a topic with failed deliveries in the last hour is the first row", d[6])


def expiry(env, endpoint):
    """6 and :expiry: the timeline at 80x24, the console's own credentials and a rotating
    secret (its name and next rotation as boto3 reads them), the line below in both zones."""
    c = boto3_clients(endpoint, services=("secretsmanager",))
    sm = c["secretsmanager"]
    rotating_secret(sm, "screen/db-password", value="never-shown")
    nxt = sm.describe_secret(SecretId="screen/db-password")["NextRotationDate"]
    s = Script().refresh().keys("6").refresh().dump("six").keys(":expiry\n").dump("colon")
    r = run_script(env, s, 80, 24)
    d = check_frame(r, "six", 80, 24, "expiry view at 80x24")
    if d is None:
        return
    t.ok(d[1].startswith("Expiries  "), "6 opens the expiry view", d[1])
    t.ok(d[2].startswith("WHAT") and "LEFT" in d[2] and "STATE" in d[2],
         "its columns: what, whose, expires, left, state, why", d[2])
    # table rows start with WHAT (the title names the nearest one too)
    i = next((k for k, x in enumerate(d) if x.startswith("secret rotation ")), -1)
    row = d[i] if i >= 0 else ""
    # the name is cut to its column at 80; the time is UTC here (TZ=UTC)
    t.ok("screen/db-pa" in row and nxt.strftime("%m-%d %H:%M") in row and " ok " in row,
         "the rotating secret: its name and boto3's NextRotationDate, state ok",
         f"boto3: {nxt:%m-%d %H:%M}\n" + r.screen("six"))
    j = next((k for k, x in enumerate(d) if x.startswith("credentials ")), -1)
    t.ok(j > i >= 0 and "never" in d[j],
         "the console's own credentials (static keys) come after it: they never expire",
         r.screen("six"))
    t.ok("never-shown" not in "\n".join(d), "the secret's value is nowhere on screen")
    t.ok(d[22].startswith(" Enter refresh now  y/Y copy ") and d[22].endswith(FRAMEWORK_KEYS),
         "the footer at 80 columns: Enter (refresh now) and y first, then the framework's keys",
         d[22])
    colon = r.dumps.get("colon") or []
    ok, diff = rows_equal(colon[1:22], d[1:22])
    t.ok(ok, ":expiry shows the same view as 6", diff)


CONFIG = "[intervals]\ndefault = 2\n"   # a natural round comes in ~2 s, not 10 s


def main():
    with Moto() as m:
        manifest = seed(m.endpoint, objects=20)
        c = boto3_clients(m.endpoint, services=("sqs", "sts", "sns"))
        sqs = c["sqs"]
        # an empty DLQ, last by name so "non-empty first" is not the name order
        dlq = sqs.create_queue(QueueName="zz-empty-dlq")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])
        sqs.create_queue(QueueName="zz-empty-source", Attributes={"RedrivePolicy": json.dumps(
            {"deadLetterTargetArn": arn["Attributes"]["QueueArn"], "maxReceiveCount": "4"})})
        q = read_queues(sqs)
        for n, v in q.items():
            v["is_dlq"] = any(o["dlq"] == n for o in q.values())
            v["sources"] = sorted(u.rsplit("/", 1)[1] for u in sqs.list_dead_letter_source_queues(
                QueueUrl=v["url"]).get("queueUrls", [])) if v["is_dlq"] else []
        # the newest ApproximateAgeOfOldestMessage seeded per queue (the series rises, so
        # the newest point is its maximum)
        ages = {x["dimension"][1]: x["max"] for x in manifest["metrics"]
                if x["metric"] == "ApproximateAgeOfOldestMessage"}
        ident = c["sts"].get_caller_identity()
        env = console_env(m.endpoint, aws_env(m.endpoint))
        write_app_config(env, CONFIG)
        for name, fn, args in (("start", start_and_frame, (env, q, ages, ident)),
                               ("sqs", sqs_table, (env, q, ages)),
                               ("filter", filters, (env, q)),
                               ("typeahead", typeahead, (env, q)),
                               ("detail", detail_pane, (env, q)),
                               ("dlq", dlq_view, (env, q, ages)),
                               ("sns", sns_view, (env, c["sns"])),
                               ("help", help_and_commands, (env,)),
                               ("profile/theme", bad_profile_and_theme, (env,)),
                               ("production", production, (env, ident)),
                               ("resize", resize, (env, q, ages)),
                               ("expiry", expiry, (env, m.endpoint))):
            t.run(name, fn, *args)
    t.done()


if __name__ == "__main__":
    main()
