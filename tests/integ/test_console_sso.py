"""test_console_sso.py - the SSO sign-in inside the console, on a real terminal (tmux).

IAM Identity Center is tests/lib/sso_server.py (its OIDC answers, the AccessDeniedException
included, are first checked with botocore's sso-oidc client); every other service is moto.
The profile `dev` is an sso_session profile; the console starts with its token expired (or
missing) and must offer the device-code sign-in without leaving or freezing:

- approve: the dialog shows the verification URL and the code; while the server holds a
  CreateToken call, `y` is answered (the status line says what was copied, the OSC 52
  sequence reaches the terminal) and the dialog still counts down; approved, the console
  writes the token cache (0600, the CLI's fields), fetches the role credentials and shows
  moto's queue; botocore and the aws CLI use the cache file the console wrote;
- the expiry view shows the token's expiresAt and the registration's expiry as rows;
- slow_down makes it poll 5 s slower; a code left unapproved expires, said, and Enter
  gets a new one;
- Esc cancels: the dialog closes, no cache file, and the cancelled code is never redeemed
  (a later sign-in from the expiry view's SSO token row is);
- access denied: one line in the dialog naming the profile, the start URL, the cause and
  what to do.

Servers on free loopback ports, stopped by PID (moto) or by their thread (sso_server)."""
import base64
import hashlib
import json
import os
import re
import stat
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from awsenv import Moto, aws_env  # noqa: E402
from console import (OPSDECK, Tmux, console_env, stty_sane,  # noqa: E402
                     write_app_config)
from sso_server import SsoServer  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()
START = "https://example.awsapps.com/start"
ACCOUNT, ROLE = "111122223333", "ReadOnly"
QUEUE = "sso-signin-orders"
CODE = re.compile(r"\b([A-Z]{4}-[A-Z]{4})\b")


def iso(epoch):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def sso_env(moto, srv):
    env = console_env(moto.endpoint, aws_env(moto.endpoint), now=None)
    for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        env.pop(k, None)
    with open(env["AWS_CONFIG_FILE"], "w", encoding="ascii") as f:
        f.write(f"[profile dev]\nsso_session = corp\nsso_account_id = {ACCOUNT}\n"
                f"sso_role_name = {ROLE}\nregion = us-east-1\n"
                f"[sso-session corp]\nsso_start_url = {START}\nsso_region = eu-west-1\n"
                "sso_registration_scopes = sso:account:access\n")
    open(env["AWS_SHARED_CREDENTIALS_FILE"], "w").close()
    env.update(AWS_ENDPOINT_URL_SSO=srv.url, AWS_ENDPOINT_URL_SSO_OIDC=srv.url,
               OPSDECK_KEYRING="off")
    write_app_config(env, "[intervals]\ndefault = 2\n")
    return env


def cache_path(env):
    return os.path.join(env["HOME"], ".aws", "sso", "cache",
                        hashlib.sha1(b"corp").hexdigest() + ".json")


def expired_cache(env, srv):
    """A token that expired a minute ago, with no refresh token: only a sign-in helps."""
    p = cache_path(env)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    tok = srv.issue_token(expires_in=7200, client=False)["accessToken"]
    fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump({"startUrl": START, "region": "eu-west-1", "accessToken": tok,
                   "expiresAt": iso(time.time() - 60)}, f)
    return tok


def code_on(rows):
    for r in rows:
        m = CODE.search(r)
        if m and "enter the code" in r:
            return m.group(1)
    return None


def status(rows):
    for r in reversed(rows):
        if r.strip():
            return r
    return ""


def run(argv, env):
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)


