"""test_sso.py - the SSO credential provider and `opsdeck login --sso` against
tests/lib/sso_server.py, with the aws CLI and botocore as clients we did not write: the CLI
must parse the server's answers, and botocore must get from a cache written by our login the
same credentials our provider gets.

Each case uses a fresh temporary HOME; opsdeck reaches the server through
AWS_ENDPOINT_URL_SSO / AWS_ENDPOINT_URL_SSO_OIDC (nothing leaves 127.0.0.1)."""
import datetime
import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import urllib.request

from sso_server import SsoServer
from tap import Tap

OPSDECK = os.environ["OPSDECK"]
DUMP = os.path.join(os.environ["TOP_BUILDDIR"], "tests", "tools", "config_dump")
START = "https://example.awsapps.com/start"
LEGACY = "https://legacy.awsapps.com/start"
CONFIG = f"""[profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = ReadOnly
region = us-east-1
[sso-session corp]
sso_start_url = {START}
sso_region = eu-west-1
sso_registration_scopes = sso:account:access
[profile old]
sso_start_url = {LEGACY}
sso_region = us-east-2
sso_account_id = 444455556666
sso_role_name = Admin
region = us-east-1
"""

t = Tap()
srv = SsoServer().start()
OUTPUTS = []  # every stdout/stderr we saw, for the secret grep
HOMES = []


def iso(epoch):
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc) \
        .strftime("%Y-%m-%dT%H:%M:%SZ")


def new_home():
    home = tempfile.mkdtemp(prefix="opsdeck-sso-")
    HOMES.append(home)
    os.makedirs(os.path.join(home, ".aws"))
    with open(os.path.join(home, ".aws", "config"), "w") as f:
        f.write(CONFIG)
    open(os.path.join(home, ".aws", "credentials"), "w").close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")
           and k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
    env.update(HOME=home, AWS_CONFIG_FILE=os.path.join(home, ".aws", "config"),
               AWS_SHARED_CREDENTIALS_FILE=os.path.join(home, ".aws", "credentials"),
               AWS_ENDPOINT_URL_SSO=srv.url, AWS_ENDPOINT_URL_SSO_OIDC=srv.url,
               AWS_EC2_METADATA_DISABLED="true", NO_PROXY="127.0.0.1", no_proxy="127.0.0.1")
    return home, env


def cache_path(home, key):
    return os.path.join(home, ".aws", "sso", "cache",
                        hashlib.sha1(key.encode()).hexdigest() + ".json")


def write_cache(home, key, obj, raw=None):
    p = cache_path(home, key)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w") as f:
        f.write(raw if raw is not None else json.dumps(obj))
    os.chmod(p, 0o600)
    return p


def run(argv, env, ours=True):
    """ours=False: the aws CLI, whose output is meant to show tokens; not grepped."""
    p = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
    if ours:
        OUTPUTS.extend([p.stdout, p.stderr])
    return p


def dump(env, profile):
    p = run([DUMP, "--profile", profile], env)
    kv = dict(line.split("=", 1) for line in p.stdout.splitlines() if "=" in line)
    kv["_rc"] = p.returncode
    kv["_out"] = p.stdout + p.stderr
    return kv


def sha256(s):
    return hashlib.sha256(s.encode()).hexdigest()


