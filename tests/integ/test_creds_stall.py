"""test_creds_stall.py - the console never waits for a credential refresh.

On a real terminal (tmux), against moto behind tests/lib/stallproxy.py, with polling every
2 s (opsdeck's config [intervals] default = 2):

- assume role, credentials refused: an SQS call answers ExpiredToken, the refresh's
  AssumeRole is held by the proxy (at least 10 s, and until the test has looked). While it is
  held: the header says "refreshing credentials", the status line says the data is stale and
  waits for the profile's credentials, the last rows stay on screen, and ?, Esc, a number
  key, the / filter and the : prompt each show their effect, each checked while the proxy
  still holds the answer (the order is asserted, not how long anything took). No other call
  reaches moto meanwhile: every request waits for the refresh. Released: fresh data, the
  header's note gone.
- assume role, the first AssumeRole held from the start: the console comes up at once with
  "refreshing credentials" and "no data yet", keys work, no other call goes out; released:
  the queues. snapshot and whoami, by contrast, wait for it (still running while it is
  held, nothing else sent) and finish with the role's data once it answers.
- assume role, credentials near their end (AssumeRole answers moved to expire 302 s
  later): the refresh runs in the background while polls go on with the old credentials:
  calls reach moto while AssumeRole is held, and the header says "refreshing credentials".
- assume role, STS stalls past opsdeck's 20 s limit: the refresh fails, the status line
  names the profile, AssumeRole and the fix, keys still work, and the next poll recovers.
- credential_process that sleeps (until the test releases it) after an ExpiredToken: the
  same, with the helper's own log telling when it answered.
- an MFA code asked during a refresh: on the status line, shown as stars, a short code
  refused there; the console keeps redrawing; the code goes in AssumeRole; Esc says so.
- the proxy's own answers: botocore parses its ExpiredToken (query XML and JSON) as such.

Every server is on a free loopback port and stopped by PID or by its thread.
"""
import json
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import boto3  # noqa: E402
import botocore.exceptions  # noqa: E402
from botocore.config import Config  # noqa: E402

from awsenv import Moto, aws_env, boto3_clients  # noqa: E402
from console import OPSDECK, Tmux, console_env, stty_sane, write_app_config  # noqa: E402
from stallproxy import StallProxy  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()
ROLE = "arn:aws:iam::123456789012:role/oncall"
STALL = 10.0     # seconds the held call is kept back at least
LIMIT = 20.0     # opsdeck's limit on one credential call (CREDS_CALL_TIMEOUT_MS)


def seed_small(endpoint):
    """Three queues with messages; orders-dlq is orders-intake's dead-letter queue."""
    sqs = boto3_clients(endpoint, services=("sqs",))["sqs"]
    dlq = sqs.create_queue(QueueName="orders-dlq")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])
    arn = arn["Attributes"]["QueueArn"]
    sqs.create_queue(QueueName="orders-intake", Attributes={"RedrivePolicy": json.dumps(
        {"deadLetterTargetArn": arn, "maxReceiveCount": "5"})})
    sqs.create_queue(QueueName="search-indexer")
    for name, n in (("orders-dlq", 2), ("orders-intake", 5), ("search-indexer", 3)):
        url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
        for i in range(n):
            sqs.send_message(QueueUrl=url, MessageBody=f"{name}-{i}")


def status(rows):
    for r in reversed(rows):
        if r.strip():
            return r
    return ""


def role_env(proxy_ep):
    """--profile ops: a role assumed with the base profile's (fake) keys, through the proxy."""
    env = console_env(proxy_ep, aws_env(proxy_ep), now=None)
    for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        env.pop(k, None)
    with open(env["AWS_CONFIG_FILE"], "w", encoding="ascii") as f:
        f.write(f"[profile ops]\nregion = us-east-1\nrole_arn = {ROLE}\n"
                "source_profile = base\n[profile base]\nregion = us-east-1\n")
    with open(env["AWS_SHARED_CREDENTIALS_FILE"], "w", encoding="ascii") as f:
        f.write("[base]\naws_access_key_id = AKIABASEKEY000001\n"
                "aws_secret_access_key = base-secret-value\n")
    env["OPSDECK_KEYRING"] = "off"
    write_app_config(env, "[intervals]\ndefault = 2\n")
    return env


