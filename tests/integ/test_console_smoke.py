"""test_console_smoke.py - the console opens, shows the account and the estate, and quits.

A small end-to-end check of the shell (src/ui/ui.c, src/ui/loop.c) in the headless script mode of
src/ui/ui.h, against moto seeded with the realistic estate: the header at 80x24 names the
account, profile and region; the overview is the first view; `keys 2` shows the SQS table
with the seeded queues; `:q` ends the run with status 0 and nothing after it runs; dumps are
0600. Then the ways the console refuses to start: no terminal (one line, exit 1), a bad
script line (file:line, exit 2), no credentials (one line naming the profile, exit 1).
The screen, tmux, stale-data and sanitiser tests live in tests/integ/console.am."""
import os
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awsenv import Moto, aws_env  # noqa: E402
from seed import seed  # noqa: E402
from tap import Tap  # noqa: E402

OPSDECK = os.environ["OPSDECK"]
t = Tap()
NOW = "1800000000"


def run(env, script_text, workdir, stdin=subprocess.DEVNULL):
    path = os.path.join(workdir, "smoke.script")
    with open(path, "w", encoding="utf-8") as f:
        f.write(script_text)
    e = dict(env)
    e.update({"OPSDECK_SCRIPT": path, "COLUMNS": "80", "LINES": "24",
              "TERM": "xterm-256color", "OPSDECK_TEST_NOW": NOW})
    return subprocess.run([OPSDECK], env=e, cwd=workdir, capture_output=True, text=True,
                          stdin=stdin, timeout=120)


def read(workdir, name):
    with open(os.path.join(workdir, name), encoding="utf-8") as f:
        return f.read().split("\n")


def base_env(home):
    e = dict(os.environ)
    for k in ("OPSDECK_SCRIPT", "NO_COLOR", "AWS_PROFILE", "AWS_REGION"):
        e.pop(k, None)
    # no developer config leaks in: opsdeck's and the AWS files point into the test's home
    e.update({"HOME": home, "XDG_CONFIG_HOME": os.path.join(home, ".config"),
              "AWS_CONFIG_FILE": os.path.join(home, "aws-config"),
              "AWS_SHARED_CREDENTIALS_FILE": os.path.join(home, "aws-credentials")})
    return e


