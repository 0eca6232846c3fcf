"""test_console_script.py - the headless script's refresh: fresh data without a poll interval.

The console against moto behind tests/lib/recproxy.py, with every view's interval at ten
minutes: far longer than the bound a script run is given (console.SCRIPT_TIMEOUT), so a run
that ends has not sat out an interval anywhere.

- `refresh` twice in the sqs view: the run ends, each refresh sent one more ListQueues than
  a run of the first round alone, and the dump after each shows the queue.
- `refresh` with an argument is refused with the file, the line and why, exit 2, and
  nothing is sent.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from awsenv import Moto, aws_env, boto3_clients  # noqa: E402
from console import Script, console_env, find_row, run_script, write_app_config  # noqa: E402
from recproxy import RecordingProxy  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()
LONG = "[intervals]\ndefault = 10m\ndlq = 10m\ns3 = 10m\nsqs = 10m\n"


def main():
    with Moto() as moto, RecordingProxy("127.0.0.1", int(moto.endpoint.rsplit(":", 1)[1])) as px:
        sqs = boto3_clients(moto.endpoint, services=("sqs",))["sqs"]
        sqs.create_queue(QueueName="alpha-orders")
        env = console_env(px.endpoint, aws_env(px.endpoint))
        write_app_config(env, LONG)

        # the first round alone (more than one source lists the queues in it)
        px.reset()
        r = run_script(env, Script().keys("2").dump("first"))
        t.eq(r.rc, 0, "the first round alone: the script ran to its end")
        first = px.targets().count("AmazonSQS.ListQueues")
        t.ok(first > 0 and find_row(r.dumps.get("first"), "alpha-orders") > 0,
             "the first round lists the queue", detail=r.why("first"))

        px.reset()
        s = (Script().keys("2").dump("first").refresh().dump("second")
             .refresh().dump("third"))
        r = run_script(env, s)
        t.eq(r.rc, 0, "two refreshes: the script ran to its end with every interval at 10 min")
        for name in ("first", "second", "third"):
            t.ok(find_row(r.dumps.get(name), "alpha-orders") > 0,
                 f"the {name} dump shows the queue", detail=r.why(name))
        t.eq(px.targets().count("AmazonSQS.ListQueues"), first + 2,
             "each refresh asked ListQueues once more than the first round did")

        px.reset()
        bad = Script().keys("2").refresh()
        bad.lines.append("refresh now")
        r = run_script(env, bad)
        t.eq(r.rc, 2, "a refresh with an argument: exit 2")
        t.ok("script:3: refresh takes no argument" in r.stderr,
             "the message names the file's line and why", detail=r.stderr[-500:])
        t.eq(px.bytes_in, 0, "a script that does not parse sends nothing")
    t.done()


main()