def start_console(tm, env, profile, cols=100):
    tm.start(env, [OPSDECK, "--profile", profile, "--view", "sqs"], cols, 24)
    ok, rows = tm.wait_for(lambda rs: any("orders-intake" in r for r in rs) and
                           "123456789012" in rs[0] and status(rs).startswith("updated"),
                           deadline=60)
    t.ok(ok, f"profile {profile}: the sqs view shows the queues, the account in the header",
         "\n".join(rows))
    return ok


def quit_clean(tm):
    tm.text("q")
    st = tm.wait_exit()
    t.ok(st["rc"] == 0 and stty_sane(st["stty"]) == [], "q quits, terminal sane", str(st))


class Stalled:
    """Checks made while a refresh is held up; each says whether it was still held when
    the screen showed what was expected."""

    def __init__(self, tm, still, what):
        self.tm, self.still, self.what = tm, still, what

    def check(self, name, pred, deadline=30.0):
        ok, rows = self.tm.wait_for(pred, deadline=deadline)
        held = self.still()   # asked after the screen was seen: the effect came first
        t.ok(ok and held, f"{self.what}: {name}, while the refresh is still held up",
             ("(the hold had ended before the screen showed it)\n" if ok and not held else "")
             + "\n".join(rows))
        return ok

    def keys(self):
        """?, Esc, 3, 2, the / filter and the : prompt, each seen on the screen."""
        tm = self.tm
        tm.text("?")
        self.check("? opens help", lambda rs: any("key closes" in r for r in rs))
        tm.keys("Escape")
        self.check("Esc closes help", lambda rs: not any("key closes" in r for r in rs))
        tm.text("3")
        self.check("3 opens the dlq view (its rows from before)",
                   lambda rs: any(r.startswith("Dead-letter queues") for r in rs) and
                   any("orders-dlq" in r for r in rs))
        tm.text("2")
        self.check("2 goes back to the sqs view",
                   lambda rs: any("VISIBLE" in r for r in rs) and
                   any("search-indexer" in r for r in rs))
        tm.text("/intake")
        self.check("/ filters as it is typed",
                   lambda rs: any("orders-intake" in r for r in rs) and
                   not any("search-indexer" in r for r in rs))
        tm.keys("Escape")
        self.check("Esc clears the filter", lambda rs: any("search-indexer" in r for r in rs))
        tm.text(":sq")
        self.check(": opens the command prompt", lambda rs: status(rs).startswith(":sq"))
        tm.keys("Escape")


