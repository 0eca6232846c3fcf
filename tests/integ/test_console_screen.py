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
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awsenv import Moto, aws_env, boto3_clients  # noqa: E402
from console import (Script, add_aws_profile, cell, console_env, display_width,  # noqa: E402
                     find_row, header_row, rows_equal, run_script, screen_has,
                     write_app_config)
from seed import seed  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()

SQS_COLS = ("QUEUE", "VISIBLE", "IN FLIGHT", "DLQ")   # titles the sqs table must show
DLQ_COLS = ("DLQ", "DEPTH")


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
    """Queue names in screen order: the first word of each row after the header that is a
    known queue name (a cut name does not count, so cuts show up as missing rows)."""
    out = []
    for row in d[h + 1:len(d) - 2]:
        w = row.split()
        if w and w[0] in qnames:
            out.append(w[0])
    return out


# ---- the cases -----------------------------------------------------------------------------

def start_and_frame(env, q, ident):
    s = (Script().wait().dump("start")
         .resize(200, 60).wait().dump("big"))
    r = run_script(env, s, 80, 24)
    d = check_frame(r, "start", 80, 24, "start at 80x24")
    if d is None:
        return
    t.ok("us-east-1" in d[0] and "default" in d[0] and ident["Account"] in d[0],
         "header (row 0) names the account, the profile and the region", d[0])
    t.ok(not screen_has(d[:1], "PRODUCTION"), "no PRODUCTION banner for an unmarked profile",
         d[0])
    t.ok("?" in d[22] and "help" in d[22].lower(), "footer (row 22) lists ? help", d[22])
    t.ok("updated" in d[23] and "stale" not in d[23],
         "status line (row 23) says how old the data is, not stale", d[23])
    # the overview, the first view: every DLQ holding messages, with its depth from boto3
    full = {n: v for n, v in q.items() if v["visible"] > 0 and
            any(o["dlq"] == n for o in q.values())}
    missing = [f"{n} {v['visible']}" for n, v in full.items()
               if find_row(d, n, str(v["visible"])) < 0]
    t.ok(len(full) == 3 and not missing,
         "overview lists every DLQ holding messages with its depth",
         f"missing: {missing}\n" + r.screen("start"))
    empty = [n for n in q if n.startswith("zz-empty-dlq")]
    t.ok(empty and not screen_has(d, empty[0]), "overview leaves out the empty DLQ",
         r.screen("start"))

    b = check_frame(r, "big", 200, 60, "resize to 200x60")
    if b is not None:
        t.ok("updated" in b[59] and "help" in b[58].lower(),
             "at 200x60 the footer and status line move to rows 58 and 59",
             "\n".join(b[56:]))


def sqs_table(env, q):
    s = (Script().wait().keys("2").wait().dump("sqs")
         .keys("S").dump("rev")
         .keys("s").dump("sort1"))
    r = run_script(env, s, 200, 60)
    d = check_frame(r, "sqs", 200, 60, "sqs view at 200x60")
    if d is None:
        return
    h, hdr = table_at(d, SQS_COLS)
    if not t.ok(h >= 0, "sqs view shows a table with QUEUE, VISIBLE, IN FLIGHT, DLQ columns",
                r.screen("sqs")):
        return
    names = names_in_table(d, h, q)
    t.eq(names, sorted(q), "every queue is listed, sorted by name (60 rows hold all 28)")
    # whole cells of the rows a user checks first, against boto3
    for name in ("orders-intake", "shipping-labels", "search-indexer", "payments-events.fifo"):
        i = find_row(d, name + " ")
        want = (name, str(q[name]["visible"]), str(q[name]["in_flight"]), q[name]["dlq"] or "")
        got = (None,) if i < 0 else (cell(d[i], hdr, "QUEUE"), cell(d[i], hdr, "VISIBLE"),
                                     cell(d[i], hdr, "IN FLIGHT"),
                                     cell(d[i], hdr, "DLQ").lstrip("-") if cell(d[i], hdr, "DLQ")
                                     not in ("-", "—") else "")
        t.eq(got, want, f"{name}: visible, in flight and DLQ as boto3 reads them")

    rv = r.dumps.get("rev") or []
    hr, _ = table_at(rv, SQS_COLS)
    t.eq(names_in_table(rv, hr, q), sorted(q, reverse=True), "S reverses the order")
    s1 = r.dumps.get("sort1") or []
    h1, hdr1 = table_at(s1, SQS_COLS)
    order = names_in_table(s1, h1, q)
    t.ok(sorted(order) == sorted(q) and order not in (sorted(q), sorted(q, reverse=True)),
         "s sorts by another column: the order changes, no row is lost",
         "\n".join(s1))


