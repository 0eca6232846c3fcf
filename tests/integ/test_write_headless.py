"""test_write_headless.py - the headless path of the write gate, end to end on moto:
`opsdeck sqs send` and `opsdeck audit`.

Every opsdeck run goes through a recording TCP relay (tests/lib/recproxy.py) in front of
moto, so what reached the server is known byte for byte; boto3 reads back what was sent.
  - a test message with --yes (stdin not a terminal): sent, its id printed, and boto3
    receives that id with the body and the message attributes of a [template NAME]
    ({{uuid}} and {{now}} filled in); FIFO: the group and deduplication ids;
  - without --yes on a non-terminal stdin: refused, no SendMessage byte;
  - read-only (--read-only, [general] read_only, a profile's read_only, a production profile
    without --allow-writes): refused with one line naming the setting and the fix, and not
    a single byte, not even a connection, reached the server;
  - the confirmation on a real terminal (a pty that is the process's controlling tty): y,
    n, and in production the typed queue name;
  - too large for the queue's own MaximumMessageSize: refused before sending, saying so;
  - the audit: a request and an outcome line per write (caller ARN, profile, account,
    region, action, resource, parameters, status, request id), no body in it, 0600; an
    audit log that cannot be written refuses the write; `opsdeck audit` prints the entries
    with hostile text escaped, and reports a line that is not one of ours.
"""
import json
import os
import pty
import re
import select
import stat
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from awsenv import Moto, aws_env, boto3_clients, sqs_receive_all  # noqa: E402
from console import audit_lines, audit_path  # noqa: E402
from recproxy import RecordingProxy  # noqa: E402
from tap import Tap  # noqa: E402

OPSDECK = os.environ["OPSDECK"]
t = Tap()
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"


def run(env, *args, stdin=subprocess.DEVNULL, input_text=None):
    kw = {"input": input_text} if input_text is not None else {"stdin": stdin}
    p = subprocess.run([OPSDECK, *args], env=env, capture_output=True, text=True, timeout=60,
                       **kw)
    return p.returncode, p.stdout, p.stderr


def run_on_tty(env, args, answer):
    """Runs opsdeck with a pty as its controlling terminal and stdin, answers the prompt it
    writes there, and returns (rc, everything written to the terminal)."""
    pid, fd = pty.fork()
    if pid == 0:
        try:
            os.execve(OPSDECK, [OPSDECK, *args], env)
        finally:
            os._exit(127)
    out, answered, deadline = b"", False, time.monotonic() + 60
    while time.monotonic() < deadline:
        r, _, _ = select.select([fd], [], [], 0.5)
        if r:
            try:
                data = os.read(fd, 4096)
            except OSError:
                break
            if not data:
                break
            out += data
            if not answered and (b"[y/N]" in out or b"to confirm (" in out):
                os.write(fd, answer.encode() + b"\n")
                answered = True
        else:
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                pid = 0
                break
    status = 0
    if pid:
        _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status) if pid else None, out.decode("utf-8", "replace")


def write_config(env, text):
    d = os.path.join(env["XDG_CONFIG_HOME"], "opsdeck")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "config"), "w", encoding="utf-8") as f:
        f.write(text)