def stalled_sts(moto):
    """ExpiredToken, then AssumeRole held: requests wait, keys do not."""
    proxy = StallProxy(moto.endpoint)
    try:
        env = role_env(proxy.endpoint)
        with Tmux() as tm:
            if not start_console(tm, env, "ops"):
                return
            proxy.hold("AssumeRole", minimum=STALL)
            proxy.expire_next("sqs")
            held = proxy.wait_event("held", "AssumeRole")
            t.ok(held is not None, "ExpiredToken on an SQS call: the refresh asks STS again "
                 "(AssumeRole reached the proxy and is held)", str(proxy.events()[-5:]))
            if held is None:
                return
            s = Stalled(tm, lambda: proxy.holding, "STS held")
            s.check("the header says refreshing credentials",
                    lambda rs: "refreshing credentials" in rs[0])
            s.check("the status line says the data is stale, waiting for profile ops",
                    lambda rs: status(rs).startswith("stale") and
                    "waiting for the credentials of profile ops" in status(rs))
            s.check("the last rows stay on screen",
                    lambda rs: any("orders-intake" in r for r in rs) and
                    any("search-indexer" in r for r in rs))
            s.keys()
            first = status(tm.capture())
            ok, rows = tm.wait_for(lambda rs: status(rs).startswith("stale") and
                                   status(rs) != first)
            t.ok(ok and proxy.holding, "STS held: the stale age moves on (the screen is "
                 "redrawn, not frozen)", f"{first!r} -> {status(rows)!r}")
            # a request the client had signed with the expired key before the ExpiredToken
            # answer came in may still reach the proxy (at most the window of requests in
            # flight); nothing else may come while the refresh is held
            old_keys = {e[-1] for e in proxy.events("arrived") if e[0] < held[0]}
            during = [e for e in proxy.events("arrived") if e[0] > held[0]]
            unsigned_before = [e for e in during if e[-1] not in old_keys]
            t.ok(not unsigned_before and len(during) <= 16, "STS held: no other call came "
                 "meanwhile (every request waits for the refresh)", str(during))
            proxy.release()
            rel = proxy.wait_event("released", "AssumeRole")
            ok, rows = tm.wait_for(lambda rs: status(rs).startswith("updated") and
                                   "refreshing" not in rs[0], deadline=60)
            t.ok(rel is not None and ok, "released: fresh data, the header's note gone",
                 "\n".join(rows))
            after = [e for e in proxy.events("forwarded") if rel and e[0] > rel[0] and
                     e[2] != "AssumeRole"]
            t.ok(after and all(e[4] and e[4] != "AKIABASEKEY000001" for e in after),
                 "released: the waiting calls went out, signed with the role's new keys",
                 str(after[:5]))
            quit_clean(tm)
    finally:
        proxy.stop()


def stalled_at_start(moto):
    """The first AssumeRole held from the start: the console comes up at once, says it is
    refreshing and has no data yet, answers keys, sends nothing else; released: the data."""
    proxy = StallProxy(moto.endpoint)
    try:
        env = role_env(proxy.endpoint)
        proxy.hold("AssumeRole", minimum=STALL)
        with Tmux() as tm:
            tm.start(env, [OPSDECK, "--profile", "ops", "--view", "sqs"], 100, 24)
            held = proxy.wait_event("held", "AssumeRole")
            t.ok(held is not None, "start: the first AssumeRole reached the proxy and is held",
                 str(proxy.events()[-5:]))
            if held is None:
                return
            s = Stalled(tm, lambda: proxy.holding, "held at start")
            s.check("the console is up; the header says refreshing credentials, no countdown",
                    lambda rs: "refreshing credentials" in rs[0] and "creds" not in rs[0])
            s.check("the status line says there is no data yet, waiting for profile ops",
                    lambda rs: status(rs).startswith("no data yet") and
                    "waiting for the credentials of profile ops" in status(rs))
            s.check("no queue is shown as if there were none",
                    lambda rs: not any("orders-intake" in r for r in rs) and
                    not any("0 queues" in r for r in rs))
            tm.text("?")
            s.check("? opens help", lambda rs: any("key closes" in r for r in rs))
            tm.keys("Escape")
            s.check("Esc closes help", lambda rs: not any("key closes" in r for r in rs))
            tm.text(":sq")
            s.check(": opens the command prompt", lambda rs: status(rs).startswith(":sq"))
            tm.keys("Escape")
            during = [e for e in proxy.events("arrived") if e[0] > held[0]]
            t.ok(not during, "held at start: no other call went out (they wait for the "
                 "credentials)", str(during))
            proxy.release()
            ok, rows = tm.wait_for(lambda rs: any("orders-intake" in r for r in rs) and
                                   status(rs).startswith("updated") and
                                   "refreshing" not in rs[0], deadline=60)
            t.ok(ok, "released: the queues, the header's note gone", "\n".join(rows))
            quit_clean(tm)
    finally:
        proxy.stop()


