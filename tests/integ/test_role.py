#!/usr/bin/env python3
"""test_role.py - assume role, MFA, GetSessionToken and `opsdeck whoami` against moto.

STS traffic goes through a small recording reverse proxy in this process (AWS_ENDPOINT_URL_STS
points at it; everything else goes to moto directly), because moto keeps neither the MFA
parameters nor ExternalId where a client can read them back. The proxy also answers
AccessDenied for role ARNs containing "denied", as AWS does when a trust policy refuses.
Every run of opsdeck is in a new session (no controlling terminal), so the /dev/tty prompt
cannot be reached unless a test gives it a pseudo-terminal on purpose."""
import http.client
import http.server
import json
import os
import pty
import re
import select
import subprocess
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from tap import Tap  # noqa: E402
from awsenv import FAKE_KEY_ID, FAKE_SECRET, REGION, Moto, aws_env  # noqa: E402

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402

OPSDECK = os.environ.get("OPSDECK") or os.path.join(os.environ.get("TOP_BUILDDIR", "."), "opsdeck")
ACCOUNT = "123456789012"
BASE_KEY, BASE_SECRET = "AKIAOPSDECKBASE00001", "opsdeck-base-secret-do-not-print-1"
SESS_KEY, SESS_SECRET = "AKIAOPSDECKSESS00001", "opsdeck-sess-secret-do-not-print-2"
SERIAL = f"arn:aws:iam::{ACCOUNT}:mfa/alice"
t = Tap()


def role(name):
    return f"arn:aws:iam::{ACCOUNT}:role/{name}"


class Recorder:
    """Reverse proxy to moto on a free 127.0.0.1 port, in a thread; records each request's
    form parameters, its Authorization key id, and the response body."""

    def __init__(self, upstream):
        self.upstream = urllib.parse.urlsplit(upstream)
        self.calls = []
        rec = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                params = dict(urllib.parse.parse_qsl(body.decode(), keep_blank_values=True))
                auth = self.headers.get("Authorization", "")
                m = re.search(r"Credential=([^/]+)/", auth)
                call = {"params": params, "key": m.group(1) if m else None,
                        "token": self.headers.get("X-Amz-Security-Token")}
                if "denied" in params.get("RoleArn", ""):
                    out = (b'<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
                           b'<Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: '
                           b'arn:aws:iam::123456789012:user/base is not authorized to perform: '
                           b'sts:AssumeRole on resource: ' + params["RoleArn"].encode() +
                           b'</Message></Error><RequestId>r-1</RequestId></ErrorResponse>')
                    status, ctype = 403, "text/xml"
                else:
                    c = http.client.HTTPConnection(rec.upstream.hostname, rec.upstream.port,
                                                   timeout=30)
                    hdrs = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
                    c.request("POST", self.path, body=body, headers=hdrs)
                    r = c.getresponse()
                    out, status = r.read(), r.status
                    ctype = r.getheader("Content-Type", "text/xml")
                    c.close()
                call["status"], call["response"] = status, out.decode("utf-8", "replace")
                rec.calls.append(call)
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = "http://127.0.0.1:%d" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def actions(self, action):
        return [c for c in self.calls if c["params"].get("Action") == action]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def tag(xml, name):
    m = re.search(f"<{name}>([^<]*)</{name}>", xml)
    return m.group(1) if m else None


CONFIG = f"""
[profile base]
region = {REGION}

[profile mid]
role_arn = {role("mid")}
source_profile = base

[profile top]
role_arn = {role("oncall")}
source_profile = mid
external_id = ext-42
duration_seconds = 1800
role_session_name = alice

[profile mfa]
role_arn = {role("mfa-role")}
source_profile = base
mfa_serial = {SERIAL}

[profile envrole]
role_arn = {role("envrole")}
credential_source = Environment

[profile a]
role_arn = {role("a")}
source_profile = b

[profile b]
role_arn = {role("b")}
source_profile = a

[profile orphan]
role_arn = {role("orphan")}
source_profile = nosuch

[profile both]
role_arn = {role("both")}
source_profile = base
credential_source = Environment

[profile shortdur]
role_arn = {role("mid")}
source_profile = base
duration_seconds = 100

[profile denied]
role_arn = {role("denied")}
source_profile = base

[profile sess]
mfa_serial = {SERIAL}
duration_seconds = 3600

[profile selfref]
role_arn = {role("mid")}
source_profile = selfref
"""

