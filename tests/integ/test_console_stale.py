"""test_console_stale.py - the console keeps answering keys while its emulator is down,
shows its data as stale (naming the endpoint), and recovers when the emulator comes back.

On a real terminal (tmux), polling every 2 s (opsdeck's config [intervals] default = 2):
moto is first frozen (SIGSTOP: requests hang) and then stopped by PID (connections refused);
meanwhile `?`, the number keys and Esc still work, the last good rows stay on screen and the
status line says stale with the endpoint. moto is then restarted on the same port and
re-seeded with one more queue: the status line is no longer stale and the new queue shows.
Also a console started during an outage recovers by itself when the emulator comes up."""
import json
import os
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awsenv import Moto, ServerError, aws_env, boto3_clients, free_port  # noqa: E402
from console import OPSDECK, Tmux, console_env, stty_sane, write_app_config  # noqa: E402
from hostile import Hostile  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()


def seed_small(endpoint, extra=()):
    """A few queues with messages and a DLQ; returns {name: visible}."""
    sqs = boto3_clients(endpoint, services=("sqs",))["sqs"]
    dlq = sqs.create_queue(QueueName="orders-dlq")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])
    arn = arn["Attributes"]["QueueArn"]
    counts = {"orders-dlq": 2, "orders-intake": 5, "search-indexer": 3}
    for name in ("orders-intake", "search-indexer", *extra):
        counts.setdefault(name, 1)
        attrs = {"RedrivePolicy": json.dumps({"deadLetterTargetArn": arn,
                                              "maxReceiveCount": "5"})} \
            if name == "orders-intake" else {}
        sqs.create_queue(QueueName=name, Attributes=attrs)
    for name, n in counts.items():
        url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
        for i in range(n):
            sqs.send_message(QueueUrl=url, MessageBody=f"{name}-{i}")
    return counts


def restart_on(port):
    """A new moto on the same port (retried: the old socket may linger a moment)."""
    last = None
    for _ in range(5):
        m = Moto()
        try:
            m._spawn(port)   # awsenv picks free ports; here the port must stay the same
            return m
        except ServerError as e:
            last = e
    raise last


def status(rows):
    """The status line: the last non-blank row of the screen."""
    for r in reversed(rows):
        if r.strip():
            return r
    return ""


def start_during_outage():
    """The console starts while nothing answers on its endpoint (the header's identity and
    the queue list both fail), then the emulator comes up: everything recovers by itself,
    without a key press."""
    port = free_port()
    ep = f"http://127.0.0.1:{port}"
    env = console_env(ep, aws_env(ep), now=None)
    write_app_config(env, "[intervals]\ndefault = 2\n")
    m = None
    try:
        with Tmux() as tm:
            tm.start(env, [OPSDECK, "--view", "sqs"], 100, 24)
            ok, rows = tm.wait_for(lambda rs: f"127.0.0.1:{port}" in status(rs))
            t.ok(ok, "outage at start: the status line names the endpoint that does not answer",
                 "\n".join(rows))
            m = restart_on(port)
            seed_small(m.endpoint)
            ok, rows = tm.wait_for(lambda rs: any("orders-intake" in r for r in rs) and
                                   "123456789012" in rs[0] and
                                   status(rs).startswith("updated"), deadline=60)
            t.ok(ok, "outage at start, emulator up: queues, the account in the header and a "
                 "clean status line, without a key press", "\n".join(rows))
            tm.text("q")
            tm.wait_exit()
    finally:
        if m:
            m.stop()


def hanging_endpoint():
    """An endpoint that accepts requests and never answers (500 queues listed first): the
    view is stale as soon as the poll is overdue by its interval plus the request timeout,
    while the first hung request is still held and long before the retries give up (they
    end after the third attempt, 40 s or more later); the line names the call and the
    endpoint, and the age counts from the last good read."""
    m = Moto().start()
    try:
        sqs = boto3_clients(m.endpoint, services=("sqs",), max_pool=16)["sqs"]
        from concurrent.futures import ThreadPoolExecutor
        with ThreadPoolExecutor(16) as ex:
            list(ex.map(lambda i: sqs.create_queue(QueueName=f"q-{i:03d}"), range(500)))
        with Hostile(m.endpoint) as h:
            env = console_env(h.endpoint, aws_env(h.endpoint), now=None)
            write_app_config(env, "[intervals]\ndefault = 2\n")
            with Tmux() as tm:
                tm.start(env, [OPSDECK, "--view", "sqs"], 100, 24)
                ok, rows = tm.wait_for(lambda rs: any("q-000" in r for r in rs) and
                                       status(rs).startswith("updated"), deadline=120)
                t.ok(ok, "500 queues: listed, fresh", "\n".join(rows))
                h.listed_before_hang = listings(h)
                h.hang = True
                ok, rows = tm.wait_for(lambda rs: status(rs).startswith("stale"), deadline=120)
                held = listings(h)
                line = status(rows)
                t.ok(ok, "hanging endpoint: the view turns stale", "\n".join(rows))
                t.ok(ok and held_hung(h) <= 2,
                     f"stale shown while the hung ListQueues was on its first or second "
                     f"attempt (the retries end after the third), {held} ListQueues seen", line)
                t.ok("sqs:ListQueues" in line and h.endpoint.split("//")[1] in line,
                     "the stale line names sqs:ListQueues and the endpoint", line)
                t.ok(any(r.startswith("q-000") or " q-000" in r for r in rows),
                     "the last good rows stay on screen", "\n".join(rows))
                tm.text("q")
                tm.wait_exit()
    finally:
        m.stop()