def main():
    with Moto() as moto, RecordingProxy("127.0.0.1", int(moto.endpoint.rsplit(":", 1)[1])) as px:
        sqs = boto3_clients(moto.endpoint, services=("sqs",))["sqs"]
        orders = sqs.create_queue(QueueName="orders")["QueueUrl"]
        small = sqs.create_queue(QueueName="small",
                                 Attributes={"MaximumMessageSize": "1024"})["QueueUrl"]
        fifo = sqs.create_queue(QueueName="events.fifo",
                                Attributes={"FifoQueue": "true"})["QueueUrl"]
        env = aws_env(px.endpoint)
        env["XDG_CONFIG_HOME"] = os.path.join(env["HOME"], ".config")
        env["XDG_STATE_HOME"] = os.path.join(env["HOME"], ".local", "state")
        env.pop("VISUAL", None)
        env.pop("EDITOR", None)
        write_config(env, "[template order]\n"
                          "body = {\"id\": \"{{uuid}}\", \"at\": \"{{now}}\"}\n"
                          "attribute.eventType = OrderCreated\n"
                          "attribute.retries = Number:3\n")

        # ---- a test message, --yes ---------------------------------------------------------
        px.reset()
        rc, out, err = run(env, "sqs", "send", "orders", "--template", "order", "--yes")
        t.eq(rc, 0, "sqs send --template --yes exits 0")
        m = re.match(r"^sent to orders: message id (\S+)\n$", out)
        t.ok(m, "it prints the message id", detail=out + err)
        msgs = sqs_receive_all(sqs, orders)
        t.eq(len(msgs), 1, "boto3 receives one message")
        received = {"orders": msgs[0]["MessageId"] if msgs else None}
        if msgs and m:
            got = msgs[0]
            t.eq(got["MessageId"], m.group(1), "the id printed is the id boto3 receives")
            t.ok(re.fullmatch(r'\{"id": "' + UUID + r'", "at": "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"\}',
                              got["Body"]), "the template's body, {{uuid}} and {{now}} filled in",
                 detail=got["Body"])
            attrs = got.get("MessageAttributes", {})
            t.eq(attrs.get("eventType"), {"StringValue": "OrderCreated", "DataType": "String"},
                 "the String attribute of the template")
            t.eq(attrs.get("retries"), {"StringValue": "3", "DataType": "Number"},
                 "the Number attribute of the template")
        t.eq(px.targets().count("AmazonSQS.SendMessage"), 1, "one SendMessage on the wire")

        # ---- the body on stdin, and FIFO ids ---------------------------------------------
        rc, out, err = run(env, "sqs", "send", fifo, "--group-id", "grp-1", "--dedup-id",
                           "dd-{{uuid}}", "--yes", input_text="piped body\nline 2\n")
        t.eq(rc, 0, "sqs send to a FIFO queue URL with the body on stdin", )
        msgs = sqs_receive_all(sqs, fifo)
        t.eq([m["Body"] for m in msgs], ["piped body\nline 2\n"], "the piped body, as piped")
        received["fifo"] = ((msgs[0]["MessageId"], msgs[0]["Attributes"].get("SequenceNumber"))
                            if msgs else None)
        if msgs:
            t.eq(msgs[0]["Attributes"].get("MessageGroupId"), "grp-1", "the group id")
            t.ok(re.fullmatch("dd-" + UUID, msgs[0]["Attributes"].get("MessageDeduplicationId", "")),
                 "the deduplication id, placeholder filled in", detail=msgs[0]["Attributes"])

        # ---- no --yes without a terminal ----------------------------------------------------
        px.reset()
        rc, out, err = run(env, "sqs", "send", "orders", "--body", "x")
        t.eq(rc, 1, "without --yes and no terminal: exit 1")
        t.ok("stdin is not a terminal: pass --yes" in err, "it says to pass --yes", detail=err)
        t.ok("AmazonSQS.SendMessage" not in px.targets(), "and sends no SendMessage",
             detail=px.targets())

        # ---- read-only: nothing at all reaches the server ---------------------------------
        def refused(name, args, config, needle):
            write_config(env, config)
            px.reset()
            rc, out, err = run(env, "sqs", "send", "orders", "--body", "x", "--yes", *args)
            t.eq(rc, 1, f"{name}: refused, exit 1")
            t.ok(needle in err and "\n" == err[-1] and err.count("\n") == 1,
                 f"{name}: one line naming the setting and the fix", detail=err)
            t.eq((px.connections, px.bytes_in), (0, 0),
                 f"{name}: not one byte reached the server")

        refused("--read-only", ["--read-only"], "",
                "read-only (--read-only): restart opsdeck without --read-only to write")
        refused("[general] read_only", ["--allow-writes"], "[general]\nread_only = true\n",
                "read-only: [general] read_only = true in ")
        refused("[profile default] read_only", [], "[profile default]\nread_only = yes\n",
                "read-only: [profile default] read_only = true in ")
        refused("production", [], "[profile default]\nenvironment = production\n",
                "read-only: [profile default] environment = production; "
                "--allow-writes/:writes on")
        write_config(env, "[profile default]\nenvironment = production\n")
        rc, out, err = run(env, "sqs", "send", "orders", "--body", "prod", "--yes",
                           "--allow-writes")
        t.eq(rc, 0, "production with --allow-writes --yes: sent", )
        t.eq([m["Body"] for m in sqs_receive_all(sqs, orders)], ["prod"], "boto3 receives it")

        # ---- confirmation on the terminal --------------------------------------------------
        write_config(env, "")
        rc, screen = run_on_tty(env, ["sqs", "send", "orders", "--body", "tty yes"], "y")
        t.eq(rc, 0, "on a terminal, y confirms")
        t.ok("Send a test message: orders" in screen and "account 123456789012" in screen
             and "region us-east-1" in screen, "the prompt names the action, queue, account, "
             "region", detail=screen)
        rc, screen = run_on_tty(env, ["sqs", "send", "orders", "--body", "tty no"], "n")
        t.eq(rc, 1, "n does not confirm")
        t.eq([m["Body"] for m in sqs_receive_all(sqs, orders)], ["tty yes"],
             "only the confirmed message arrived")
        write_config(env, "[profile default]\nenvironment = production\n")
        rc, screen = run_on_tty(env, ["sqs", "send", "orders", "--body", "typed body",
                                      "--allow-writes"], "y")
        t.eq(rc, 1, "production: y is not the queue's name")
        t.ok("Type the queue's name to confirm (orders)" in screen and "PRODUCTION" in screen,
             "production asks for the typed name", detail=screen)
        rc, screen = run_on_tty(env, ["sqs", "send", "orders", "--body", "typed body",
                                      "--allow-writes"], "orders")
        t.eq(rc, 0, "production: the typed name confirms")
        t.eq([m["Body"] for m in sqs_receive_all(sqs, orders)], ["typed body"], "and it arrived")
        write_config(env, "")

        # ---- too large for the queue ----------------------------------------------------------
        px.reset()
        rc, out, err = run(env, "sqs", "send", "small", "--body", "x" * 1000, "--yes",
                           input_text=None)
        t.eq(rc, 0, "1000 bytes fit a 1024-byte queue")
        px.reset()
        rc, out, err = run(env, "sqs", "send", "small", "--body", "x" * 1025, "--yes")
        t.eq(rc, 2, "1025 bytes do not: refused as bad input")
        t.ok("the message is 1.0 KiB (1025 bytes, body and attributes); small takes at most "
             "1.0 KiB (MaximumMessageSize 1024): shorten it" in err, "it says why, with the "
             "queue's own limit", detail=err)
        t.ok("AmazonSQS.SendMessage" not in px.targets(), "and nothing was sent")
        rc, out, err = run(env, "sqs", "send", "nosuchqueue", "--body", "x", "--yes")
        t.ok(rc == 1 and "no queue named 'nosuchqueue' in profile default" in err,
             "an unknown queue name is one line", detail=err)

        # ---- the audit ------------------------------------------------------------------------
        lines = audit_lines(env)
        reqs = [x for x in lines if x.get("event") == "request"]
        outs = [x for x in lines if x.get("event") == "outcome"]
        t.eq(len(reqs), len(outs), "every request line has its outcome line")
        t.eq(len(reqs), 6, "one request line per message sent (6)")
        if reqs:
            r0 = reqs[0]
            t.eq({k: r0.get(k) for k in ("action", "profile", "account", "region", "service")},
                 {"action": "SendMessage", "profile": "default", "account": "123456789012",
                  "region": "us-east-1", "service": "sqs"}, "the request line's who and where")
            t.ok(str(r0.get("caller_arn", "")).startswith("arn:aws:") and
                 r0.get("resource") == orders.replace(moto.endpoint, px.endpoint),
                 "the caller's ARN and the queue URL", detail=r0)
            p = r0.get("parameters", {})
            t.eq((p.get("template"), p.get("confirmation"), p.get("attributes")),
                 ("order", "--yes", ["eventType (String)", "retries (Number)"]),
                 "parameters: template, how it was confirmed, attribute names and types")
            t.ok(isinstance(p.get("body_bytes"), int) and p["body_bytes"] > 40,
                 "parameters: the body's size, not the body", detail=p)
        confirmations = [x["parameters"].get("confirmation") for x in reqs]
        t.ok("yes" in confirmations and "typed" in confirmations,
             "the audit says a terminal confirmation was y or the typed name",
             detail=confirmations)
        if outs:
            o0 = outs[0]
            t.eq((o0.get("status"), o0.get("http_status"), o0.get("id") == reqs[0].get("id")),
                 ("ok", 200, True), "the outcome line: status, HTTP status, same id")
            t.ok(bool(o0.get("request_id")), "the outcome line has AWS's request id")
            t.eq(o0.get("result"), {"message_id": received["orders"]},
                 "the outcome line's message id is the id boto3 received")
        if len(outs) > 1:
            fid, fseq = received["fifo"] or (None, None)
            t.ok(fid and fseq and outs[1].get("result") == {"message_id": fid,
                                                            "sequence_number": fseq},
                 "a FIFO message's outcome: the message id and sequence number boto3 received",
                 detail=(outs[1].get("result"), received["fifo"]))
        raw = open(audit_path(env), encoding="utf-8").read()
        for body in ("piped body", "tty yes", "typed body", "xxxxxxxxxx"):
            t.ok(body not in raw, f"no message body in the audit ({body!r})")
        mode = stat.S_IMODE(os.stat(audit_path(env)).st_mode)
        t.eq(oct(mode), oct(0o600), "the audit log is 0600")
        t.eq(oct(stat.S_IMODE(os.stat(os.path.dirname(audit_path(env))).st_mode)), oct(0o700),
             "its directory is 0700")

        # opsdeck audit: text, -n, --json, hostile and malformed lines
        with open(audit_path(env), "a", encoding="utf-8") as f:
            f.write(json.dumps({"time": "2026-01-01T00:00:00.000Z", "event": "request",
                                "action": "SendMessage", "resource": "evil\x1b[2J\u202eq",
                                "profile": "p\x07"}) + "\n")
            f.write("{\"torn\": \n")
        rc, out, err = run(env, "audit")
        t.eq(rc, 0, "opsdeck audit exits 0")
        rows = out.splitlines()
        t.eq(len(rows), 14, "the last 14 entries (12 lines of ours, 2 appended) by default",
             )
        t.ok(any(r.startswith(reqs[0]["time"]) and " request  SendMessage " in r and
                 "profile default account 123456789012 region us-east-1" in r for r in rows),
             "a request line in text", detail=out)
        t.ok(any(" outcome  SendMessage " in r and " ok (HTTP 200) request id " in r
                 for r in rows), "an outcome line in text", detail=out)
        t.ok(any(" outcome  SendMessage " in r and
                 r.endswith(f" message_id {outs[-1]['result']['message_id']}")
                 for r in rows) if outs and outs[-1].get("result") else False,
             "the text outcome line names the message id", detail=out)
        t.ok("evil\\x1B[2J\\u{202E}q" in out and "\x1b" not in out and "\u202e" not in out,
             "hostile text in the log is printed escaped, never raw", detail=repr(out[-400:]))
        t.ok(rows and rows[-1] == "line 14: not an audit entry (not a JSON object)",
             "a torn line is reported", detail=rows[-2:])
        rc, out, err = run(env, "audit", "--json", "-n", "3")
        js = out.splitlines()
        t.eq(len(js), 3, "--json -n 3: three lines")
        try:
            parsed = [json.loads(x) for x in js]
        except ValueError:
            parsed = []
        t.ok(len(parsed) == 3 and parsed[1].get("resource") == "evil\x1b[2J\u202eq" and
             parsed[2] == {"line": 14, "malformed": "not a JSON object"},
             "--json: valid JSON (escapes as JSON), the torn line as a malformed entry",
             detail=js)
        t.ok("\x1b" not in out and "\u202e" not in out, "--json writes no raw control or bidi "
             "character either")
        rc, out, err = run(env, "audit", "-n", "0")
        t.eq(rc, 2, "-n 0 is a usage error")

        # an audit log that cannot be written: the write is not sent
        px.reset()
        env2 = dict(env)
        blocker = os.path.join(env["HOME"], "not-a-dir")
        open(blocker, "w").close()
        env2["XDG_STATE_HOME"] = blocker
        rc, out, err = run(env2, "sqs", "send", "orders", "--body", "unaudited", "--yes")
        t.eq(rc, 1, "an unwritable audit log: exit 1")
        t.ok("cannot write the audit log " + blocker + "/opsdeck/audit.jsonl" in err and
             "nothing was sent" in err, "it says which file and that nothing was sent",
             detail=err)
        t.ok("AmazonSQS.SendMessage" not in px.targets(), "no SendMessage on the wire")
        t.eq(sqs_receive_all(sqs, orders), [], "and nothing arrived")
        env3 = dict(env)
        env3["XDG_STATE_HOME"] = os.path.join(env["HOME"], "fresh-state")
        rc, out, err = run(env3, "audit")
        t.ok(rc == 0 and out == "" and "no audit log at" in err,
             "audit without a log says so", detail=err)


t.run("write headless", main)
t.done()