CREDENTIALS = f"""
[base]
aws_access_key_id = {BASE_KEY}
aws_secret_access_key = {BASE_SECRET}

[sess]
aws_access_key_id = {SESS_KEY}
aws_secret_access_key = {SESS_SECRET}

[selfref]
aws_access_key_id = {SESS_KEY}
aws_secret_access_key = {SESS_SECRET}
"""


def run(env, *args):
    """opsdeck in a new session: no controlling terminal, so no /dev/tty."""
    return subprocess.run([OPSDECK, *args], env=env, capture_output=True, text=True,
                          timeout=120, start_new_session=True, stdin=subprocess.DEVNULL)


def error_lines(stderr):
    """stderr lines of opsdeck's own errors (the keyring's one-line notice aside)."""
    return [ln for ln in stderr.splitlines() if ln and "keyring" not in ln]


def no_secret(r, secrets, name):
    leaked = [s for s in secrets if s and (s in r.stdout or s in r.stderr)]
    t.ok(not leaked, f"{name}: no secret key or session token in stdout/stderr",
         detail=f"leaked: {[s[:6] + '...' for s in leaked]}")


def boto3_identity(endpoint, key, secret, token):
    sts = boto3.session.Session().client(
        "sts", region_name=REGION, endpoint_url=endpoint, aws_access_key_id=key,
        aws_secret_access_key=secret, aws_session_token=token, config=Config(proxies={}))
    return sts.get_caller_identity()


def last_credentials(rec, action):
    r = rec.actions(action)[-1]["response"]
    return tag(r, "AccessKeyId"), tag(r, "SecretAccessKey"), tag(r, "SessionToken")


def case_chain(env, rec, moto_ep):
    rec.calls.clear()
    r = run(env, "--profile", "top", "--json", "whoami")
    t.eq(r.returncode, 0, "3-profile chain (top -> mid -> base): whoami succeeds")
    if r.returncode != 0:
        t.diag(r.stderr)
        return
    calls = rec.actions("AssumeRole")
    t.eq([c["params"]["RoleArn"] for c in calls], [role("mid"), role("oncall")],
         "the chain assumes mid first, then oncall")
    first, second = calls
    t.eq(first["key"], BASE_KEY, "mid is assumed with base's static keys")
    t.ok(re.fullmatch(r"opsdeck-\d+", first["params"].get("RoleSessionName", "")),
         "no role_session_name: a generated opsdeck-<unix time>", detail=first["params"])
    t.ok("ExternalId" not in first["params"] and "DurationSeconds" not in first["params"]
         and "SerialNumber" not in first["params"],
         "mid's AssumeRole carries no ExternalId/DurationSeconds/MFA", detail=first["params"])
    t.eq(second["key"], tag(first["response"], "AccessKeyId"),
         "oncall is assumed with mid's session credentials (key id)")
    t.eq(second["token"], tag(first["response"], "SessionToken"),
         "... and mid's session token")
    p = second["params"]
    t.eq((p.get("ExternalId"), p.get("DurationSeconds"), p.get("RoleSessionName")),
         ("ext-42", "1800", "alice"), "external_id, duration_seconds and role_session_name sent")
    doc = json.loads(r.stdout)
    t.eq(doc["arn"], f"arn:aws:sts::{ACCOUNT}:assumed-role/oncall/alice",
         "whoami --json: the assumed-role ARN carries the session name")
    key, secret, token = last_credentials(rec, "AssumeRole")
    ident = boto3_identity(moto_ep, key, secret, token)
    t.eq((doc["account"], doc["arn"], doc["user_id"]),
         (ident["Account"], ident["Arn"], ident["UserId"]),
         "whoami --json matches boto3's GetCallerIdentity with the same credentials")
    t.eq(doc["provider"], "assume-role", "whoami --json: provider assume-role")
    t.eq(doc["source"], f"profile top: role {role('oncall')} via profile mid",
         "whoami --json: the source names the profile, the role and the source profile")
    exp = tag(calls[1]["response"], "Expiration")
    t.eq(doc["expiration"], exp[:19] + "Z", "whoami --json: expiration is STS's (to the second)")
    t.ok(isinstance(doc["expires_in_seconds"], (int, float)) and
         0 < doc["expires_in_seconds"] <= 1800, "whoami --json: expires_in_seconds within "
         "the 1800 s asked for", detail=doc)
    no_secret(r, [BASE_SECRET, secret, token, tag(first["response"], "SecretAccessKey"),
                  tag(first["response"], "SessionToken")], "chain --json")

    rec.calls.clear()
    r = run(env, "--profile", "top", "whoami")
    t.eq(r.returncode, 0, "whoami (text) succeeds")
    key, secret, token = last_credentials(rec, "AssumeRole")
    ident = boto3_identity(moto_ep, key, secret, token)
    fields = dict(re.match(r"(\w[\w ]*):\s+(.*)", ln).groups() for ln in r.stdout.splitlines()
                  if re.match(r"(\w[\w ]*):\s+(.*)", ln))
    t.eq((fields.get("account"), fields.get("arn"), fields.get("user id")),
         (ident["Account"], ident["Arn"], ident["UserId"]),
         "whoami text: account, arn and user id match boto3's GetCallerIdentity")
    t.eq(fields.get("provider"), "assume-role", "whoami text: the provider chain step")
    t.ok(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \((\d+m \d\ds|\d+s) left\)",
                      fields.get("expires", "")), "whoami text: expiry in UTC and time left",
         detail=fields.get("expires"))
    no_secret(r, [BASE_SECRET, secret, token], "chain text")