def sort_by_visible(env, q):
    """s moves the sort to the next column; whichever that is, VISIBLE is reached by pressing
    s until its title carries the mark; then the rows are in boto3's order of depth."""
    s = Script().wait().keys("2")
    for i in range(6):
        s.keys("s").dump(f"s{i}")
    r = run_script(env, s, 200, 60)
    hit = None
    for i in range(6):
        d = r.dumps.get(f"s{i}") or []
        h, hdr = table_at(d, SQS_COLS)
        vis = hdr.find("VISIBLE")
        if h >= 0 and vis >= 0 and hdr[vis + 7:vis + 9].strip() not in ("", "I"):
            hit = (d, h, hdr)
            break
    if not t.ok(hit is not None, "pressing s reaches the VISIBLE column (its title is marked)",
                r.why("s0")):
        return
    d, h, hdr = hit
    order = names_in_table(d, h, q)
    depths = [q[n]["visible"] for n in order]
    t.ok(len(order) == len(q) and (depths == sorted(depths, reverse=True) or
                                   depths == sorted(depths)),
         "sorted by VISIBLE: depths (from boto3) run in order down the screen",
         f"{list(zip(order, depths))}")


def filters(env, q):
    s = (Script().wait().keys("2").keys("/orders<Enter>").dump("f")
         .keys("/<C-u>!orders<Enter>").dump("nf")
         .keys("/<C-u><Enter>").dump("clear"))
    r = run_script(env, s, 200, 60)
    # a row matches when any cell does: its name, or its DLQ column
    match = sorted(n for n, v in q.items() if "orders" in n or "orders" in (v["dlq"] or ""))
    for name, want, what in (("f", match, "/orders keeps exactly the rows mentioning orders"),
                             ("nf", sorted(set(q) - set(match)),
                              "/!orders keeps exactly the other rows"),
                             ("clear", sorted(q), "an empty filter shows every row again")):
        d = r.dumps.get(name) or []
        h, _ = table_at(d, SQS_COLS)
        t.eq(names_in_table(d, h, q) if h >= 0 else None, want, what)
    d = r.dumps.get("f") or []
    t.ok(screen_has(d[-2:], "orders") or screen_has(d[:2], "/orders"),
         "the active filter is shown", "\n".join(d[:2] + d[-2:]))


def detail_pane(env, q):
    name = "orders-intake"
    s = (Script().wait().keys("2").keys(f"/{name}<Enter>").keys("<Enter>").wait()
         .sleep(2200).wait().dump("detail")
         .keys("<Esc>").dump("closed"))
    r = run_script(env, s, 200, 60)
    d = check_frame(r, "detail", 200, 60, "detail pane")
    if d is None:
        return
    a, tags = q[name]["attrs"], q[name]["tags"]
    text = "\n".join(d)
    t.ok(q[name]["url"] in text or a["QueueArn"] in text, "detail names the queue's URL or ARN",
         text)
    for key in ("VisibilityTimeout", "MessageRetentionPeriod"):
        t.ok(find_row(d, key, a[key]) >= 0, f"detail shows attribute {key} = {a[key]}", text)
    rp = json.loads(a["RedrivePolicy"])
    t.ok(screen_has(d, q[name]["dlq"]) and screen_has(d, str(rp["maxReceiveCount"])),
         "detail shows the redrive target and maxReceiveCount",
         f"want {q[name]['dlq']} / {rp['maxReceiveCount']}\n{text}")
    missing = [f"{k}={v}" for k, v in tags.items() if find_row(d, k, v) < 0]
    t.ok(tags and not missing, "detail shows every tag (key and value on one row)",
         f"missing {missing}\n{text}")
    c = r.dumps.get("closed") or []
    t.ok(not screen_has(c, "MessageRetentionPeriod") and screen_has(c, name),
         "Esc closes the detail pane, back to the table", "\n".join(c))


def dlq_view(env, q):
    s = Script().wait().keys("3").wait().dump("dlq")
    r = run_script(env, s, 80, 24)
    d = check_frame(r, "dlq", 80, 24, "dlq view at 80x24")
    if d is None:
        return
    dlqs = {n for n, v in q.items() if any(o["dlq"] == n for o in q.values())}
    h, hdr = table_at(d, DLQ_COLS)
    if not t.ok(h >= 0, "dlq view shows a table with DLQ and DEPTH", r.screen("dlq")):
        return
    order = names_in_table(d, h, dlqs)
    full = [n for n in order if q[n]["visible"] > 0]
    t.ok(sorted(order) == sorted(dlqs) and order[:len(full)] == full and
         len(full) == len(dlqs) - 1,
         "every DLQ is listed, those holding messages first (the empty one, first by name, last)",
         f"order {order}\n{r.screen('dlq')}")
    bad = [(n, cell(d[find_row(d, n + ' ')], hdr, "DEPTH"), q[n]["visible"]) for n in order
           if cell(d[find_row(d, n + " ")], hdr, "DEPTH") != str(q[n]["visible"])]
    t.ok(not bad, "each DLQ's depth is what boto3 reads", f"(name, screen, boto3): {bad}")


