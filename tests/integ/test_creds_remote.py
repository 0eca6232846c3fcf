#!/usr/bin/env python3
"""test_creds_remote.py - credential_process, container credentials and EC2 IMDSv2, each
resolved by opsdeck (tests/tools/config_dump) and by botocore from the same files and
environment: the same access key and secret (compared as SHA-256), or both refusing.

The metadata test server (tests/lib/metadata_server.py) runs on a free 127.0.0.1 port. The
relative-URI case needs the ECS agent's fixed address 169.254.170.2: it runs in a private
network namespace (unshare -rn) where that address is on the loopback device, and is
reported as skipped where unprivileged namespaces are not available."""
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

HERE = os.path.dirname(os.path.abspath(__file__))
LIB = os.path.join(HERE, "..", "lib")
sys.path.insert(0, LIB)
from tap import Tap  # noqa: E402
from awsenv import _Server, aws_env, pid_alive  # noqa: E402

BUILD = os.environ.get("TOP_BUILDDIR", os.getcwd())
CONFIG_DUMP = os.path.join(BUILD, "tests", "tools", "config_dump")
SERVER = os.path.join(LIB, "metadata_server.py")
EXP = "2030-01-31T12:00:00Z"
IMDS_CREDS = {"AccessKeyId": "ASIAIMDSTESTING00001", "SecretAccessKey": "imds-secret-abc",
              "Token": "imds-session-token", "Expiration": EXP}
CONTAINER_CREDS = {"AccessKeyId": "ASIACONTAINERTEST001", "SecretAccessKey": "container-sec",
                   "Token": "container-session-token", "Expiration": EXP,
                   "RoleArn": "arn:aws:iam::123456789012:role/task"}
SECRETS = ("imds-secret-abc", "imds-session-token", "container-sec", "container-session-token",
           "proc-secret-xyz", "proc-token-xyz", "ARGSECRET", "Bearer tok-")
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))
t = Tap()
TMP = tempfile.mkdtemp(prefix="opsdeck-remote-")


class MetadataServer(_Server):
    name = "metadata"
    ready_path = "/ping"

    def __init__(self, **state):
        super().__init__()
        self.state = {"role": "opsdeck-role", "imds_creds": IMDS_CREDS,
                      "container_creds": CONTAINER_CREDS}
        self.state.update(state)
        fd, self.state_path = tempfile.mkstemp(prefix="metadata-", suffix=".json", dir=TMP)
        os.close(fd)
        self._write()

    def _write(self):
        with open(self.state_path, "w", encoding="utf-8") as f:
            json.dump(self.state, f)

    def set(self, **kw):
        self.state.update(kw)
        self._write()

    def _argv(self, port):
        return [sys.executable, SERVER, self.state_path, str(port)]

    def log(self):
        with _NO_PROXY.open(self.endpoint + "/_log", timeout=5) as r:
            return json.loads(r.read())

    def reset_log(self):
        req = urllib.request.Request(self.endpoint + "/_reset", data=b"", method="POST")
        with _NO_PROXY.open(req, timeout=5) as r:
            r.read()


def base_env(config="", credentials=""):
    """An isolated HOME with these files, no keys, IMDS disabled unless a case enables it."""
    env = aws_env("http://127.0.0.1:9")
    for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_ENDPOINT_URL",
              "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
              "AWS_EC2_METADATA_SERVICE_ENDPOINT", "OPSDECK_CREDENTIAL_PROCESS_TIMEOUT"):
            env.pop(k, None)
    with open(env["AWS_CONFIG_FILE"], "w", encoding="utf-8") as f:
        f.write(config)
    with open(env["AWS_SHARED_CREDENTIALS_FILE"], "w", encoding="utf-8") as f:
        f.write(credentials)
    return env


def ours(env, *args):
    r = subprocess.run([CONFIG_DUMP, *args], env=env, capture_output=True, text=True,
                       timeout=120, check=False)
    out = {}
    for line in r.stdout.splitlines():
        k, _, v = line.partition("=")
        out[k] = v
    out["_stdout"], out["_stderr"] = r.stdout, r.stderr
    out["_creds"] = "\n".join(l for l in r.stdout.splitlines() if l.startswith("creds."))
    return out


