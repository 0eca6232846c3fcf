"""test_no_secrets.py - no secret key or session token reaches an output, a file or a log.

Runs the main commands with known fake secrets (environment keys with a session token, and
long-term keys added to a real gnome-keyring with `opsdeck creds add`): snapshot against
moto, snapshot against a dead port (the error path), whoami, creds add/list, config_dump;
with and without a D-Bus session. The keyring profile's requests go through a proxy that
checks each signature against the keyring's secret (moto itself accepts any signature). Then searches every captured stdout/stderr, every file
under the test's HOME and TMPDIR (the keyring's own encrypted storage excepted) and the
build's tests/*.log for the secrets, raw and in the encodings a leak would most likely
take (URL-encoded, JSON-escaped, base64). Like test_keyring.py, it re-runs itself inside
`dbus-run-session` with gnome-keyring-daemon; their absence is a failure, not a skip.
"""
import base64
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse

from keyringenv import rerun_in_keyring_session
from sigv4_verify import VerifyingProxy
from tap import Tap

TOP_SRCDIR = os.environ.get("TOP_SRCDIR", ".")
TOP_BUILDDIR = os.environ.get("TOP_BUILDDIR", ".")
OPSDECK = os.environ.get("OPSDECK", os.path.join(TOP_BUILDDIR, "opsdeck"))
CONFIG_DUMP = os.path.join(TOP_BUILDDIR, "tests", "tools", "config_dump")

ENV_AKID = "AKIANOSECRETSENV0001"
ENV_SECRET = "NoSecretsEnvSecret+/0123456789abcdefghijklm"
ENV_TOKEN = "NoSecretsSessionToken+/FwoGZXIvYXdzEjr0123456789zyxwvu=="
KR_AKID = "AKIANOSECRETSKR00002"
KR_SECRET = "NoSecretsKeyringSecret+/9876543210ABCDEFGH"
SECRETS = {"env secret": ENV_SECRET, "session token": ENV_TOKEN, "keyring secret": KR_SECRET}
# the keyring daemon's own (encrypted) storage is where the secret is meant to be
KEYRING_STORE = os.path.join(".local", "share", "keyrings")


def outer():
    rerun_in_keyring_session(__file__, "OPSDECK_NS_INNER", tmpdir=True, timeout=900)


def forms(secret):
    """The secret as a leak would most likely carry it."""
    return {secret, urllib.parse.quote(secret, safe=""), secret.replace("/", "\\/"),
            base64.b64encode(secret.encode()).decode()}


class Run:
    def __init__(self):
        self.captured = []  # (label, text)

    def __call__(self, label, argv, env, stdin_text=None):
        p = subprocess.run(argv, env=env, input=stdin_text, capture_output=True, text=True,
                           timeout=180)
        self.captured.append((label + " stdout", p.stdout))
        self.captured.append((label + " stderr", p.stderr))
        return p.returncode, p.stdout, p.stderr


def leaks(text):
    return [name for name, s in SECRETS.items() if any(f in text for f in forms(s))]