def case_static(env, moto_ep):
    r = run(env, "--profile", "base", "whoami")
    t.eq(r.returncode, 0, "whoami with static keys succeeds")
    t.ok("expires:   does not expire" in r.stdout, "static keys: 'does not expire'",
         detail=r.stdout)
    t.ok(re.search(r"^provider:\s+shared-credentials-file$", r.stdout, re.M),
         "static keys: provider shared-credentials-file", detail=r.stdout)
    ident = boto3_identity(moto_ep, BASE_KEY, BASE_SECRET, None)
    t.ok(f"arn:       {ident['Arn']}\n" in r.stdout, "static keys: ARN as boto3 sees it",
         detail=r.stdout)
    no_secret(r, [BASE_SECRET], "static")


def case_mfa(env, rec):
    rec.calls.clear()
    r = run(env, "--profile", "mfa", "--mfa-code", "123456", "--json", "whoami")
    t.eq(r.returncode, 0, "mfa_serial + --mfa-code: whoami succeeds", )
    calls = rec.actions("AssumeRole")
    p = calls[-1]["params"] if calls else {}
    t.eq((p.get("SerialNumber"), p.get("TokenCode")), (SERIAL, "123456"),
         "AssumeRole carried SerialNumber = mfa_serial and TokenCode = the code")
    if r.returncode == 0:
        t.ok(json.loads(r.stdout)["source"].endswith("via profile base (MFA)"),
             "the source says MFA was used", detail=r.stdout)

    rec.calls.clear()
    r = run(env, "--profile", "mfa", "whoami")
    errs = error_lines(r.stderr)
    t.eq(r.returncode, 1, "mfa_serial, no code, no terminal: exit 1")
    t.ok(len(errs) == 1 and "profile mfa" in errs[0] and "--mfa-code" in errs[0] and
         "terminal" in errs[0], "... one line naming the profile and how to give a code",
         detail=r.stderr)
    t.eq(r.stdout, "", "... nothing on stdout")
    t.eq(rec.actions("AssumeRole"), [], "... and no AssumeRole was sent without a code")

    r = run(env, "--profile", "mfa", "--mfa-code", "12ab56", "whoami")
    t.ok(r.returncode == 1 and "6 digits" in r.stderr, "a malformed --mfa-code is refused "
         "before any request", detail=r.stderr)

    rec.calls.clear()
    r = run(env, "--profile", "mfa", "--mfa-code", "222333", "--json", "snapshot")
    p = rec.actions("AssumeRole")[-1]["params"] if rec.actions("AssumeRole") else {}
    t.ok(r.returncode == 0 and p.get("TokenCode") == "222333",
         "snapshot passes --mfa-code to the assume-role provider",
         detail=r.stderr[-500:])