def headless_waits(moto):
    """snapshot and whoami keep waiting for the credentials (they have nothing else to do):
    with AssumeRole held they are still running, nothing else has gone out; released, they
    finish with the role's data."""
    proxy = StallProxy(moto.endpoint)
    try:
        env = role_env(proxy.endpoint)
        for argv, what in (([OPSDECK, "--profile", "ops", "snapshot", "--json"], "snapshot"),
                           ([OPSDECK, "--profile", "ops", "whoami", "--json"], "whoami")):
            proxy.hold("AssumeRole", minimum=2.0)
            start = len(proxy.events())
            p = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            try:
                held = None
                end = time.monotonic() + 60     # a bound, not a check
                while held is None and time.monotonic() < end and p.poll() is None:
                    held = next((e for e in proxy.events("held", "AssumeRole")
                                 if e[0] > start), None)
                    time.sleep(0.05)
                running = held is not None and p.poll() is None
                still = proxy.holding   # asked after: it was running while held
                t.ok(running and still, f"{what}: still running while AssumeRole is held",
                     str(proxy.events()[start:]))
                proxy.release()
                out, err = p.communicate(timeout=120)
            finally:
                if p.poll() is None:
                    p.kill()
                    p.wait()
            evs = proxy.events()[start:]
            rel = [e for e in evs if e[1] == "released" and e[2] == "AssumeRole"]
            before = [e for e in evs if e[1] == "arrived" and e[2] != "AssumeRole" and
                      rel and e[0] < rel[0][0]]
            t.ok(rel and not before, f"{what}: no other call before AssumeRole answered",
                 str(evs[:6]))
            try:
                doc = json.loads(out.decode("utf-8"))
            except ValueError:
                doc = None
            arn = json.dumps(doc) if doc is not None else ""
            t.ok(p.returncode == 0 and doc is not None and "assumed-role/oncall" in arn and
                 (what != "snapshot" or "orders-intake" in arn),
                 f"{what}: exit 0 with the role's identity" +
                 (" and the queues" if what == "snapshot" else ""),
                 f"rc={p.returncode} err={err.decode('utf-8', 'replace')[-500:]}")
    finally:
        proxy.stop()


def background_refresh(moto):
    """Credentials near their end: polls go on with them while AssumeRole is held."""
    proxy = StallProxy(moto.endpoint)
    try:
        env = role_env(proxy.endpoint)
        # the credentials come due 2 s after they are made (302 s left; the window is 5
        # minutes): the first AssumeRole goes through, the refresh's is held
        proxy.expire_in(302)
        proxy.hold("AssumeRole", minimum=STALL, skip=1)
        with Tmux() as tm:
            tm.start(env, [OPSDECK, "--profile", "ops", "--view", "sqs"], 100, 24)
            ok, rows = tm.wait_for(lambda rs: any("orders-intake" in r for r in rs),
                                   deadline=60)
            t.ok(ok, "near expiry: the console starts and shows the queues", "\n".join(rows))
            held = proxy.wait_event("held", "AssumeRole")
            t.ok(held is not None, "near expiry: a refresh starts by itself (AssumeRole held)",
                 str(proxy.events()[-5:]))
            if held is None:
                return
            s = Stalled(tm, lambda: proxy.holding, "near expiry")
            # at 100 columns the short form, after the countdown, keeps the role whole
            s.check("the header says refreshing after the countdown",
                    lambda rs: re.search(r"creds \S+ +refreshing", rs[0]))
            end = time.monotonic() + 30
            polled = []
            while time.monotonic() < end and not polled:
                polled = [e for e in proxy.events("arrived") if e[0] > held[0] and
                          e[3] == "sqs"]
                time.sleep(0.1)
            still = proxy.holding
            t.ok(polled and still, "near expiry: polls reach moto with the old credentials "
                 "while the refresh is held", str(polled[:3]))
            s.check("the status line is not stale (the data keeps coming)",
                    lambda rs: status(rs).startswith("updated"))
            proxy.release()
            tm.text("q")
            tm.wait_exit()
    finally:
        proxy.stop()