def estate(home):
    with Moto() as m:
        manifest = seed(m.endpoint)
        env = base_env(home)
        env.update(aws_env(m.endpoint))
        work = tempfile.mkdtemp(dir=home)
        r = run(env, "dump overview.txt\n"
                     "keys 2\n"
                     "dump sqs.txt\n"
                     "keys :q<Enter>\n"
                     "dump after-quit.txt\n", work)
        t.eq(r.returncode, 0, ":q ends the console with status 0")
        t.ok(r.stderr == "", "nothing on stderr", r.stderr)

        ov = read(work, "overview.txt")
        t.eq(len(ov), 25, "a dump has one line per row of the 80x24 screen (and a final newline)")
        t.ok(all(len(line) <= 80 for line in ov), "no dumped row is wider than 80 columns",
             "\n".join(ov))
        t.ok(all(line == line.rstrip() for line in ov), "trailing blanks are cut")
        head = ov[0]
        t.ok("123456789012" in head, "the header shows moto's account 123456789012", head)
        t.ok("profile default" in head, "the header shows the profile", head)
        t.ok("us-east-1" in head, "the header shows the region", head)
        t.ok("no expiry" in head, "the header shows the credential countdown (static keys)",
             head)
        # the overview lists the DLQs that hold messages: seeded names must be on it
        full = [n for n, d in manifest["dlqs"].items() if d["messages"] > 0]
        body = "\n".join(ov[1:-2])
        t.ok(full and any(n in body for n in full),
             "the first view is the overview, listing a seeded DLQ with messages",
             "\n".join(ov))

        sq = read(work, "sqs.txt")
        body = "\n".join(sq[1:-2])
        visible_rows = sorted(manifest["queues"])[:10]
        shown = [n for n in visible_rows if len(n) <= 16 and n in body]
        t.ok(len(shown) >= 3 and [body.index(n) for n in shown] ==
             sorted(body.index(n) for n in shown),
             "`keys 2` shows the SQS table with the seeded queues, sorted by name",
             "\n".join(sq))
        t.ok("123456789012" in sq[0], "the header stays on the SQS view")
        t.ok(sq[-2] != "" and ("updated" in sq[-2] or "stale" in sq[-2]),
             "the status line gives the age of the data", sq[-2])

        t.ok(not os.path.exists(os.path.join(work, "after-quit.txt")),
             "nothing in the script runs after :q")
        for name in ("overview.txt", "sqs.txt"):
            mode = stat.S_IMODE(os.stat(os.path.join(work, name)).st_mode)
            t.eq(oct(mode), oct(0o600), f"{name} is written 0600")

        # q at the first view quits too; the end of a script quits on its own
        r = run(env, "keys q\ndump never.txt\n", work)
        t.eq(r.returncode, 0, "q at the first view quits with status 0")
        t.ok(not os.path.exists(os.path.join(work, "never.txt")), "and nothing runs after it")
        r = run(env, "keys 2\n", work)
        t.eq(r.returncode, 0, "the end of the script quits with status 0")

        # a production profile gets the banner, and at 80 columns the header still names
        # account, profile, region and countdown; a failed :profile keeps the session
        cfgdir = os.path.join(env["XDG_CONFIG_HOME"], "opsdeck")
        os.makedirs(cfgdir, exist_ok=True)
        with open(os.path.join(cfgdir, "config"), "w", encoding="utf-8") as f:
            f.write("[profile default]\nenvironment = production\n")
        r = run(env, "keys :profile nosuch<Enter>\ndump prod.txt\n", work)
        t.eq(r.returncode, 0, "a failed :profile does not end the console")
        scr = read(work, "prod.txt")
        head = scr[0]
        t.ok(head.lstrip().startswith("PROD"), "the PRODUCTION banner (PROD at 80 columns "
             "beside READ-ONLY) opens the header", head)
        t.ok(all(s in head for s in ("123456789012", "profile default", "us-east-1",
                                     "no expiry")),
             "with the banner at 80 columns: account, profile, region, countdown", head)
        t.ok("'nosuch'" in scr[-2], "the status line says why :profile failed", scr[-2])
        t.ok("profile default" in head, "and the header still shows the old profile", head)
        t.ok("orders-dlq" in "\n".join(scr), "the old session's data is still shown")
        os.unlink(os.path.join(cfgdir, "config"))

        # Tab in the `:` prompt: the matches show above the prompt line
        r = run(env, "keys :region eu-west<Tab>\ndump tab.txt\nkeys 1<Esc>\ndump tab2.txt\n",
                work)
        scr, scr2 = read(work, "tab.txt"), read(work, "tab2.txt")
        # rows[-1] is the empty string after the last newline: -2 status, -3 footer
        t.ok(scr[-3].split() == ["eu-west-1", "eu-west-2", "eu-west-3"] and
             scr[-2] == ":region eu-west-",
             "Tab completes to the common prefix and lists the regions it could be",
             "\n".join(scr[-3:]))
        t.ok(": cmd" in scr2[-3] and not scr2[-2].startswith(":"),
             "typing on clears the matches; Esc closes the prompt", "\n".join(scr2[-3:]))


def refusals(home):
    env = base_env(home)
    env.update({"AWS_ACCESS_KEY_ID": "AKIAOPSDECKTESTING01",
                "AWS_SECRET_ACCESS_KEY": "opsdeck-testing-secret", "AWS_REGION": "us-east-1"})
    r = subprocess.run([OPSDECK], env=env, capture_output=True, text=True,
                       stdin=subprocess.DEVNULL, timeout=60)
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    t.eq(r.returncode, 1, "not a terminal and no OPSDECK_SCRIPT: exit 1")
    t.eq(lines, ["opsdeck: the console needs a terminal; for scripts use "
                 "`opsdeck snapshot --json`"], "one line saying what to use instead")
    t.eq(r.stdout, "", "nothing on stdout")

    r = subprocess.run([OPSDECK, "--view", "nosuch"], env=env, capture_output=True,
                       text=True, stdin=subprocess.DEVNULL, timeout=60)
    t.ok(r.returncode == 2 and "nosuch" in r.stderr and "overview" in r.stderr,
         "--view with an unknown view: exit 2 naming it and the views there are", r.stderr)

    work = tempfile.mkdtemp(dir=home)
    r = run(env, "keys 2\nresize 80\n", work)
    t.eq(r.returncode, 2, "a malformed script line: exit 2")
    t.ok("smoke.script:2:" in r.stderr and "resize" in r.stderr,
         "the error names the script's file and line", r.stderr)

    env_nocreds = base_env(home)
    env_nocreds.update({"AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "",
                        "AWS_SECRET_ACCESS_KEY": ""})
    for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        env_nocreds.pop(k)
    r = run(env_nocreds, "dump x.txt\n", work)
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    t.eq(r.returncode, 1, "no credentials at all: exit 1 before the screen starts")
    t.ok(len(lines) == 1 and "default" in lines[0], "one line naming the profile",
         r.stderr)
    t.ok(not os.path.exists(os.path.join(work, "x.txt")), "and no script line ran")


with tempfile.TemporaryDirectory() as home:
    t.run("console against moto", estate, home)
    t.run("refusals", refusals, home)
t.done()
