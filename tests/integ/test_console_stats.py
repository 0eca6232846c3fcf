"""test_console_stats.py - `:stats` and `?` show the console's own request rate, per minute
and by service, against moto.

Headless (OPSDECK_SCRIPT): the sqs view, one poll round, then `:stats` (the status line) and
`?` (the help box, and its end with G). A second before the first look the rate has no span yet and says "not
measured yet", never a made-up zero; after the round it counts SQS requests, and the
number it gives for SQS is at least the number of queues, since the first round reads every
one. Which requests reached moto is not asserted here (test_adaptive_moto.py counts them on
the wire); this checks what a user reads."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awsenv import Moto, aws_env  # noqa: E402
from console import Script, console_env, run_script  # noqa: E402
from seed import seed  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()
RATE = re.compile(r"(\d+) requests/min over the last (\d+) s: (.*)")


def main():
    with Moto() as m:
        manifest = seed(m.endpoint)
        env = console_env(m.endpoint, aws_env(m.endpoint), cols=100, rows=30)
        # a rate needs REQRATE_MIN_SPAN_MS (10 s) of samples; "not measured yet" before
        # that is tested on a fake clock in test_reqrate (here the first poll may take longer)
        s = (Script().keys("2").wait().sleep(10500)
             .keys(":stats<Enter>").dump("stats").keys("?").dump("help").keys("G").dump("help-end"))
        r = run_script(env, s, 100, 30)
        t.ok(r.rc == 0, "the console runs the script", r.why())
        last = (r.dumps.get("stats") or [""])[-1]
        m1 = RATE.search(last)
        t.ok(m1 is not None, ":stats puts the rate on the status line", last)
        if m1:
            by = dict(re.findall(r"(\w+) (\d+)", m1.group(3)))
            nq = len(manifest["queues"])
            t.ok(int(by.get("sqs", 0)) >= nq,
                 f"SQS counts at least one GetQueueAttributes per queue ({nq})", by)
            t.ok(int(m1.group(1)) >= sum(int(v) for v in by.values()),
                 "the total is at least the sum of the services shown", last)
        helptext = r.screen("help") + "\n" + r.screen("help-end")
        t.ok("This console's requests" in helptext and "requests/min" in helptext,
             "? shows the same rate under its own heading")
        t.ok(":stats" in helptext, "? lists the :stats command")


t.run("request rate in the console", main)
t.done()