def case_botocore_checks_server(srv):
    """The answers the console parses, as botocore's sso-oidc client parses them."""
    import boto3
    import botocore.exceptions
    c = boto3.client("sso-oidc", region_name="eu-west-1", endpoint_url=srv.url,
                     aws_access_key_id="x", aws_secret_access_key="y")
    reg = c.register_client(clientName="check", clientType="public")
    dev = c.start_device_authorization(clientId=reg["clientId"],
                                       clientSecret=reg["clientSecret"], startUrl=START)
    t.ok(dev["userCode"] and dev["verificationUri"].startswith(srv.url) and
         dev["interval"] == 1, "botocore parses StartDeviceAuthorization", str(dev.keys()))
    args = dict(clientId=reg["clientId"], clientSecret=reg["clientSecret"],
                grantType="urn:ietf:params:oauth:grant-type:device_code",
                deviceCode=dev["deviceCode"])

    def token_error():
        """How CreateToken is refused, as botocore reads it: its exception class and the
        error code, or that a token was issued."""
        try:
            c.create_token(**args)
            return "a token was issued"
        except botocore.exceptions.ClientError as e:
            return (type(e).__name__, e.response["Error"]["Code"])

    t.eq(token_error(), ("AuthorizationPendingException", "AuthorizationPendingException"),
         "botocore: CreateToken before approval is refused with AuthorizationPendingException")
    srv.deny(dev["userCode"])
    t.eq(token_error(), ("AccessDeniedException", "AccessDeniedException"),
         "botocore: AccessDeniedException after the person denied it")


def start_console(tm, env, view="sqs"):
    tm.start(env, [OPSDECK, "--profile", "dev", "--view", view], 80, 24)