def sts_too_slow(moto):
    """A stall longer than opsdeck's 20 s limit on a credential call: the refresh fails with
    a line naming the profile, AssumeRole and the fix; keys still work; the next poll's
    refresh (not held) recovers."""
    proxy = StallProxy(moto.endpoint)
    try:
        env = role_env(proxy.endpoint)
        with Tmux() as tm:
            if not start_console(tm, env, "ops", cols=300):   # the whole error line shows
                return
            proxy.hold("AssumeRole", minimum=LIMIT + 5)
            proxy.expire_next("sqs")
            held = proxy.wait_event("held", "AssumeRole")
            t.ok(held is not None, "slow STS: AssumeRole held", str(proxy.events()[-5:]))
            ok, rows = tm.wait_for(lambda rs: "profile ops: AssumeRole" in status(rs) and
                                   "timeout" in status(rs) and
                                   "AWS_ENDPOINT_URL_STS" in status(rs), deadline=60)
            t.ok(ok and proxy.holding, "slow STS: the refresh gives up at its own limit and "
                 "the status line names the profile and AssumeRole, while STS still stalls",
                 "\n".join(rows))
            tm.text("?")
            ok, rows = tm.wait_for(lambda rs: any("key closes" in r for r in rs))
            t.ok(ok, "slow STS: keys still work after the failure", "\n".join(rows))
            tm.keys("Escape")
            proxy.release()
            # the failure stands for the hold-off (30 s), then the next poll refreshes
            ok, rows = tm.wait_for(lambda rs: status(rs).startswith("updated"), deadline=90)
            t.ok(ok, "slow STS: after the hold-off the next refresh (not held) brings the "
                 "data back", "\n".join(rows))
            tm.text("q")
            tm.wait_exit()
    finally:
        proxy.stop()


HELPER = r"""#!/usr/bin/env python3
import json, os, sys, time
d = os.path.dirname(os.path.abspath(__file__))
log = open(os.path.join(d, "log"), "a")
runs = len(open(os.path.join(d, "runs")).read()) if os.path.exists(os.path.join(d, "runs")) else 0
open(os.path.join(d, "runs"), "a").write("x")
if runs >= 1 and os.path.exists(os.path.join(d, "sleep")):
    log.write("sleeping\n"); log.flush()
    end = time.monotonic() + float(open(os.path.join(d, "sleep")).read())
    while time.monotonic() < end or not os.path.exists(os.path.join(d, "release")):
        time.sleep(0.05)
    log.write("answered\n"); log.flush()
exp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 3600))
print(json.dumps({"Version": 1, "AccessKeyId": "ASIAPROCESS%07d" % runs,
                  "SecretAccessKey": "process-secret", "SessionToken": "process-token",
                  "Expiration": exp}))
"""