def case_env_source(env, rec):
    rec.calls.clear()
    r = run(env, "--profile", "envrole", "--json", "whoami")
    t.eq(r.returncode, 0, "credential_source = Environment: whoami succeeds")
    calls = rec.actions("AssumeRole")
    t.ok(calls and calls[-1]["key"] == FAKE_KEY_ID and calls[-1]["params"]["RoleArn"] ==
         role("envrole"), "... AssumeRole was signed with AWS_ACCESS_KEY_ID",
         detail=calls[-1:] if calls else r.stderr)
    if r.returncode == 0:
        t.eq(json.loads(r.stdout)["source"],
             f"profile envrole: role {role('envrole')} via credential_source Environment",
             "... and the source says so")
    no_secret(r, [FAKE_SECRET], "credential_source")
    e2 = dict(env)
    del e2["AWS_ACCESS_KEY_ID"]
    r = run(e2, "--profile", "envrole", "whoami")
    t.ok(r.returncode == 1 and "credential_source = Environment" in r.stderr and
         "AWS_ACCESS_KEY_ID" in r.stderr, "credential_source = Environment with no variables: "
         "a clear error", detail=r.stderr)


def case_errors(env, rec):
    r = run(env, "--profile", "a", "whoami")
    errs = error_lines(r.stderr)
    t.ok(r.returncode == 1 and len(errs) == 1 and "loops back" in errs[0] and
         "source_profile a" in errs[0], "cycle a -> b -> a: one line naming the loop",
         detail=r.stderr)
    rec.calls.clear()
    r = run(env, "--profile", "selfref", "--json", "whoami")
    calls = rec.actions("AssumeRole")
    t.ok(r.returncode == 0 and calls and calls[-1]["key"] == SESS_KEY and
         json.loads(r.stdout)["source"].endswith("via its own static keys"),
         "source_profile naming itself, with static keys: those keys assume the role "
         "(botocore's rule), not a cycle", detail=r.stderr)
    r = run(env, "--profile", "orphan", "whoami")
    t.ok(r.returncode == 1 and "source_profile nosuch is not in" in r.stderr,
         "missing source_profile: error naming it", detail=r.stderr)
    r = run(env, "--profile", "both", "whoami")
    t.ok(r.returncode == 1 and "both source_profile and credential_source" in r.stderr,
         "source_profile and credential_source together: error, as in botocore",
         detail=r.stderr)
    r = run(env, "--profile", "shortdur", "whoami")
    t.ok(r.returncode == 1 and "duration_seconds" in r.stderr and "900" in r.stderr,
         "duration_seconds = 100: error with the allowed range", detail=r.stderr)
    rec.calls.clear()
    r = run(env, "--profile", "denied", "whoami")
    errs = error_lines(r.stderr)
    t.ok(r.returncode == 1 and len(errs) == 1 and "profile denied" in errs[0] and
         role("denied") in errs[0] and "AccessDenied" in errs[0] and
         "trust policy" in errs[0] and rec.endpoint in errs[0],
         "AccessDenied on AssumeRole: one line with profile, role, endpoint, AWS error, fix",
         detail=r.stderr)
    no_secret(r, [BASE_SECRET], "access denied")


def case_session_token(env, rec, moto_ep):
    rec.calls.clear()
    r = run(env, "--profile", "sess", "--mfa-code", "654321", "--json", "whoami")
    t.eq(r.returncode, 0, "static keys + mfa_serial: whoami succeeds via GetSessionToken")
    calls = rec.actions("GetSessionToken")
    p = calls[-1]["params"] if calls else {}
    t.eq((p.get("SerialNumber"), p.get("TokenCode"), p.get("DurationSeconds")),
         (SERIAL, "654321", "3600"), "GetSessionToken carried SerialNumber, TokenCode, "
         "DurationSeconds")
    t.eq(calls[-1]["key"] if calls else None, SESS_KEY, "... signed with the profile's keys")
    if r.returncode != 0 or not calls:
        return
    doc = json.loads(r.stdout)
    t.eq(doc["provider"], "mfa-session", "whoami: provider mfa-session")
    key, secret, token = last_credentials(rec, "GetSessionToken")
    gci = rec.actions("GetCallerIdentity")[-1]
    t.eq((gci["key"], gci["token"]), (key, token),
         "GetCallerIdentity was signed with the session credentials")
    ident = boto3_identity(moto_ep, key, secret, token)
    t.eq((doc["account"], doc["arn"], doc["user_id"]),
         (ident["Account"], ident["Arn"], ident["UserId"]),
         "whoami matches boto3's GetCallerIdentity with the session credentials")
    no_secret(r, [SESS_SECRET, secret, token], "session token")


