"""test_console_refresh.py - Enter in the expiry view refreshes the console's own credentials.

On a real terminal (tmux), against moto behind tests/lib/stallproxy.py (which counts the
AssumeRole calls, can hold one back, and moves the Expiration of its answers), with an
assume-role profile whose source profile has long-term keys, and --read-only on (a credential
refresh writes nothing, so read-only must not refuse it):

- Enter on the role's row sends AssumeRole again (the proxy's count goes from 1 to 2); while
  the proxy holds it, the row says "refreshing" and the line under the list says so for
  profile ops, and the status line says no confirmation was needed; released, the row's
  expiry moves (the new answer expires an hour later than the first) and "refreshing" goes.
- Enter again with STS answering ExpiredToken: the row says the refresh failed and the line
  under the list gives the cause whole (the profile, AssumeRole); the old expiry still
  counts down and the console stays up.
- Enter on the source profile's row (long-term keys from the credentials file) sends nothing
  to STS.
- At 80x24 with the profile marked environment = production and --read-only: row 0 has
  both banners (short), the account, the role and session, the profile, the region and the
  countdown, before and while a refresh is held (then it also says refreshing).
- SSO (tests/lib/sso_server.py as the portal): a legacy SSO profile whose cached token has
  expired since the console started: Enter asks the portal for nothing with the expired
  token and opens the device-code sign-in instead (test_console_sso.py follows it through).

Every server is on a free loopback port and stopped by PID or by its thread.
"""
import datetime
import hashlib
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from awsenv import Moto, aws_env  # noqa: E402
from console import (OPSDECK, Tmux, cell, console_env, header_row, stty_sane,  # noqa: E402
                     write_app_config)
from sso_server import SsoServer  # noqa: E402
from stallproxy import StallProxy  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()
ROLE = "arn:aws:iam::123456789012:role/oncall"


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


def status(rows):
    for r in reversed(rows):
        if r.strip():
            return r
    return ""


def table(rows):
    """(header, {whose: row}) of the credential rows of the expiry view, or (None, {})."""
    h = header_row(rows, "WHAT", "WHOSE", "EXPIRES", "LEFT")
    if h < 0:
        return None, {}
    out = {}
    for r in rows[h + 1:]:
        if r.startswith("credentials "):
            out[r.split()[1]] = r
    return rows[h], out


def quit_sane(tm):
    tm.text("q")
    st = tm.wait_exit()
    t.ok(st["rc"] == 0 and stty_sane(st["stty"]) == [], "q quits, terminal sane", str(st))


def ops_row(rows):
    hdr, creds = table(rows)
    return hdr, creds.get("ops")