def listings(h):
    """The queue list's ListQueues requests so far, without the reachability probe's
    (MaxResults 1), which has its own schedule."""
    with h.lock:
        return sum(1 for b in h.bodies["ListQueues"] if b'"MaxResults":1}' not in b and
                   b'"MaxResults":1,' not in b)


def held_hung(h):
    """ListQueues requests of the queue list that reached the endpoint after it started
    hanging."""
    return listings(h) - h.listed_before_hang


def main():
    t.run("outage at start", start_during_outage)
    t.run("hanging endpoint", hanging_endpoint)
    m = Moto().start()
    m2 = None
    try:
        port = m.port
        seed_small(m.endpoint)
        env = console_env(m.endpoint, aws_env(m.endpoint), now=None)
        write_app_config(env, "[intervals]\ndefault = 2\n")
        endpoint = f"127.0.0.1:{port}"
        with Tmux() as tm:
            tm.start(env, [OPSDECK, "--view", "sqs"], 80, 24)
            ok, rows = tm.wait_for(lambda rs: any("orders-intake" in r for r in rs) and
                                   "updated" in status(rs))
            t.ok(ok, "the sqs view shows the queues, data fresh", "\n".join(rows))
            ok, rows = tm.wait_for(lambda rs: "123456789012" in rs[0])
            t.ok(ok, "the header names the account (GetCallerIdentity answered)", rows[0])

            # frozen: every request hangs until it times out
            os.kill(m.pid, signal.SIGSTOP)
            tm.text("r")    # a poll now in flight against a server that never answers
            tm.text("?")
            # the help box: its title, and its keys (whatever page 1 holds, sorting is on it)
            ok, rows = tm.wait_for(lambda rs: any("SQS queues: keys" in r for r in rs) and
                                   any("sort" in r.lower() for r in rs))
            t.ok(ok, "frozen emulator: ? still opens help", "\n".join(rows))
            tm.keys("Escape")
            tm.text("3")
            ok, rows = tm.wait_for("orders-dlq")
            t.ok(ok and not any("search-indexer" in r for r in rows),
                 "frozen emulator: 3 still switches to the dlq view", "\n".join(rows))
            os.kill(m.pid, signal.SIGCONT)

            # stopped by PID: connections refused
            m.stop()
            tm.text("2")
            ok, rows = tm.wait_for(lambda rs: "stale" in status(rs) and endpoint in status(rs),
                                   deadline=60)
            t.ok(ok, f"stopped emulator: the status line says stale and names {endpoint}",
                 "\n".join(rows))
            t.ok(any("orders-intake" in r for r in rows) and
                 any("search-indexer" in r for r in rows),
                 "stopped emulator: the last good rows stay on screen", "\n".join(rows))
            tm.text("?")
            ok, rows = tm.wait_for(lambda rs: any("SQS queues: keys" in r for r in rs) and
                                   any("sort" in r.lower() for r in rs))
            t.ok(ok, "stopped emulator: ? still opens help", "\n".join(rows))
            tm.keys("Escape")
            tm.text("1")
            ok1, rows1 = tm.wait_for(lambda rs: not any("search-indexer" in r for r in rs))
            tm.text("2")
            ok2, rows2 = tm.wait_for("search-indexer")
            t.ok(ok1 and ok2, "stopped emulator: number keys still switch views",
                 "\n".join(rows1) + "\n----\n" + "\n".join(rows2))

            # back on the same port, re-seeded with one more queue
            m2 = restart_on(port)
            seed_small(m2.endpoint, extra=("after-restart",))
            ok, rows = tm.wait_for(lambda rs: any("after-restart" in r for r in rs) and
                                   "stale" not in status(rs) and "updated" in status(rs),
                                   deadline=60)
            t.ok(ok, "emulator back: the new queue shows and the status line is not stale",
                 "\n".join(rows))
            t.ok("123456789012" in rows[0], "emulator back: the header names the account",
                 rows[0])
            # `r` asks again for everything the view shows, and for a failing identity
            tm.text("r")
            ok, rows = tm.wait_for(lambda rs: "123456789012" in rs[0] and
                                   status(rs).startswith("updated"))
            t.ok(ok, "emulator back, after r: header with the account, status line updated",
                 "\n".join(rows))
            tm.text(":q")
            tm.keys("Enter")
            st = tm.wait_exit()
            t.ok(st["rc"] == 0 and stty_sane(st["stty"]) == [],
                 "the console quits with :q and the terminal is sane", str(st))
    finally:
        if m.proc is not None and m.proc.poll() is None:
            os.kill(m.pid, signal.SIGCONT)   # a frozen moto cannot act on SIGTERM
        m.stop()
        if m2:
            m2.stop()
    t.done()


if __name__ == "__main__":
    main()