def approve_flow(moto, srv):
    env = sso_env(moto, srv)
    sqs = __import__("boto3").client("sqs", region_name="us-east-1", endpoint_url=moto.endpoint,
                                     aws_access_key_id="x", aws_secret_access_key="y")
    sqs.create_queue(QueueName=QUEUE)
    old_token = expired_cache(env, srv)
    srv.state.slow_down_once = True   # the first CreateToken answers slow_down
    with Tmux() as tm:
        start_console(tm, env)
        raw = tm.pipe_raw()
        ok, rows = tm.wait_for(lambda rs: code_on(rs) is not None, deadline=60)
        t.ok(ok and any("SSO sign-in" in r for r in rows) and
             any("profile dev" in r for r in rows) and any(START in r for r in rows),
             "expired token at start: the sign-in dialog opens by itself, naming the profile "
             "and the start URL", "\n".join(rows))
        if not ok:
            return
        code = code_on(rows)
        t.ok(any(srv.url + "/device" in r and "user_code" not in r for r in rows),
             "the dialog shows the verification URL", "\n".join(rows))
        t.ok(any(f"{srv.url}/device?user_code={code}" in r for r in rows),
             "the dialog shows the URL that carries the code", "\n".join(rows))
        t.ok(any("The code expires in" in r for r in rows), "the dialog counts down",
             "\n".join(rows))
        ok, rows = tm.wait_for(lambda rs: any("every 6s" in r for r in rs), deadline=30)
        t.ok(ok and ("/token", "SlowDownException") in srv.state.log,
             "slow_down answered: the console polls 5 s slower (interval 1 s -> 6 s)",
             "\n".join(rows))
        t.ok(not os.path.exists(cache_path(env)) or
             json.load(open(cache_path(env)))["accessToken"] == old_token,
             "nothing written before approval")

        # keys typed while a CreateToken call is held by the server are answered
        srv.hold_token()
        held = srv.wait_held()
        t.ok(held, "the console polls CreateToken (the server holds one)")
        tm.text("y")
        ok, rows = tm.wait_for(lambda rs: "copied the sign-in URL" in status(rs), deadline=30)
        still = srv.state.token_hold is not None and srv.state.token_held >= 1
        t.ok(ok and still, "y is answered while the server still holds the CreateToken call "
             "(status line: copied)", "\n".join(rows))
        want = base64.b64encode(f"{srv.url}/device?user_code={code}".encode()).decode()
        ok, _ = tm.wait_for(lambda rs: want in open(raw, encoding="latin-1").read(),
                            deadline=10)
        t.ok(ok, "y writes the URL with the code to the terminal as OSC 52")
        t.ok(code_on(tm.capture()) == code, "the dialog is still up with the same code")
        srv.release_token()

        # the person approves in a browser: the console takes the token and shows data
        srv.approve(code)
        ok, rows = tm.wait_for(lambda rs: any(QUEUE in r for r in rs) and
                               not any("SSO sign-in" in r for r in rs), deadline=60)
        t.ok(ok, "approved: the dialog closes and the sqs view shows moto's queue with the "
             "role credentials", "\n".join(rows))
        p = cache_path(env)
        t.ok(os.path.exists(p) and stat.S_IMODE(os.stat(p).st_mode) == 0o600,
             "the token cache is written, 0600")
        c = json.load(open(p)) if os.path.exists(p) else {}
        t.ok(c.get("accessToken") in srv.state.tokens and c.get("accessToken") != old_token,
             "the cache holds the server's new token")
        t.ok(c.get("startUrl") == START and c.get("region") == "eu-west-1" and
             c.get("refreshToken") and c.get("clientId") and c.get("clientSecret") and
             c.get("registrationExpiresAt") and c.get("expiresAt"),
             "the cache has the fields the AWS CLI writes for an sso_session", str(list(c)))
        screen = "\n".join(tm.capture())
        t.ok(all(s not in screen for s in (c.get("accessToken", "-"), c.get("clientSecret", "-"),
                                           c.get("refreshToken", "-"))),
             "no token or client secret on the screen")
        raw_text = open(raw, encoding="latin-1").read()
        t.ok(all(s not in raw_text for s in (c.get("accessToken", "-"),
                                             c.get("clientSecret", "-"))),
             "no token or client secret among the bytes written to the terminal")

        # the expiry view: the token's expiresAt and the registration's, counting down
        tm.text("6")
        ok, rows = tm.wait_for(lambda rs: any(r.startswith("SSO token") for r in rs) and
                               any(r.startswith("SSO client") for r in rs), deadline=30)
        tok_row = next((r for r in rows if r.startswith("SSO token")), "")
        t.ok(ok and " dev " in tok_row and re.search(r"\b[78]h", tok_row),
             "expiry view: the SSO token's row, about 8 hours left", "\n".join(rows))
        reg_row = next((r for r in rows if r.startswith("SSO client")), "")
        t.ok(re.search(r"\b(89|90)d", reg_row) is not None,
             "expiry view: the client registration's row, 90 days left", "\n".join(rows))
        tm.text("q")
        tm.text("q")
        st = tm.wait_exit()
        t.ok(st["rc"] == 0 and stty_sane(st["stty"]) == [], "q quits, terminal sane", str(st))

    # clients we did not write read the cache the console wrote
    boto = ("import botocore.session,json,sys\n"
            "s=botocore.session.Session(profile='dev')\n"
            "c=s.get_credentials()\n"
            "print(json.dumps({'m':c.method,'a':c.get_frozen_credentials().access_key}))\n")
    p = run([sys.executable, "-c", boto], env)
    got = json.loads(p.stdout) if p.returncode == 0 else {}
    t.ok(got.get("m") == "sso" and
         got.get("a") == srv.role_credentials(ACCOUNT, ROLE).get("accessKeyId"),
         "botocore gets the role credentials with the console's token cache",
         p.stdout + p.stderr[-1500:])
    p = run(["aws", "sts", "get-caller-identity", "--profile", "dev", "--output", "json",
             "--endpoint-url", moto.endpoint], env)
    t.ok(p.returncode == 0 and "Account" in p.stdout,
         "aws sts get-caller-identity --profile dev works with that cache",
         p.stdout + p.stderr[-1500:])


def cancel_flow(moto, srv):
    env = sso_env(moto, srv)
    expired_cache(env, srv)
    with Tmux() as tm:
        start_console(tm, env)
        ok, rows = tm.wait_for(lambda rs: code_on(rs) is not None, deadline=60)
        t.ok(ok, "cancel: the dialog shows a code", "\n".join(rows))
        if not ok:
            return
        old = code_on(rows)
        tm.keys("Escape")
        ok, rows = tm.wait_for(lambda rs: "sign-in cancelled" in status(rs) and
                               code_on(rs) is None, deadline=30)
        t.ok(ok and "no token written" in status(rows),
             "Esc: the dialog closes, the status line says cancelled and nothing was written",
             "\n".join(rows))
        srv.approve(old)   # approved too late: the console no longer asks for it

        # the SSO token's row in the expiry view: Enter signs in again
        tm.text("6")
        ok, rows = tm.wait_for(lambda rs: any(r.startswith("SSO token") and "expired" in r
                                              for r in rs), deadline=30)
        t.ok(ok, "expiry view: the SSO token's row says expired", "\n".join(rows))
        tm.text("g")
        ok, rows = tm.wait_for(lambda rs: "SSO token at" in rs[-4], deadline=30)
        tm.keys("Enter")
        ok, rows = tm.wait_for(lambda rs: code_on(rs) not in (None, old), deadline=30)
        t.ok(ok, "Enter on the SSO token's row opens a new sign-in with a new code",
             "\n".join(rows))
        if ok:
            srv.approve(code_on(rows))
            ok, rows = tm.wait_for(lambda rs: "signed in" in status(rs) or
                                   any(r.startswith("SSO token") and " ok " in r for r in rs),
                                   deadline=60)
            t.ok(ok, "the new code approved: signed in", "\n".join(rows))
        t.ok(srv.device_of(old) is not None,
             "the cancelled code was never redeemed (the server still holds it unused)")
        tm.text("q")
        tm.text("q")
        st = tm.wait_exit()
        t.ok(st["rc"] == 0 and stty_sane(st["stty"]) == [], "cancel: q quits, terminal sane",
             str(st))