def refresh(moto):
    proxy = StallProxy(moto.endpoint)
    try:
        proxy.expire_in(3600)
        env = role_env(proxy.endpoint)
        with Tmux() as tm:
            tm.start(env, [OPSDECK, "--profile", "ops", "--read-only", "--view", "expiry"],
                     120, 24)
            ok, rows = tm.wait_for(lambda rs: ops_row(rs)[1] is not None and
                                   cell(ops_row(rs)[1], ops_row(rs)[0], "EXPIRES") != "-" and
                                   "READ-ONLY" in rs[0] and
                                   "123456789012" in rs[0], deadline=60)
            t.ok(ok, "start: the expiry view lists the role's credentials with their expiry, "
                 "read-only", "\n".join(rows))
            if not ok:
                return
            # the cursor stays on the row it was on while ops was still being fetched: the
            # top of the timeline (g) is ops now, the soonest
            tm.text("g")
            # rs[-4]: the line under the list with the cursor's time (then the line saying
            # where it comes from, the footer's keys and the status line)
            ok, rows = tm.wait_for(lambda rs: rs[-4].startswith("credentials at "),
                                   deadline=30)
            hdr, row = ops_row(rows)
            before = cell(row, hdr, "EXPIRES")
            first = [r for r in rows[header_row(rows, "WHAT", "WHOSE") + 1:] if r.strip()][0]
            t.ok(ok and first.startswith("credentials") and " ops " in first,
                 "start: the role's credentials come first on the timeline, the cursor on "
                 "them", "\n".join(rows))
            n0 = len(proxy.calls("AssumeRole"))
            t.ok(n0 == 1, "start: one AssumeRole", str(proxy.calls("AssumeRole")))

            # Enter: AssumeRole again, held by the proxy while the screen is looked at
            proxy.expire_in(7200)
            proxy.hold("AssumeRole", minimum=0.0)
            tm.keys("Enter")
            held = proxy.wait_event("held", "AssumeRole")
            t.ok(held is not None, "Enter on the role's row sends AssumeRole",
                 str(proxy.events()[-5:]))
            ok, rows = tm.wait_for(lambda rs: ops_row(rs)[1] is not None and
                                   "refreshing" in ops_row(rs)[1] and
                                   "credentials ops: refreshing" in rs[-4], deadline=30)
            still = proxy.holding
            t.ok(ok and still, "while STS holds it: the row and the line under the list say "
                 "refreshing", "\n".join(rows))
            t.ok(any("profile ops: refreshing credentials now" in r and "no confirmation" in r
                     for r in rows),
                 "the status line says the refresh started and needed no confirmation",
                 "\n".join(rows))
            proxy.release()
            ok, rows = tm.wait_for(lambda rs: ops_row(rs)[1] is not None and
                                   "refreshing" not in ops_row(rs)[1] and
                                   cell(ops_row(rs)[1], ops_row(rs)[0], "EXPIRES") != before,
                                   deadline=30)
            hdr, row = ops_row(rows)
            after = cell(row, hdr, "EXPIRES") if row else None
            t.ok(ok and len(proxy.calls("AssumeRole")) == n0 + 1,
                 f"released: the row's expiry moved ({before} -> {after}), one AssumeRole "
                 "more", "\n".join(rows))
            left = cell(row, hdr, "LEFT") if row else ""
            t.ok(left.startswith("1h") or left.startswith("2h"),
                 f"released: the time left counts from the new expiry ({left})",
                 "\n".join(rows))

            # Enter with STS refusing the base keys: the cause, whole, under the list
            proxy.expire_next("sts")
            tm.keys("Enter")
            ok, rows = tm.wait_for(lambda rs: ops_row(rs)[1] is not None and
                                   "refresh fail" in ops_row(rs)[1] and
                                   "credentials ops: refresh failed:" in rs[-4], deadline=30)
            t.diag(rows[-4])
            t.ok(ok and "profile ops" in rows[-4] and "AssumeRole" in rows[-4],
                 "STS refuses: the row says the refresh failed, the line under the list "
                 "names the profile and the call", "\n".join(rows))
            hdr, row = ops_row(rows)
            t.ok(row is not None and cell(row, hdr, "EXPIRES") == after,
                 "STS refuses: the credentials held still count down (expiry kept)",
                 "\n".join(rows))
            t.ok(len(proxy.calls("AssumeRole")) == n0 + 2,
                 "STS refuses: it was one AssumeRole more", str(len(proxy.calls("AssumeRole"))))

            # the source profile's long-term keys: nothing to ask STS for
            n = len(proxy.calls("AssumeRole"))
            _, creds = table(rows)
            if "base" in creds:
                tm.text("G")   # the last row: what never expires comes after every time
                ok, rows = tm.wait_for(lambda rs: rs[-4] == "credentials: never expires",
                                       deadline=30)
                tm.keys("Enter")
                ok, rows = tm.wait_for(lambda rs: "profile base" in status(rs) or
                                       "profile base" in " ".join(rs), deadline=30)
                t.ok(ok and len(proxy.calls("AssumeRole")) == n,
                     "Enter on the source profile's keys: said on the status line, no "
                     "AssumeRole", "\n".join(rows))
            else:
                t.ok(False, "the source profile base has a credential row", "\n".join(rows))

            quit_sane(tm)
    finally:
        proxy.stop()


def production_header(moto):
    """80x24, a production profile read-only, a refresh held: the header keeps its parts."""
    proxy = StallProxy(moto.endpoint)
    try:
        proxy.expire_in(3600)
        env = role_env(proxy.endpoint)
        write_app_config(env, "[intervals]\ndefault = 2\n[profile ops]\n"
                         "environment = production\n")
        # the role's name, then the session opsdeck names itself (cut if it must be)
        want = re.compile(r"^ PROD RO 123456789012  oncall/opsdeck-\S*  (profile )?ops  "
                          r"us-east-1  creds \S+( refreshing)?\s*$")
        with Tmux() as tm:
            tm.start(env, [OPSDECK, "--profile", "ops", "--read-only", "--view", "expiry"],
                     80, 24)
            ok, rows = tm.wait_for(lambda rs: ops_row(rs)[1] is not None and
                                   cell(ops_row(rs)[1], ops_row(rs)[0], "EXPIRES") != "-" and
                                   "oncall/" in rs[0] and "no expiry" not in rs[0],
                                   deadline=60)
            t.ok(ok and want.match(rows[0]) is not None and "refreshing" not in rows[0],
                 "80 columns, production, --read-only: both banners, the account, the role "
                 "and session, the profile, the region and the countdown in row 0",
                 "\n".join(rows))
            if not ok:
                return
            tm.text("g")
            # rs[-4]: the line under the list with the cursor's time (then the line saying
            # where it comes from, the footer's keys and the status line)
            ok, rows = tm.wait_for(lambda rs: rs[-4].startswith("credentials at "),
                                   deadline=30)
            t.ok(ok, "the cursor on the role's credentials", "\n".join(rows))
            proxy.hold("AssumeRole", minimum=0.0)
            tm.keys("Enter")
            held = proxy.wait_event("held", "AssumeRole")
            ok, rows = tm.wait_for(lambda rs: "refreshing" in rs[0], deadline=30)
            still = proxy.holding
            t.ok(held is not None and ok and still and want.match(rows[0]) is not None and
                 rows[0].rstrip().endswith(" refreshing"),
                 "while STS holds the refresh: row 0 still has the role, the profile, the "
                 "region and the countdown, and says refreshing", "\n".join(rows))
            proxy.release()
            quit_sane(tm)
    finally:
        proxy.stop()