BOTO = r"""
import hashlib, json, sys
import botocore.session
h = lambda s: hashlib.sha256(s.encode()).hexdigest() if s else "none"
try:
    c = botocore.session.Session().get_credentials()
    if c is None:
        print(json.dumps({"none": True}))
    else:
        f = c.get_frozen_credentials()
        print(json.dumps({"method": c.method, "akid": f.access_key,
                          "secret": h(f.secret_key), "token": h(f.token)}))
except Exception as e:
    print(json.dumps({"error": type(e).__name__ + ": " + str(e)}))
"""


def botocore(env):
    r = subprocess.run([sys.executable, "-c", BOTO], env=env, capture_output=True, text=True,
                       timeout=120, check=False)
    try:
        return json.loads(r.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {"error": "botocore script failed: " + r.stderr[-500:]}


def sha(s):
    return hashlib.sha256(s.encode()).hexdigest()


def no_secret(out, name):
    text = out["_stdout"] + out["_stderr"]
    leaked = [s for s in SECRETS if s in text]
    t.ok(not leaked, f"{name}: no secret in opsdeck's output", detail=leaked)


def same_as_botocore(env, name, method, akid, secret, token=None):
    o, b = ours(env), botocore(env)
    ok = t.ok(o.get("creds.status") == "ok" and o.get("creds.method") == method
              and o.get("creds.access_key_id") == akid
              and o.get("creds.secret_sha256") == sha(secret)
              and o.get("creds.token_sha256") == (sha(token) if token else "none"),
              f"{name}: opsdeck resolves {method} {akid}", detail=o["_creds"])
    t.ok(b.get("method") == method and b.get("akid") == akid and b.get("secret") == sha(secret)
         and b.get("token") == (sha(token) if token else "none"),
         f"{name}: botocore resolves the same", detail=b)
    no_secret(o, name)
    return o if ok else None


def both_refuse(env, name, want_in_error):
    o, b = ours(env), botocore(env)
    err = o.get("creds.error", "")
    t.ok(o.get("creds.status") == "error" and all(w in err for w in want_in_error),
         f"{name}: opsdeck refuses, saying {want_in_error}", detail=o["_creds"])
    t.ok("error" in b, f"{name}: botocore refuses too", detail=b)
    no_secret(o, name)
    return err


# ---- credential_process ------------------------------------------------------------------

def script(name, body):
    path = os.path.join(TMP, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"#!{sys.executable}\n{body}")
    os.chmod(path, stat.S_IRWXU)
    return path


PROC_JSON = ('{"Version": 1, "AccessKeyId": "AKIDPROCESS000000001", '
             '"SecretAccessKey": "proc-secret-xyz", "SessionToken": "proc-token-xyz", '
             f'"Expiration": "{EXP}"}}')


def process_cases():
    ok_helper = script("helper.py", f"print({PROC_JSON!r})\n")
    env = base_env(f"[default]\ncredential_process = {ok_helper} --secret-arg=ARGSECRET\n")
    o = same_as_botocore(env, "credential_process", "custom-process", "AKIDPROCESS000000001",
                         "proc-secret-xyz", "proc-token-xyz")
    if o:
        t.ok("credential_process" in o["creds.source"] and "helper.py" in o["creds.source"],
             "credential_process: the source names the command", detail=o["creds.source"])
        t.eq(o.get("creds.expiration"), "1896091200", "credential_process: Expiration is kept")

    # the same command in the credentials file, for a named profile
    env = base_env("", f"[dev]\ncredential_process = {ok_helper}\n")
    env["AWS_PROFILE"] = "dev"
    same_as_botocore(env, "credential_process in the credentials file", "custom-process",
                     "AKIDPROCESS000000001", "proc-secret-xyz", "proc-token-xyz")

    # quoting: a directory and an argument with spaces, split as shlex would
    spaced = os.path.join(TMP, "dir with space")
    os.makedirs(spaced, exist_ok=True)
    quoted = os.path.join(spaced, "quoted helper.py")
    shutil.copy(script("q.py", "import json, sys\n"
                       "ok = sys.argv[1:] == ['arg with spaces', 'it\\'s', 'a\"b']\n"
                       "print(json.dumps({'Version': 1, 'AccessKeyId': 'AKIDQUOTED' if ok else "
                       "'AKIDBADLYSPLIT', 'SecretAccessKey': 'proc-secret-xyz'}))\n"), quoted)
    os.chmod(quoted, stat.S_IRWXU)
    env = base_env(f"[default]\ncredential_process = \"{quoted}\" 'arg with spaces' "
                   f"\"it's\" a\\\"b\n")
    same_as_botocore(env, "credential_process with quoted arguments", "custom-process",
                     "AKIDQUOTED", "proc-secret-xyz")

    # no shell: shell syntax reaches the command as plain words
    marker = os.path.join(TMP, "shell-ran")
    env = base_env(f"[default]\ncredential_process = {ok_helper} ; touch {marker}\n")
    ours(env)
    t.ok(not os.path.exists(marker), "credential_process: no shell interprets the command")

    fail = script("fail.py", "import sys\nsys.stderr.write('starting\\nhelper: token expired, "
                  "run login\\n')\nsys.exit(3)\n")
    env = base_env(f"[default]\ncredential_process = {fail} --password ARGSECRET\n")
    both_refuse(env, "credential_process exits 3",
                ["profile default", "fail.py", "exit status 3", "token expired, run login"])

    pidfile = os.path.join(TMP, "sleeper.pid")
    sleeper = script("sleeper.py", f"import os, time\nopen({pidfile!r}, 'w').write("
                     "str(os.getpid()))\ntime.sleep(600)\n")
    env = base_env(f"[default]\ncredential_process = {sleeper}\n")
    env["OPSDECK_CREDENTIAL_PROCESS_TIMEOUT"] = "1"
    o = ours(env)
    t.ok(o.get("creds.status") == "error" and "did not finish within 1 s" in
         o.get("creds.error", ""), "credential_process that hangs: stopped at the timeout, "
         "with an error", detail=o["_creds"])
    pid = int(open(pidfile).read()) if os.path.exists(pidfile) else None
    gone = pid is not None and not pid_alive(pid)
    for _ in range(50):
        if gone:
            break
        time.sleep(0.1)
        gone = not pid_alive(pid)
    t.ok(gone, "credential_process that hangs: the process is gone afterwards", detail=pid)

    for name, body, want in (
            ("bad JSON", "print('Traceback: not json')", "not a JSON object"),
            ("Version 2", "print('{\"Version\": 2, \"AccessKeyId\": \"A\", "
             "\"SecretAccessKey\": \"proc-secret-xyz\"}')", "unsupported Version"),
            ("no SecretAccessKey", "print('{\"Version\": 1, \"AccessKeyId\": \"A\"}')",
             "no SecretAccessKey")):
        helper = script(name.replace(" ", "_") + ".py", body + "\n")
        env = base_env(f"[default]\ncredential_process = {helper}\n")
        both_refuse(env, f"credential_process prints {name}", ["profile default", want])

    big = script("big.py", "import sys\nsys.stdout.write('{' + ' ' * 100000 + '}')\n")
    env = base_env(f"[default]\ncredential_process = {big}\n")
    o = ours(env)
    t.ok(o.get("creds.status") == "error" and "printed more than 64 KiB" in
         o.get("creds.error", ""), "credential_process printing 100 KB: refused",
         detail=o["_creds"])

    env = base_env("[default]\ncredential_process = /nonexistent/helper ARGSECRET\n")
    both_refuse(env, "credential_process that does not exist",
                ["/nonexistent/helper", "No such file"])
    env = base_env("[default]\ncredential_process = helper 'unterminated\n")
    both_refuse(env, "credential_process with an unclosed quote", ["no closing quotation"])


# ---- container credentials ---------------------------------------------------------------

def container_cases(srv):
    url = srv.endpoint + "/container/v1/credentials"
    env = base_env()
    env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = url
    env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "Bearer tok-1"
    srv.set(container_token="Bearer tok-1")
    srv.reset_log()
    o = same_as_botocore(env, "container full URI with token", "container-role",
                         "ASIACONTAINERTEST001", "container-sec", "container-session-token")
    if o:
        t.eq(o["creds.source"], f"container credentials from {url}",
             "container: the source names the URI")
    auths = [r["authorization"] for r in srv.log() if r["path"].startswith("/container")]
    t.ok(auths and all(a == "Bearer tok-1" for a in auths),
         "container: every request carries the authorization token", detail=auths)

    token_file = os.path.join(TMP, "container-token")
    with open(token_file, "w", encoding="ascii") as f:
        f.write("Bearer tok-2")
    env["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = token_file   # wins over the variable
    srv.set(container_token="Bearer tok-2")
    same_as_botocore(env, "container full URI with token file", "container-role",
                     "ASIACONTAINERTEST001", "container-sec", "container-session-token")
    with open(token_file, "w", encoding="ascii") as f:
        f.write("Bearer tok-3")
    srv.set(container_token="Bearer tok-3")
    o = ours(env)
    t.eq(o.get("creds.access_key_id"), "ASIACONTAINERTEST001",
         "container: a rotated token file is read again")

    srv.set(container_token="Bearer something-else")
    both_refuse(env, "container with the wrong token", ["container credentials", "HTTP 401"])
    srv.set(container_token="Bearer tok-3")

    with open(token_file, "w", encoding="ascii") as f:
        f.write("Bearer tok-3\n")
    both_refuse(env, "container token file ending in a newline", ["line break", token_file])
    del env["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"]
    srv.set(container_token="Bearer tok-1")  # AWS_CONTAINER_AUTHORIZATION_TOKEN again

    srv.set(container_status=500)
    both_refuse(env, "container endpoint answering 500", ["HTTP 500", "3 attempts"])
    srv.set(container_status=200)

    srv.set(container_creds={k: v for k, v in CONTAINER_CREDS.items() if k != "Token"})
    both_refuse(env, "container answer without Token", ["no Token"])
    srv.set(container_creds=CONTAINER_CREDS)

    for bad in ("http://10.1.2.3/creds", "http://169.254.169.254/creds"):
        env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = bad
        srv.reset_log()
        both_refuse(env, f"container full URI to {bad}", ["refused", bad,
                                                          "AWS_CONTAINER_CREDENTIALS_FULL_URI"])


NETNS_INNER = r"""
import json, os, subprocess, sys, time, urllib.request
sys.path.insert(0, sys.argv[1])
subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
subprocess.run(["ip", "addr", "add", "169.254.170.2/32", "dev", "lo"], check=True)
srv = subprocess.Popen([sys.executable, sys.argv[2], sys.argv[3], "80", "169.254.170.2"])
try:
    op = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    for _ in range(100):
        try:
            op.open("http://169.254.170.2/ping", timeout=1).read(); break
        except OSError:
            time.sleep(0.1)
    o = subprocess.run([sys.argv[4]], capture_output=True, text=True, timeout=60).stdout
    b = subprocess.run([sys.executable, "-c", sys.argv[5]], capture_output=True, text=True,
                       timeout=60).stdout
    print(json.dumps({"ours": o, "botocore": b}))
finally:
    srv.terminate(); srv.wait()
"""


def container_relative_case():
    name = "container relative URI on 169.254.170.2 (private network namespace)"
    unshare = shutil.which("unshare")
    probe = subprocess.run([unshare, "-rn", "ip", "link", "set", "lo", "up"],
                           capture_output=True, timeout=30, check=False) if unshare else None
    if not unshare or probe.returncode != 0 or not shutil.which("ip"):
        print(f"ok {t.n + 1} - {name} # SKIP unprivileged network namespaces unavailable")
        t.n += 1
        return
    state = os.path.join(TMP, "netns-state.json")
    with open(state, "w", encoding="utf-8") as f:
        json.dump({"container_creds": CONTAINER_CREDS}, f)
    env = base_env()
    env["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = "/v2/credentials/task-uuid"
    env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://10.9.9.9/ignored"  # relative wins
    r = subprocess.run([unshare, "-rn", sys.executable, "-c", NETNS_INNER, LIB, SERVER, state,
                        CONFIG_DUMP, BOTO], env=env, capture_output=True, text=True,
                       timeout=120, check=False)
    try:
        res = json.loads(r.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        t.ok(False, name, detail=r.stdout + r.stderr)
        return
    o = dict(line.partition("=")[::2] for line in res["ours"].splitlines())
    b = json.loads(res["botocore"].strip() or "{}")
    t.ok(o.get("creds.method") == "container-role" and
         o.get("creds.access_key_id") == "ASIACONTAINERTEST001" and
         o.get("creds.source") == "container credentials from "
         "http://169.254.170.2/v2/credentials/task-uuid", f"{name}: opsdeck",
         detail=res["ours"])
    t.ok(b.get("method") == "container-role" and b.get("akid") == "ASIACONTAINERTEST001",
         f"{name}: botocore", detail=b)


# ---- EC2 instance metadata ---------------------------------------------------------------

def imds_cases(srv):
    env = base_env()
    env.pop("AWS_EC2_METADATA_DISABLED")
    env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = srv.endpoint
    srv.set(imds_require_token=True, imds_token_status=200, imds_creds=IMDS_CREDS)
    srv.reset_log()
    o = same_as_botocore(env, "IMDSv2", "iam-role", "ASIAIMDSTESTING00001", "imds-secret-abc",
                         "imds-session-token")
    if o:
        t.eq(o["creds.source"], "instance profile role opsdeck-role (IMDSv2)",
             "IMDSv2: the source names the role")
    log = srv.log()
    puts = [r for r in log if r["method"] == "PUT"]
    gets = [r for r in log if r["method"] == "GET"]
    t.ok(puts and all(r["path"] == "/latest/api/token" and r["ttl"] == "21600" for r in puts),
         "IMDSv2: the token is asked for with a 21600 s TTL", detail=puts)
    t.ok(gets and all(r["token"] and r["token"].startswith("imds-") for r in gets),
         "IMDSv2: every GET carries the session token (the server refuses it otherwise)",
         detail=gets)

    env2 = dict(env)
    del env2["AWS_EC2_METADATA_SERVICE_ENDPOINT"]
    with open(env2["AWS_CONFIG_FILE"], "w", encoding="utf-8") as f:
        f.write(f"[default]\nec2_metadata_service_endpoint = {srv.endpoint}/\n")
    same_as_botocore(env2, "IMDS endpoint from the profile", "iam-role",
                     "ASIAIMDSTESTING00001", "imds-secret-abc", "imds-session-token")

    srv.set(imds_token_status=403, imds_require_token=False)
    o = same_as_botocore(env, "IMDS without v2 (token PUT 403): v1 fallback as botocore",
                         "iam-role", "ASIAIMDSTESTING00001", "imds-secret-abc",
                         "imds-session-token")
    if o:
        t.eq(o["creds.source"], "instance profile role opsdeck-role (IMDSv1)",
             "IMDSv1 fallback: the source says so")
    env3 = dict(env)
    env3["AWS_EC2_METADATA_V1_DISABLED"] = "true"
    o, b = ours(env3), botocore(env3)
    t.ok(o.get("creds.status") == "error" and ("none" in b or "error" in b),
         "IMDS without v2 and AWS_EC2_METADATA_V1_DISABLED: no credentials from either",
         detail=(o["_creds"], b))
    srv.set(imds_token_status=200, imds_require_token=True)

    srv.set(imds_creds={"Code": "AssumeRoleUnauthorizedAccess", "Message": "not trusted"})
    o, b = ours(env), botocore(env)
    t.ok(o.get("creds.status") == "error" and b.get("none"),
         "IMDS answering an error document: no credentials from either (botocore: None)",
         detail=(o["_creds"], b))
    srv.set(imds_creds=IMDS_CREDS)

    env4 = dict(env)
    env4["AWS_EC2_METADATA_DISABLED"] = "true"
    srv.reset_log()
    o, b = ours(env4), botocore(env4)
    t.ok(o.get("creds.status") == "error" and b.get("none"),
         "AWS_EC2_METADATA_DISABLED=true: no credentials from either", detail=(o["_creds"], b))
    t.eq(srv.log(), [], "AWS_EC2_METADATA_DISABLED=true: the metadata service is not asked")

    env5 = dict(env)
    env5["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = "http://127.0.0.1:9"
    o, b = ours(env5), botocore(env5)
    t.ok(o.get("creds.status") == "error" and b.get("none"),
         "IMDS not answering: skipped by both, ending in 'no credentials'", detail=(o["_creds"], b))


def main():
    if not os.access(CONFIG_DUMP, os.X_OK):
        t.bail(f"{CONFIG_DUMP} is not built")
    t.run("credential_process", process_cases)
    with MetadataServer() as srv:
        t.run("container", container_cases, srv)
        t.run("imds", imds_cases, srv)
    t.run("container relative", container_relative_case)
    shutil.rmtree(TMP, ignore_errors=True)
    t.done()


main()