def pty_run(env, argv, typed, want_prompt=True, bound=60.0):
    """Runs argv under a new pseudo-terminal (its controlling terminal); types `typed` once
    the MFA prompt shows. Returns everything the terminal showed."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(argv[0], argv, env)
    out = b""
    sent = False
    end = time.monotonic() + bound
    try:
        while time.monotonic() < end:
            r, _, _ = select.select([fd], [], [], 1.0)
            if r:
                try:
                    chunk = os.read(fd, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                out += chunk
            if not sent and b"MFA code for" in out:
                time.sleep(0.2)   # the prompt is written after echo is turned off
                os.write(fd, typed)
                sent = True
    finally:
        try:
            os.kill(pid, 9)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
        os.close(fd)
    return out.decode("utf-8", "replace")


def echo_on(stty_out):
    return re.search(r"(?<![-\w])echo(?![\w])", stty_out) is not None


def case_pty(env, rec):
    # sh runs stty -a after opsdeck on the same terminal: the echo flag it reports is the
    # state opsdeck left behind. The INT trap keeps sh alive when Ctrl-C ends opsdeck.
    script = f"trap 'echo' INT; '{OPSDECK}' --profile mfa whoami; echo EXIT=$?; stty -a"
    rec.calls.clear()
    out = pty_run(env, ["/bin/sh", "-c", script], b"654321\n")
    t.ok(f"MFA code for {SERIAL} (profile mfa): " in out, "pty: the prompt names the MFA "
         "device and the profile", detail=out)
    calls = rec.actions("AssumeRole")
    t.ok(calls and calls[-1]["params"].get("TokenCode") == "654321",
         "pty: the typed code reached AssumeRole", detail=out)
    t.ok("EXIT=0" in out and "assumed-role/mfa-role/" in out, "pty: whoami succeeded",
         detail=out)
    t.ok("654321" not in out, "pty: the code was not echoed", detail=out)
    t.ok(echo_on(out.split("EXIT=", 1)[-1]), "pty: terminal echo is on again afterwards",
         detail=out)

    out = pty_run(env, ["/bin/sh", "-c", script], b"12x\n1234567\nabc\n")
    t.ok(out.count("(profile mfa): ") == 3 and "EXIT=1" in out and "6 digits" in out,
         "pty: three wrong codes, asked three times, then a clear failure", detail=out)
    t.ok(echo_on(out.split("EXIT=", 1)[-1]), "pty: echo on after the failed attempts",
         detail=out)

    out = pty_run(env, ["/bin/sh", "-c", script], b"\x03")
    t.ok("EXIT=130" in out, "pty: Ctrl-C at the prompt ends opsdeck by SIGINT (status 130)",
         detail=out)
    t.ok(echo_on(out.split("EXIT=", 1)[-1]), "pty: echo on after Ctrl-C at the prompt",
         detail=out)


def main():
    with Moto() as m:
        rec = Recorder(m.endpoint)
        try:
            iam = boto3.session.Session().client(
                "iam", region_name=REGION, endpoint_url=m.endpoint, aws_access_key_id="x",
                aws_secret_access_key="x", config=Config(proxies={}))
            trust = json.dumps({"Version": "2012-10-17", "Statement": []})
            # roles known to IAM give moto a stable AssumedRoleId (else it draws a new one
            # per GetCallerIdentity)
            for name in ("mid", "oncall", "mfa-role", "envrole"):
                iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust)
            env = aws_env(m.endpoint)
            env["AWS_ENDPOINT_URL_STS"] = rec.endpoint
            with open(env["AWS_CONFIG_FILE"], "w", encoding="ascii") as f:
                f.write(CONFIG)
            with open(env["AWS_SHARED_CREDENTIALS_FILE"], "w", encoding="ascii") as f:
                f.write(CREDENTIALS)
            t.run("chain", case_chain, env, rec, rec.endpoint)
            t.run("static", case_static, env, rec.endpoint)
            t.run("mfa", case_mfa, env, rec)
            t.run("credential_source", case_env_source, env, rec)
            t.run("errors", case_errors, env, rec)
            t.run("session token", case_session_token, env, rec, rec.endpoint)
            t.run("pty", case_pty, env, rec)
        finally:
            rec.stop()
    t.done()


main()