LEGACY = "https://legacy.awsapps.com/start"


def sso_cache(env, expires_at, token):
    """Writes the legacy start URL's token cache (0600), as `opsdeck login --sso` does."""
    d = os.path.join(env["HOME"], ".aws", "sso", "cache")
    os.makedirs(d, exist_ok=True)
    p = os.path.join(d, hashlib.sha1(LEGACY.encode()).hexdigest() + ".json")
    fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump({"startUrl": LEGACY, "region": "us-east-2", "accessToken": token,
                   "expiresAt": datetime.datetime.fromtimestamp(
                       expires_at, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}, f)


def sso_expired(moto):
    srv = SsoServer().start()
    try:
        env = console_env(moto.endpoint, aws_env(moto.endpoint), now=None)
        for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
            env.pop(k, None)
        with open(env["AWS_CONFIG_FILE"], "w", encoding="ascii") as f:
            f.write(f"[profile old]\nsso_start_url = {LEGACY}\nsso_region = us-east-2\n"
                    "sso_account_id = 444455556666\nsso_role_name = Admin\n"
                    "region = us-east-1\n")
        env.update(AWS_ENDPOINT_URL_SSO=srv.url, AWS_ENDPOINT_URL_SSO_OIDC=srv.url,
                   OPSDECK_KEYRING="off")
        write_app_config(env, "[intervals]\ndefault = 2\n")
        tok = srv.issue_token(expires_in=7200, client=False)["accessToken"]
        sso_cache(env, time.time() + 7200, tok)
        with Tmux() as tm:
            tm.start(env, [OPSDECK, "--profile", "old", "--view", "expiry"], 200, 24)

            def old_row(rs):
                hdr, creds = table(rs)
                return hdr, creds.get("old")

            ok, rows = tm.wait_for(lambda rs: old_row(rs)[1] is not None and
                                   cell(old_row(rs)[1], old_row(rs)[0], "EXPIRES") != "-",
                                   deadline=60)
            t.ok(ok, "SSO: the role credentials from the portal, with their expiry",
                 "\n".join(rows))
            if not ok:
                return
            tm.text("g")
            n = len(srv.state.log)
            # the SSO session ends (as after its 8 hours): the token in the cache expired
            sso_cache(env, time.time() - 60, tok)
            tm.keys("Enter")
            ok, rows = tm.wait_for(lambda rs: any("enter the code" in r for r in rs) and
                                   any(LEGACY in r for r in rs), deadline=30)
            t.ok(ok and any("profile old" in r for r in rows),
                 "SSO token expired: Enter opens the sign-in dialog with a code, naming the "
                 "profile and the start URL", "\n".join(rows))
            t.ok(not any(op == "/federation/credentials" for op, _ in srv.state.log[n:]),
                 "SSO token expired: nothing was asked of the portal with it",
                 str(srv.state.log[n:]))
            tm.keys("Escape")
            ok, rows = tm.wait_for(lambda rs: "sign-in cancelled" in status(rs), deadline=30)
            t.ok(ok, "Esc closes the sign-in", "\n".join(rows))
            tm.text("q")
            st = tm.wait_exit()
            t.ok(st["rc"] == 0 and stty_sane(st["stty"]) == [], "SSO: q quits, terminal sane",
                 str(st))
    finally:
        srv.stop()


def main():
    m = Moto().start()
    try:
        t.run("refresh now in the expiry view", refresh, m)
        t.run("refresh now with an expired SSO session", sso_expired, m)
        t.run("the header at 80 columns, production and read-only, refreshing",
              production_header, m)
    finally:
        m.stop()
    t.done()


if __name__ == "__main__":
    main()