def help_and_commands(env):
    s = (Script().wait()
         .keys("1").dump("k1").keys("2").dump("k2").keys("3").dump("k3")
         .keys(":overview<Enter>").dump("c1").keys(":sqs<Enter>").dump("c2")
         .keys(":dlq<Enter>").dump("c3")
         .keys("2").keys("?").dump("help").keys("<Esc>").dump("afterhelp"))
    r = run_script(env, s, 80, 24)
    for k, c, v in (("k1", "c1", "overview"), ("k2", "c2", "sqs"), ("k3", "c3", "dlq")):
        ok, diff = rows_equal(r.dumps.get(c), r.dumps.get(k) or ["(no dump)"])
        t.ok(ok and r.dumps.get(k), f":{v} shows the same screen as its number key", diff)
    k = [tuple(r.dumps.get(x) or ()) for x in ("k1", "k2", "k3")]
    t.ok(len(set(k)) == 3, "the three views are three different screens", r.why())
    hp = r.dumps.get("help") or []
    text = "\n".join(hp).lower()
    want = ["s/s", "enter", "/", ":", "q"]
    t.ok(all(w in text for w in want) and "sort" in text and "filter" in text,
         "? help lists the sqs view's keys (sort, Enter) and the framework's (/, :, q)",
         "\n".join(hp))
    ok, diff = rows_equal(r.dumps.get("afterhelp"), r.dumps.get("k2") or [])
    t.ok(ok, "Esc closes help, back to the same sqs screen", diff)


def bad_profile_and_theme(env):
    s = (Script().wait().keys("2").dump("before")
         .keys(":profile nosuch-profile<Enter>").dump("badprof")
         .keys(":theme monochrome<Enter>").dump("mono")
         .keys(":theme no-such-theme<Enter>").dump("badtheme"))
    r = run_script(env, s, 80, 24)
    before, bp = r.dumps.get("before") or [], r.dumps.get("badprof") or []
    t.ok(len(bp) == 24 and "nosuch-profile" in bp[23] and "stale" not in bp[23],
         ":profile with an unknown profile: a one-line error naming it on the status line",
         r.why("badprof"))
    ok, diff = rows_equal(bp[:23], before[:23])
    t.ok(ok, "an unknown profile leaves the header and the view as they were", diff)
    mono = r.dumps.get("mono") or []
    t.ok(len(mono) == 24 and "theme" not in mono[23].lower() or "monochrome" in mono[23],
         ":theme monochrome is accepted (no error on the status line)", r.why("mono"))
    bt = r.dumps.get("badtheme") or []
    t.ok(len(bt) == 24 and "no-such-theme" in bt[23],
         ":theme with an unknown theme: an error naming it", r.why("badtheme"))


def production(env):
    e = dict(env)
    add_aws_profile(e, "prod-ops")
    write_app_config(e, "[profile prod-ops]\nenvironment = production\n")
    r = run_script(e, Script().wait().dump("prod"), 80, 24, args=("--profile", "prod-ops"))
    d = check_frame(r, "prod", 80, 24, "production profile")
    if d:
        t.ok("PRODUCTION" in d[0] and "prod-ops" in d[0],
             "a profile marked environment = production shows PRODUCTION in the header", d[0])
    write_app_config(e, "")


def resize(env):
    s = Script().wait().keys("2").dump("small").resize(100, 30).wait().dump("wide")
    r = run_script(env, s, 80, 24)
    d = check_frame(r, "wide", 100, 30, "resize 100 30")
    if d is None:
        return
    h, hdr = table_at(d, SQS_COLS)
    sm = r.dumps.get("small") or []
    hs, hdr_s = table_at(sm, SQS_COLS)
    t.ok(h >= 0 and hs >= 0 and len(hdr.rstrip()) > 80 and hdr != hdr_s,
         "after resize the table is laid out across the new width",
         f"80: {hdr_s!r}\n100: {hdr!r}")
    t.ok("help" in d[28].lower() and "updated" in d[29],
         "after resize the footer and status line sit on the last two rows", "\n".join(d[26:]))


def main():
    with Moto() as m:
        seed(m.endpoint, objects=20)
        c = boto3_clients(m.endpoint, services=("sqs", "sts"))
        sqs = c["sqs"]
        # an empty DLQ, last by name so "non-empty first" is not the name order
        dlq = sqs.create_queue(QueueName="zz-empty-dlq")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])
        sqs.create_queue(QueueName="zz-empty-source", Attributes={"RedrivePolicy": json.dumps(
            {"deadLetterTargetArn": arn["Attributes"]["QueueArn"], "maxReceiveCount": "4"})})
        q = read_queues(sqs)
        ident = c["sts"].get_caller_identity()
        env = console_env(m.endpoint, aws_env(m.endpoint))
        for name, fn, args in (("start", start_and_frame, (env, q, ident)),
                               ("sqs", sqs_table, (env, q)),
                               ("sort", sort_by_visible, (env, q)),
                               ("filter", filters, (env, q)),
                               ("detail", detail_pane, (env, q)),
                               ("dlq", dlq_view, (env, q)),
                               ("help", help_and_commands, (env,)),
                               ("profile/theme", bad_profile_and_theme, (env,)),
                               ("production", production, (env,)),
                               ("resize", resize, (env,))):
            t.run(name, fn, *args)
    t.done()


if __name__ == "__main__":
    main()