def expired_code_flow(moto, srv):
    """A code nobody approves in time: said, and Enter gets a new one."""
    env = sso_env(moto, srv)
    srv.state.device_expires_in = 2
    try:
        with Tmux() as tm:
            start_console(tm, env)
            ok, rows = tm.wait_for(lambda rs: any("not approved before it expired" in r
                                                  for r in rs), deadline=60)
            text = " ".join(r.strip("│ ") for r in rows)
            t.ok(ok and "profile dev" in text and "press Enter to try again" in text,
                 "a code left unapproved: the dialog says it expired and how to get another",
                 "\n".join(rows))
            srv.state.device_expires_in = 600
            old = code_on(rows)
            tm.keys("Enter")
            ok, rows = tm.wait_for(lambda rs: code_on(rs) not in (None, old) and
                                   any("The code expires in" in r for r in rs), deadline=30)
            t.ok(ok, "Enter after it expired: a new code, counting down again",
                 "\n".join(rows))
            tm.keys("Escape")
            tm.text("q")
            st = tm.wait_exit()
            t.ok(st["rc"] == 0 and stty_sane(st["stty"]) == [],
                 "expired code: q quits, terminal sane", str(st))
    finally:
        srv.state.device_expires_in = 600


def denied_flow(moto, srv):
    env = sso_env(moto, srv)   # no cache file at all: never signed in
    with Tmux() as tm:
        start_console(tm, env)
        ok, rows = tm.wait_for(lambda rs: code_on(rs) is not None, deadline=60)
        t.ok(ok, "no token at all: the dialog opens with a code", "\n".join(rows))
        if not ok:
            return
        srv.deny(code_on(rows))
        ok, rows = tm.wait_for(lambda rs: any("AccessDeniedException" in r for r in rs),
                               deadline=60)
        text = " ".join(r.strip("│ ") for r in rows)
        t.ok(ok and "profile dev" in text and START in text and "denied" in text and
             "press Enter to try again" in text,
             "denied: the dialog says so in one line: profile, start URL, cause and fix",
             "\n".join(rows))
        t.ok(not os.path.exists(cache_path(env)), "denied: no token cache written")
        tm.keys("Escape")
        ok, rows = tm.wait_for(lambda rs: not any("SSO sign-in" in r for r in rs), deadline=30)
        t.ok(ok, "Esc closes the failed sign-in", "\n".join(rows))
        tm.text("q")
        st = tm.wait_exit()
        t.ok(st["rc"] == 0 and stty_sane(st["stty"]) == [], "denied: q quits, terminal sane",
             str(st))


def main():
    m = Moto().start()
    srv = SsoServer().start()
    try:
        t.run("botocore parses the server's OIDC answers", case_botocore_checks_server, srv)
        t.run("sign in from an expired token, approved", approve_flow, m, srv)
        t.run("Esc cancels; the SSO token row signs in again", cancel_flow, m, srv)
        t.run("the code expires unapproved", expired_code_flow, m, srv)
        t.run("the person denies the code", denied_flow, m, srv)
    finally:
        srv.stop()
        m.stop()
    t.done()


if __name__ == "__main__":
    main()