def sleeping_process(moto):
    """credential_process sleeps on its second run (after an ExpiredToken), until released
    and at least STALL seconds: keys and screen as with STS."""
    proxy = StallProxy(moto.endpoint)
    try:
        env = console_env(proxy.endpoint, aws_env(proxy.endpoint), now=None)
        for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
            env.pop(k, None)
        d = os.path.join(env["HOME"], "helper")
        os.makedirs(d)
        helper = os.path.join(d, "creds.py")
        with open(helper, "w", encoding="ascii") as f:
            f.write(HELPER)
        os.chmod(helper, 0o700)
        with open(env["AWS_CONFIG_FILE"], "w", encoding="ascii") as f:
            f.write(f"[profile proc]\nregion = us-east-1\ncredential_process = {helper}\n")
        env["OPSDECK_KEYRING"] = "off"
        # the helper's sleep ends when the test says: the 30 s limit must not end it first
        env["OPSDECK_CREDENTIAL_PROCESS_TIMEOUT"] = "120"
        write_app_config(env, "[intervals]\ndefault = 2\n")

        def log():
            try:
                with open(os.path.join(d, "log"), encoding="ascii") as f:
                    return f.read().split()
            except OSError:
                return []

        with Tmux() as tm:
            if not start_console(tm, env, "proc"):
                return
            with open(os.path.join(d, "sleep"), "w", encoding="ascii") as f:
                f.write(str(STALL))
            proxy.expire_next("sqs")
            end = time.monotonic() + 60
            while "sleeping" not in log() and time.monotonic() < end:
                time.sleep(0.05)
            t.ok("sleeping" in log(), "ExpiredToken: credential_process runs again, and "
                 "sleeps", str(log()))
            s = Stalled(tm, lambda: "answered" not in log(), "credential_process asleep")
            s.check("the header says refreshing credentials",
                    lambda rs: "refreshing credentials" in rs[0])
            s.check("the status line says the data is stale, waiting for profile proc",
                    lambda rs: status(rs).startswith("stale") and
                    "waiting for the credentials of profile proc" in status(rs))
            s.keys()
            open(os.path.join(d, "release"), "w").close()
            ok, rows = tm.wait_for(lambda rs: status(rs).startswith("updated") and
                                   "refreshing" not in rs[0], deadline=60)
            t.ok(ok and "answered" in log(), "credential_process answered: fresh data",
                 "\n".join(rows))
            # "updated" may come from another source first: the SQS source, which met the
            # ExpiredToken, polls again after its backoff
            def sqs_calls():
                return [e for e in proxy.events("forwarded") if e[3] == "sqs"]
            end = time.monotonic() + 60
            while (not any(e[4] == "ASIAPROCESS0000001" for e in sqs_calls()) and
                   time.monotonic() < end):
                time.sleep(0.1)
            fwd = sqs_calls()
            first = next((i for i, e in enumerate(fwd) if e[4] == "ASIAPROCESS0000001"), None)
            t.ok(first is not None and
                 all(e[4] == "ASIAPROCESS0000001" for e in fwd[first:]),
                 "the calls after it are signed with the helper's new key", str(fwd[-4:]))
            quit_clean(tm)
    finally:
        proxy.stop()


SERIAL = "arn:aws:iam::123456789012:mfa/alice"