def verify_self_check(endpoint):
    """One GetCallerIdentity signed by botocore with the keyring's key id and a wrong
    secret, through a VerifyingProxy expecting the right one: what the proxy saw."""
    import urllib.request
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    with VerifyingProxy(endpoint, {KR_AKID: KR_SECRET}) as px:
        req = AWSRequest(method="POST", url=px.endpoint + "/",
                         data=b"Action=GetCallerIdentity&Version=2011-06-15",
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        SigV4Auth(Credentials(KR_AKID, KR_SECRET[:-1] + "x"), "sts", "us-east-1").add_auth(req)
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            opener.open(urllib.request.Request(req.url, data=req.body, method="POST",
                                               headers=dict(req.headers.items())), timeout=30)
        except urllib.error.HTTPError:
            pass
        return px.seen[0] if px.seen else None


def inner():
    from awsenv import Moto, aws_env, free_port

    t = Tap()
    home, tmp = os.environ["HOME"], os.environ["TMPDIR"]
    tempfile.tempdir = tmp  # moto's log and everything this script makes go there too
    run = Run()
    base = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    base.pop("OPSDECK_NS_INNER", None)
    os.makedirs(os.path.join(home, ".aws"), exist_ok=True)
    with open(os.path.join(home, ".aws", "config"), "w", encoding="ascii") as f:
        f.write("[default]\nregion = us-east-1\n[profile kr]\nregion = us-east-1\n")

    with Moto() as m:
        env = aws_env(m.endpoint, base=base, home=home)
        for k in ("AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
            env.pop(k, None)
        env.update(AWS_ACCESS_KEY_ID=ENV_AKID, AWS_SECRET_ACCESS_KEY=ENV_SECRET,
                   AWS_SESSION_TOKEN=ENV_TOKEN)
        subprocess.run(["aws", "--endpoint-url", m.endpoint, "sqs", "create-queue",
                        "--queue-name", "ns-q"], env=env, capture_output=True, timeout=120)

        rc, out, _ = run("snapshot --json", [OPSDECK, "snapshot", "--json"], env)
        t.ok(rc == 0 and "ns-q" in out, "snapshot --json with env keys and a token works")
        rc, out, _ = run("snapshot", [OPSDECK, "snapshot"], env)
        t.ok(rc == 0, "snapshot (human) works")
        rc, out, err = run("whoami", [OPSDECK, "whoami"], env)
        t.ok(rc == 0 and ENV_AKID[-4:] in out + err, "whoami works", out + err)
        rc, _, _ = run("whoami --json", [OPSDECK, "whoami", "--json"], env)
        t.ok(rc == 0, "whoami --json works")
        rc, out, _ = run("config_dump", [CONFIG_DUMP], env)
        t.ok(rc == 0 and f"creds.access_key_id={ENV_AKID}" in out, "config_dump works")

        dead = dict(env, AWS_ENDPOINT_URL=f"http://127.0.0.1:{free_port()}")
        rc, _, err = run("snapshot on a dead port", [OPSDECK, "snapshot"], dead)
        t.ok(rc == 1 and err, "snapshot against a dead port fails with a message", err)

        kenv = {k: v for k, v in env.items()
                if k not in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")}
        rc, out, err = run("creds add", [OPSDECK, "creds", "add", "kr"], kenv,
                           KR_AKID + "\n" + KR_SECRET + "\n")
        t.ok(rc == 0, "creds add kr (stdin) works", out + err)
        rc, out, _ = run("creds list", [OPSDECK, "creds", "list"], kenv)
        t.ok(rc == 0 and "...0002" in out, "creds list works", out)
        rc, out, _ = run("config_dump kr", [CONFIG_DUMP, "--profile", "kr"], kenv)
        t.ok("creds.method=keyring" in out, "config_dump resolves the keyring keys", out)
        # moto takes any signature: a proxy in front of it lets through only requests that
        # botocore, given the keyring's secret, signs the same way
        with VerifyingProxy(m.endpoint, {KR_AKID: KR_SECRET}) as px:
            penv = dict(kenv, AWS_ENDPOINT_URL=px.endpoint)
            rc, out, _ = run("snapshot kr", [OPSDECK, "--profile", "kr", "snapshot", "--json"],
                             penv)
            rc2, _, _ = run("whoami kr", [OPSDECK, "--profile", "kr", "whoami"], penv)
            seen = list(px.seen)
        refused = [s for s in seen if s[3]]
        t.ok(rc == 0 and "ns-q" in out and rc2 == 0 and len(seen) >= 6 and not refused and
             all(s[2] == KR_AKID for s in seen),
             f"snapshot and whoami are signed with the keyring's key and secret ({len(seen)} "
             "requests checked)", f"snapshot rc={rc} whoami rc={rc2}\n{refused or seen}")
        wrong = verify_self_check(m.endpoint)
        t.ok(wrong and wrong[3] and "does not match" in wrong[3],
             "the check refuses a request signed with another secret (self-check)", wrong)

        nodbus = {k: v for k, v in env.items()
                  if k not in ("DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR", "DISPLAY")}
        rc, _, err = run("snapshot without D-Bus", [OPSDECK, "snapshot"], nodbus)
        t.ok(rc == 0, "snapshot without D-Bus works", err)
        rc, _, err = run("creds add without D-Bus", [OPSDECK, "creds", "add", "kr"], nodbus,
                         KR_AKID + "\n" + KR_SECRET + "\n")
        t.ok(rc == 1, "creds add without D-Bus refuses", err)
        run("creds remove", [OPSDECK, "creds", "remove", "kr"], kenv)
        # searched before moto stops: its request log is removed with it
        t.ok(leaks("x" + urllib.parse.quote(ENV_TOKEN, safe="") + "x") == ["session token"],
             "the search finds a URL-encoded token (self-check)")

        # the search itself: outputs, files under HOME and TMPDIR, the build's logs
        bad = [(label, leaks(text)) for label, text in run.captured if leaks(text)]
        t.ok(not bad, f"no secret in {len(run.captured)} captured outputs", bad)

        files = []
        for root in (home, tmp):
            for d, _, names in os.walk(root):
                if os.path.relpath(d, home).startswith(KEYRING_STORE):
                    continue
                files.extend(os.path.join(d, n) for n in names)
        logs = glob.glob(os.path.join(TOP_BUILDDIR, "tests", "**", "*.log"), recursive=True)
        logs += glob.glob(os.path.join(TOP_BUILDDIR, "*.log"))
        t.ok(len(files) > 0 and any("moto" in f for f in files),
             f"the search covers the files written ({len(files)}, moto's log among them)", files)
        found = []
        for path in files + logs:
            try:
                with open(path, "rb") as f:
                    text = f.read().decode("utf-8", "replace")
            except OSError:
                continue
            if leaks(text):
                found.append((path, leaks(text)))
        t.ok(not found, f"no secret in {len(files)} files under HOME/TMPDIR or {len(logs)} logs",
             found)
    t.done()


if __name__ == "__main__":
    if os.environ.get("OPSDECK_NS_INNER") == "1":
        inner()
    else:
        outer()
