"""test_snapshot_golden.py - `opsdeck snapshot` prints the same document it always did.

The snapshot runs the console's poll sources once (src/poll/sources/); before that it had a
request graph of its own. tests/data/snapshot/estate.json and estate.txt hold what the
snapshot printed for the realistic moto estate (tests/lib/seed.py) before the change, with
what differs from run to run replaced: the endpoint's port, UUIDs in subscription ARNs,
taken_at, queues' Created/LastModifiedTimestamp, buckets' creation dates. Of the stats,
the number of calls (requests less retries) is kept: the same document from a different
set of calls would be a different program.

    python3 tests/integ/test_snapshot_golden.py            compare (a TAP case each)
    python3 tests/integ/test_snapshot_golden.py --write    rewrite the two files from the
        opsdeck under test, then compare them: only when the estate or the schema changes
        on purpose, and then say what changed in doc/snapshot.md."""
import difflib
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awsenv import Moto, aws_env  # noqa: E402
from seed import seed  # noqa: E402
from snapcheck import OPSDECK, run_snapshot  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()
DATA = os.path.join(os.environ.get("TOP_SRCDIR", os.path.join(os.path.dirname(__file__), "..", "..")),
                    "tests", "data", "snapshot")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TAKEN = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def normal_text(text, endpoint):
    return UUID.sub("UUID", text.replace(endpoint, "ENDPOINT"))


def normal_doc(raw, endpoint):
    """The document with what differs between runs replaced; keys sorted for a stable diff."""
    doc = json.loads(normal_text(raw.decode("utf-8"), endpoint))
    doc["taken_at"] = "TAKEN_AT" if TAKEN.fullmatch(doc["taken_at"]) else doc["taken_at"]
    for q in doc["queues"]:
        # the newest CloudWatch point's time moves with the clock the estate was seeded at
        if q.get("oldest_age_at") and TAKEN.fullmatch(q["oldest_age_at"]):
            q["oldest_age_at"] = "POINT_TIME"
        for k in ("CreatedTimestamp", "LastModifiedTimestamp"):
            if k in q["attributes"]:
                q["attributes"][k] = "TIMESTAMP"
    for b in doc["buckets"]:
        if b["created"]:
            b["created"] = "CREATED"
    stats = doc["stats"]
    doc["stats"] = {"calls": stats["requests"] - stats["retries"]}
    return json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def compare(name, got, path):
    with open(path, encoding="utf-8") as f:
        want = f.read()
    diff = "".join(difflib.unified_diff(want.splitlines(True), got.splitlines(True),
                                        "before", "now", n=2))
    t.ok(got == want, name, diff[:6000])


def main(write):
    with Moto() as m:
        seed(m.endpoint)
        env = aws_env(m.endpoint)
        rc, raw, err = run_snapshot(env)
        t.ok(rc == 0, "snapshot --json exits 0 on the estate", err)
        doc = normal_doc(raw, m.endpoint)
        p = subprocess.run([OPSDECK, "snapshot"], env=env, capture_output=True, timeout=300)
        t.ok(p.returncode == 0, "snapshot (text) exits 0 on the estate", p.stderr.decode())
        text = normal_text(p.stdout.decode("utf-8"), m.endpoint)
    if write:
        # then compared like any run: the cases pass only if the files now hold this output
        for name, body in (("estate.json", doc), ("estate.txt", text)):
            with open(os.path.join(DATA, name), "w", encoding="utf-8") as f:
                f.write(body)
        t.diag("wrote tests/data/snapshot/estate.json and estate.txt")
    compare("the JSON document is the one the snapshot printed before it ran on the poll "
            "sources (same queues, numbers, DLQ links, topics, buckets and number of calls)",
            doc, os.path.join(DATA, "estate.json"))
    compare("the text summary is the same too", text, os.path.join(DATA, "estate.txt"))


t.run("snapshot unchanged", main, "--write" in sys.argv[1:])
t.done()