def mfa_in_console(moto):
    """A role with mfa_serial: asked on the plain terminal at start; asked again on the
    status line when a refresh needs it (ExpiredToken), the code shown as stars, a short
    code refused there, the console alive meanwhile; the code typed goes in AssumeRole."""
    proxy = StallProxy(moto.endpoint)
    try:
        env = role_env(proxy.endpoint)
        with open(env["AWS_CONFIG_FILE"], "a", encoding="ascii") as f:
            f.write(f"[profile mfa]\nregion = us-east-1\nrole_arn = {ROLE}\n"
                    f"source_profile = base\nmfa_serial = {SERIAL}\n")
        prompt = f"MFA code for {SERIAL} (profile mfa): "
        with Tmux() as tm:
            tm.start(env, [OPSDECK, "--profile", "mfa", "--view", "sqs"], 120, 24)
            ok, rows = tm.wait_for(lambda rs: any(prompt.rstrip() in r for r in rs))
            t.ok(ok, "start: the MFA code is asked on the plain terminal", "\n".join(rows))
            tm.text("123456")
            tm.keys("Enter")
            ok, rows = tm.wait_for(lambda rs: any("orders-intake" in r for r in rs) and
                                   status(rs).startswith("updated"), deadline=60)
            t.ok(ok, "start: the console shows the queues after the code", "\n".join(rows))
            first = proxy.calls("AssumeRole")
            t.ok(len(first) == 1 and first[0].get("TokenCode") == "123456" and
                 first[0].get("SerialNumber") == SERIAL,
                 "start: AssumeRole carried the serial and the code typed", str(first))

            proxy.expire_next("sqs")
            ok, rows = tm.wait_for(lambda rs: status(rs).startswith(prompt.rstrip()), deadline=60)
            t.ok(ok, "ExpiredToken: the status line asks for the MFA code", "\n".join(rows))
            t.ok("refreshing credentials" in rows[0] and
                 any("orders-intake" in r for r in rows),
                 "asking: the header says refreshing credentials, the rows stay",
                 "\n".join(rows))
            tm.text("9090")
            ok, rows = tm.wait_for(lambda rs: status(rs) == prompt + "****")
            t.ok(ok and "9090" not in "\n".join(rows),
                 "asking: each key typed shows at once, as a star, never as its digit",
                 "\n".join(rows))
            tm.keys("Enter")
            ok, rows = tm.wait_for(lambda rs: any("6 digits" in r for r in rs) and
                                   status(rs) == prompt.rstrip())
            t.ok(ok and len(proxy.calls("AssumeRole")) == 1,
                 "asking: a short code is refused on the spot (no AssumeRole sent), the "
                 "prompt stays", "\n".join(rows))
            tm.text("654321")
            tm.keys("Enter")
            ok, rows = tm.wait_for(lambda rs: status(rs).startswith("updated") and
                                   "refreshing" not in rs[0], deadline=60)
            calls = proxy.calls("AssumeRole")
            t.ok(ok and len(calls) == 2 and calls[1].get("TokenCode") == "654321",
                 "answered: AssumeRole carried the new code, fresh data", str(calls) +
                 "\n" + "\n".join(rows))

            proxy.expire_next("sqs")
            ok, rows = tm.wait_for(lambda rs: status(rs).startswith(prompt.rstrip()), deadline=60)
            tm.keys("Escape")
            ok, rows = tm.wait_for(lambda rs: "no MFA code was given" in status(rs) and
                                   "profile mfa" in status(rs), deadline=60)
            t.ok(ok, "Esc: the status line says no code was given for profile mfa",
                 "\n".join(rows))
            quit_clean(tm)
    finally:
        proxy.stop()


def botocore_reads_the_proxy(moto):
    """The proxy's ExpiredToken answers are AWS's shapes: botocore reads the code."""
    proxy = StallProxy(moto.endpoint)
    try:
        cfg = Config(retries={"max_attempts": 1}, proxies={})
        kw = dict(endpoint_url=proxy.endpoint, region_name="us-east-1",
                  aws_access_key_id="AKIABASEKEY000001", aws_secret_access_key="x",
                  config=cfg)
        for svc, call in (("sqs", lambda c: c.list_queues()),
                          ("sts", lambda c: c.get_caller_identity())):
            proxy.expire_next(svc)
            try:
                call(boto3.client(svc, **kw))
                code = None
            except botocore.exceptions.ClientError as e:
                code = e.response["Error"]["Code"]
            t.ok(code in ("ExpiredToken", "ExpiredTokenException"),
                 f"botocore reads the proxy's ExpiredToken for {svc}", str(code))
    finally:
        proxy.stop()


def main():
    m = Moto().start()
    try:
        seed_small(m.endpoint)
        t.run("botocore reads the proxy", botocore_reads_the_proxy, m)
        t.run("STS stalls during a refresh", stalled_sts, m)
        t.run("STS stalls at start", stalled_at_start, m)
        t.run("headless commands wait", headless_waits, m)
        t.run("refresh in the background", background_refresh, m)
        t.run("STS slower than the limit", sts_too_slow, m)
        t.run("credential_process sleeps", sleeping_process, m)
        t.run("MFA in the console", mfa_in_console, m)
    finally:
        m.stop()
    t.done()


if __name__ == "__main__":
    main()