def check_creds(kv, account, role, start, name):
    want = srv.role_credentials(account, role)
    if not t.eq(kv.get("creds.status"), "ok", f"{name}: credentials resolved"):
        t.diag(kv["_out"])
        return
    t.eq(kv.get("creds.method"), "sso", f"{name}: method sso (botocore's name)")
    t.eq(kv.get("creds.access_key_id"), want.get("accessKeyId"),
         f"{name}: the portal's access key id")
    t.eq(kv.get("creds.secret_sha256"), sha256(want.get("secretAccessKey", "")),
         f"{name}: the portal's secret key")
    t.eq(kv.get("creds.token_sha256"), sha256(want.get("sessionToken", "")),
         f"{name}: the portal's session token")
    t.eq(kv.get("creds.expiration"), str(want.get("expiration", 0) // 1000),
         f"{name}: expiration from milliseconds")
    t.eq(kv.get("creds.source"), f"profile {kv.get('profile')}: SSO {start} account "
         f"{account} role {role}", f"{name}: source names the start URL, account and role")


def mode(p):
    return stat.S_IMODE(os.stat(p).st_mode)


def approve(code):
    req = urllib.request.Request(srv.url + "/_test/approve", method="POST",
                                 data=json.dumps({"userCode": code}).encode())
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.status == 200


# ---- the server, checked by the aws CLI --------------------------------------------------

def case_cli_parses_server():
    home, env = new_home()
    env.update(AWS_ACCESS_KEY_ID="", AWS_SECRET_ACCESS_KEY="")

    def aws(*a):
        return run(["aws", *a, "--endpoint-url", srv.url, "--region", "eu-west-1",
                    "--output", "json"], env, ours=False)

    p = aws("sso-oidc", "register-client", "--client-name", "cli", "--client-type", "public")
    t.eq(p.returncode, 0, "aws sso-oidc register-client parses the server's answer")
    c = json.loads(p.stdout)
    # --cli-input-json: the CLI v1 would fetch a URL given as a parameter value
    p = aws("sso-oidc", "start-device-authorization", "--cli-input-json", json.dumps(
        {"clientId": c["clientId"], "clientSecret": c["clientSecret"], "startUrl": START}))
    t.eq(p.returncode, 0, "aws sso-oidc start-device-authorization parses the answer")
    d = json.loads(p.stdout)
    t.ok(d["userCode"] and d["interval"] == 1 and d["expiresIn"] == 600,
         "device authorization: userCode, interval, expiresIn", detail=p.stdout)
    # secrets may start with '-', which argparse would take for an option: JSON input
    tok = ["sso-oidc", "create-token", "--cli-input-json", json.dumps(
        {"clientId": c["clientId"], "clientSecret": c["clientSecret"],
         "grantType": "urn:ietf:params:oauth:grant-type:device_code",
         "deviceCode": d["deviceCode"]})]
    p = aws(*tok)
    t.ok(p.returncode != 0 and "AuthorizationPendingException" in p.stderr,
         "aws CLI sees AuthorizationPendingException before approval", detail=p.stderr)
    approve(d["userCode"])
    p = aws(*tok)
    t.eq(p.returncode, 0, "aws sso-oidc create-token parses the token after approval")
    token = json.loads(p.stdout)
    p = aws("sso", "get-role-credentials", "--cli-input-json", json.dumps(
        {"roleName": "ReadOnly", "accountId": "111122223333",
         "accessToken": token["accessToken"]}))
    t.eq(p.returncode, 0, "aws sso get-role-credentials parses the portal's answer")
    rc = json.loads(p.stdout)["roleCredentials"]
    t.eq(rc["accessKeyId"], srv.role_credentials("111122223333", "ReadOnly")["accessKeyId"],
         "aws CLI reads the role's access key id")
    p = aws("sso", "get-role-credentials", "--role-name", "R", "--account-id", "1",
            "--access-token", "not-a-token")
    t.ok(p.returncode != 0 and "UnauthorizedException" in p.stderr,
         "aws CLI sees UnauthorizedException for a bad token", detail=p.stderr)


# ---- provider: cached tokens ----------------------------------------------------------------

def case_valid_tokens():
    home, env = new_home()
    seed = srv.issue_token(expires_in=7200)
    p = write_cache(home, "corp", dict(seed, startUrl=START, region="eu-west-1",
                                       expiresAt=iso(time.time() + 7200),
                                       registrationExpiresAt=iso(time.time() + 86400)))
    before = open(p).read()
    n_token = sum(1 for op, _ in srv.state.log if op == "/token")
    check_creds(dump(env, "dev"), "111122223333", "ReadOnly", START, "sso_session profile")
    t.eq(open(p).read(), before, "a token with 2 hours left is not refreshed (file unchanged)")
    t.eq(sum(1 for op, _ in srv.state.log if op == "/token"), n_token, "no CreateToken call")

    legacy = srv.issue_token(expires_in=7200, client=False)
    write_cache(home, LEGACY, {"startUrl": LEGACY, "region": "us-east-2",
                               "accessToken": legacy["accessToken"],
                               "expiresAt": iso(time.time() + 7200)})
    check_creds(dump(env, "old"), "444455556666", "Admin", LEGACY, "legacy profile")


def case_refresh():
    home, env = new_home()
    seed = srv.issue_token(expires_in=600)
    p = write_cache(home, "corp", dict(seed, startUrl=START, region="eu-west-1",
                                       expiresAt=iso(time.time() + 600),
                                       registrationExpiresAt=iso(time.time() + 86400)))
    # the server forgets the old token: only a refreshed one can get role credentials
    with srv.state.lock:
        srv.state.tokens.pop(seed["accessToken"])
    kv = dump(env, "dev")
    check_creds(kv, "111122223333", "ReadOnly", START, "10 minutes left: refreshed")
    new = json.load(open(p))
    t.ok(new["accessToken"] != seed["accessToken"] and new["accessToken"] in srv.state.tokens,
         "the cache holds the new access token")
    t.ok(new.get("refreshToken") not in (None, seed["refreshToken"]),
         "the cache holds the rotated refresh token")
    exp = datetime.datetime.strptime(new["expiresAt"], "%Y-%m-%dT%H:%M:%SZ") \
        .replace(tzinfo=datetime.timezone.utc).timestamp()
    t.ok(exp > time.time() + 3600, "the new expiresAt is the server's 8 hours",
         detail=new["expiresAt"])
    t.ok(new["clientId"] == seed["clientId"] and new["clientSecret"] == seed["clientSecret"]
         and new["startUrl"] == START and new["region"] == "eu-west-1",
         "the registration, start URL and region are kept")
    t.eq(mode(p), 0o600, "the rewritten cache file is 0600")
    t.eq(sorted(os.listdir(os.path.dirname(p))), [os.path.basename(p)],
         "no temporary file is left in the cache directory")


def one_line_error(kv, name, *needles):
    msg = kv.get("creds.error", "")
    t.eq(kv.get("creds.status"), "error", f"{name}: an error")
    t.ok(all(n in msg for n in needles), f"{name}: the message says {', '.join(needles)}",
         detail=kv["_out"])
    t.eq(kv["_rc"], 0, f"{name}: no crash")


def case_expired():
    home, env = new_home()
    old = srv.issue_token(expires_in=7200, client=False)
    write_cache(home, LEGACY, {"startUrl": LEGACY, "region": "us-east-2",
                               "accessToken": old["accessToken"],
                               "expiresAt": iso(time.time() - 60)})
    one_line_error(dump(env, "old"), "expired legacy token", "profile old", LEGACY, "expired",
                   "opsdeck login --sso old", "aws sso login --profile old")
    p = run([OPSDECK, "--profile", "old", "whoami"], env)
    # (other lines may come from other modules, e.g. the keyring's one-line notice)
    sso_lines = [ln for ln in p.stderr.splitlines() if "SSO" in ln]
    t.ok(p.returncode == 1 and len(sso_lines) == 1 and "opsdeck login --sso old" in
         sso_lines[0] and LEGACY in sso_lines[0] and "profile old" in sso_lines[0],
         "opsdeck whoami: exit 1 and ONE line naming the profile, start URL and login command",
         detail=p.stdout + p.stderr)

    # sso_session, expired, with a refresh token whose registration has expired too
    seed = srv.issue_token(expires_in=7200)
    write_cache(home, "corp", dict(seed, startUrl=START, region="eu-west-1",
                                   expiresAt=iso(time.time() - 60),
                                   registrationExpiresAt=iso(time.time() - 60)))
    one_line_error(dump(env, "dev"), "expired token, registration expired", "profile dev",
                   START, "opsdeck login --sso dev")
    # expired with a refresh token the server no longer accepts
    write_cache(home, "corp", dict(seed, refreshToken="revoked", startUrl=START,
                                   region="eu-west-1", expiresAt=iso(time.time() - 60),
                                   registrationExpiresAt=iso(time.time() + 3600)))
    one_line_error(dump(env, "dev"), "expired token, refresh refused", "profile dev", START,
                   "refreshing it failed", "opsdeck login --sso dev")
    # not logged in at all
    os.unlink(cache_path(home, "corp"))
    one_line_error(dump(env, "dev"), "no cache file", "profile dev", START, "not logged in",
                   "opsdeck login --sso dev")


def case_portal_refuses():
    home, env = new_home()
    seed = srv.issue_token(expires_in=7200)
    write_cache(home, "corp", dict(seed, startUrl=START, region="eu-west-1",
                                   expiresAt=iso(time.time() + 7200),
                                   registrationExpiresAt=iso(time.time() + 86400)))
    for status, code in ((401, "UnauthorizedException"), (403, "ForbiddenException")):
        srv.state.portal_status = status
        try:
            kv = dump(env, "dev")
        finally:
            srv.state.portal_status = None
        one_line_error(kv, f"portal answers {status}", "profile dev", START, "refused",
                       f"HTTP {status}", code, "opsdeck login --sso dev")


def case_malformed_cache():
    home, env = new_home()
    tok = srv.issue_token(expires_in=7200)["accessToken"]
    cases = [
        ("not JSON", "{not json", "not a JSON object"),
        ("a JSON array", "[1, 2]", "not a JSON object"),
        ("empty file", "", "not a JSON object"),
        ("no accessToken", json.dumps({"expiresAt": iso(time.time() + 3600)}),
         "no accessToken"),
        ("no expiresAt", json.dumps({"accessToken": tok}), "no expiresAt"),
        ("expiresAt not a date", json.dumps({"accessToken": tok, "expiresAt": "soon"}),
         "'expiresAt' is not an ISO 8601"),
        ("expiresAt without a zone", json.dumps({"accessToken": tok,
                                                 "expiresAt": "2030-01-01T00:00:00"}),
         "'expiresAt' is not an ISO 8601"),
        ("expiresAt a number", json.dumps({"accessToken": tok, "expiresAt": 1893456000}),
         "'expiresAt' is not a string"),
        ("accessToken a number", json.dumps({"accessToken": 5,
                                             "expiresAt": iso(time.time() + 3600)}),
         "'accessToken' is not a string"),
    ]
    for name, raw, needle in cases:
        write_cache(home, "corp", None, raw=raw)
        kv = dump(env, "dev")
        one_line_error(kv, f"cache {name}", "profile dev", needle, "opsdeck login --sso dev")
        t.ok(tok not in kv["_out"], f"cache {name}: the token is not quoted")


# ---- login --sso ------------------------------------------------------------------------------

def login(env, profile, slow_down=False):
    """Runs opsdeck login --sso, approves the printed code; returns (rc, stdout, stderr)."""
    srv.state.slow_down_once = slow_down
    p = subprocess.Popen([OPSDECK, "login", "--sso", profile], env=env, text=True,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    lines, code = [], None
    try:
        for line in p.stdout:
            lines.append(line)
            if code is None and len(lines) >= 2 and lines[-2].startswith("and enter the code"):
                code = line.strip()
                approve(code)
        out, err = p.communicate(timeout=120)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    out = "".join(lines) + (out or "")
    OUTPUTS.extend([out, err])
    return p.returncode, out, err, code


def case_login(profile, key, start, region, session):
    home, env = new_home()
    env.pop("DISPLAY", None)  # a jump host: nothing to open a browser on
    rc, out, err, code = login(env, profile, slow_down=session)
    if not t.eq(rc, 0, f"login --sso {profile}: exit 0"):
        t.diag(out + err)
    t.ok(code and len(code) == 9 and code[4] == "-", f"login {profile}: prints the user code",
         detail=out)
    t.ok(f"{srv.url}/device\n" in out and f"{srv.url}/device?user_code={code}" in out,
         f"login {profile}: prints the verification URI and the complete one", detail=out)
    p = cache_path(home, key)
    t.ok(os.path.exists(p), f"login {profile}: cache file {os.path.basename(p)} written")
    if not os.path.exists(p):
        return home, env
    t.eq(mode(p), 0o600, f"login {profile}: cache file is 0600")
    c = json.load(open(p))
    t.ok(c.get("accessToken") in srv.state.tokens, f"login {profile}: the server's token")
    t.ok(c.get("startUrl") == start and c.get("region") == region,
         f"login {profile}: startUrl and region as the CLI writes them")
    if session:
        t.ok(c.get("refreshToken") and c.get("clientId") and c.get("clientSecret") and
             c.get("registrationExpiresAt"),
             f"login {profile}: refresh token and client registration kept", detail=list(c))
        t.ok(("/token", "SlowDownException") in srv.state.log,
             "login honoured a SlowDownException and went on polling")
        with srv.state.lock:
            client = srv.state.clients.get(c.get("clientId"), {})
        t.eq(client.get("scopes"), ["sso:account:access"],
             "login registered the client with sso_registration_scopes")
    t.ok(c["accessToken"] not in out + err and
         (not c.get("clientSecret") or c["clientSecret"] not in out + err),
         f"login {profile}: neither the token nor the client secret is printed")
    return home, env


def case_login_and_botocore():
    home, env = case_login("dev", "corp", START, "eu-west-1", True)
    kv = dump(env, "dev")
    check_creds(kv, "111122223333", "ReadOnly", START, "after login --sso dev")
    botocore_same(env, "dev", kv)

    home, env = case_login("old", LEGACY, LEGACY, "us-east-2", False)
    kv = dump(env, "old")
    check_creds(kv, "444455556666", "Admin", LEGACY, "after login --sso old (legacy)")
    botocore_same(env, "old", kv)


BOTO = """
import hashlib, json, sys
import botocore.session
s = botocore.session.Session(profile=sys.argv[1])
c = s.get_credentials().get_frozen_credentials()
print(json.dumps({"akid": c.access_key, "secret": hashlib.sha256(c.secret_key.encode()).hexdigest(),
                  "token": hashlib.sha256(c.token.encode()).hexdigest(),
                  "method": s.get_credentials().method}))
"""


def botocore_same(env, profile, kv):
    """botocore, reading the cache our login wrote, gets the credentials we got."""
    p = run([sys.executable, "-c", BOTO, profile], env)
    if not t.eq(p.returncode, 0, f"botocore resolves profile {profile} from our cache"):
        t.diag(p.stderr[-2000:])
        return
    b = json.loads(p.stdout)
    t.eq((b["method"], b["akid"], b["secret"], b["token"]),
         ("sso", kv.get("creds.access_key_id"), kv.get("creds.secret_sha256"),
          kv.get("creds.token_sha256")), f"botocore and opsdeck agree on profile {profile}")


def case_login_errors():
    home, env = new_home()
    p = run([OPSDECK, "login"], env)
    t.eq(p.returncode, 2, "login without --sso: usage error")
    with open(os.path.join(home, ".aws", "config"), "a") as f:
        f.write("[profile plain]\nregion = us-east-1\n")
    # nobody approves: the code expires, and login says so
    srv.state.device_expires_in = 2
    try:
        p = run([OPSDECK, "login", "--sso", "dev"], env)
    finally:
        srv.state.device_expires_in = 600
    t.ok(p.returncode == 1 and "not approved" in p.stderr and "profile dev" in p.stderr and
         not os.path.exists(cache_path(home, "corp")),
         "login whose code is never approved: exit 1, says so, writes no cache",
         detail=p.stdout + p.stderr)
    # the OIDC endpoint unreachable: one line naming it
    env2 = dict(env, AWS_ENDPOINT_URL_SSO_OIDC="http://127.0.0.1:9")
    p = run([OPSDECK, "login", "--sso", "dev"], env2)
    t.ok(p.returncode == 1 and "127.0.0.1:9" in p.stderr and "login to" in p.stderr,
         "login with SSO-OIDC unreachable: exit 1 naming the endpoint", detail=p.stderr)
    # StartDeviceAuthorization answers 200 with what is not a device authorization
    for name, body in (("no userCode", json.dumps({"deviceCode": "d", "verificationUri":
                                                   "https://x/", "expiresIn": 600})),
                       ("not JSON", "<html>proxy login</html>"),
                       ("expiresIn a string", json.dumps({"deviceCode": "d", "userCode": "A-B",
                                                          "verificationUri": "https://x/",
                                                          "expiresIn": "600"}))):
        srv.state.device_body = body.encode()
        try:
            p = run([OPSDECK, "login", "--sso", "dev"], env)
        finally:
            srv.state.device_body = None
        t.ok(p.returncode == 1 and len(p.stderr.strip().splitlines()) == 1 and
             "StartDeviceAuthorization" in p.stderr and "profile dev" in p.stderr and
             "opsdeck login --sso dev` again" in p.stderr and "enter the code" not in p.stdout,
             f"login with a malformed StartDeviceAuthorization answer ({name}): exit 1, one "
             "line naming the call and what to do, no code printed",
             detail=p.stdout + p.stderr)
    p = run([OPSDECK, "login", "--sso", "plain"], env)
    t.ok(p.returncode == 1 and "plain" in p.stderr and "sso_start_url" in p.stderr,
         "login for a profile without SSO settings says what is missing", detail=p.stderr)


# ---- no secret anywhere but the cache files ------------------------------------------------

def case_no_secret_leaks():
    st = srv.state
    with st.lock:
        secrets_ = set(st.tokens) | set(st.refresh) | {c["secret"] for c in st.clients.values()}
        for r in st.roles.values():
            secrets_ |= {r["secretAccessKey"], r["sessionToken"]}
    text = "\n".join(OUTPUTS)
    leaked = [s[:6] for s in secrets_ if s in text]
    t.eq(leaked, [], f"none of {len(secrets_)} secrets appears in any output")
    bad_files, bad_modes = [], []
    for home in HOMES:
        for root, _dirs, files in os.walk(home):
            for name in files:
                path = os.path.join(root, name)
                data = open(path, errors="replace").read()
                in_cache = os.path.dirname(path).endswith(os.path.join(".aws", "sso", "cache"))
                if in_cache:
                    if mode(path) != 0o600:
                        bad_modes.append(path)
                    continue
                if any(s in data for s in secrets_):
                    bad_files.append(path)
    t.eq(bad_files, [], "no secret in any file but the SSO cache")
    t.eq(bad_modes, [], "every SSO cache file is 0600")


try:
    for name, fn in [("aws CLI parses the server", case_cli_parses_server),
                     ("valid cached tokens", case_valid_tokens),
                     ("refresh", case_refresh),
                     ("expired", case_expired),
                     ("portal refuses", case_portal_refuses),
                     ("malformed cache", case_malformed_cache),
                     ("login and botocore", case_login_and_botocore),
                     ("login errors", case_login_errors),
                     ("no secret leaks", case_no_secret_leaks)]:
        t.run(name, fn)
finally:
    srv.stop()
    for h in HOMES:
        shutil.rmtree(h, ignore_errors=True)
t.done()
