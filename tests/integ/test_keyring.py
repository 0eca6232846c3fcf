"""test_keyring.py - the OS keyring on a real gnome-keyring, and the no-D-Bus path.

The script re-runs itself inside `dbus-run-session` with a gnome-keyring-daemon unlocked in
a temporary HOME (the way DESIGN.md describes), so the keyring under test is never the one
of whoever runs the tests. Inside:
  - opsdeck creds add reads the keys from stdin (the secret is never in any process's argv
    while it waits), creds list masks them, config_dump resolves them through the "keyring"
    provider ahead of the credentials file, creds remove removes them;
  - an assumed-role session with MFA is cached in the keyring: a second opsdeck process,
    without --mfa-code and with no terminal to ask on, uses it and sends no AssumeRole
    (counted at a proxy in front of moto);
  - without D-Bus (DBUS_SESSION_BUS_ADDRESS, DISPLAY and XDG_RUNTIME_DIR unset): one line
    about the keyring on stderr, commands still work with static keys, creds add refuses
    and writes nothing.
Missing dbus-run-session or gnome-keyring-daemon is a failure, not a skip.
"""
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time

from keyringenv import rerun_in_keyring_session
from tap import Tap

TOP_SRCDIR = os.environ.get("TOP_SRCDIR", ".")
TOP_BUILDDIR = os.environ.get("TOP_BUILDDIR", ".")
OPSDECK = os.environ.get("OPSDECK", os.path.join(TOP_BUILDDIR, "opsdeck"))
CONFIG_DUMP = os.path.join(TOP_BUILDDIR, "tests", "tools", "config_dump")
sys.path.insert(0, os.path.join(TOP_SRCDIR, "tests", "bench"))

AKID = "AKIAKEYRINGTEST1ABCD"
SECRET = "kr-Secret/Value+With=Chars0123456789abcd"
FILE_AKID = "AKIAFILEKEYS00000001"
FILE_SECRET = "file-secret-value-xyz"
KEYRING_LINE = "opsdeck: no keyring ("


def outer():
    rerun_in_keyring_session(__file__, "OPSDECK_KR_INNER", timeout=600)


def run(argv, env, stdin_text=None):
    p = subprocess.run(argv, env=env, input=stdin_text, capture_output=True, text=True,
                       timeout=120)
    return p.returncode, p.stdout, p.stderr


def dump(out):
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def all_files(root):
    for d, _, files in os.walk(root):
        for f in files:
            yield os.path.join(d, f)


def test_add_list_resolve_remove(t, env):
    home = env["HOME"]
    write(os.path.join(home, ".aws", "config"), "[profile dev]\nregion = us-east-1\n"
          "[profile other]\nregion = us-east-1\n")
    write(os.path.join(home, ".aws", "credentials"),
          f"[dev]\naws_access_key_id = {FILE_AKID}\naws_secret_access_key = {FILE_SECRET}\n")

    # creds add: the access key id first; while opsdeck waits for the secret, no process
    # on the machine shows it in its argv (it is not even written yet: this shows the
    # command asks for nothing more on its command line), and after, nothing shows it.
    p = subprocess.Popen([OPSDECK, "creds", "add", "dev"], env=env, stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    p.stdin.write(AKID + "\n")
    p.stdin.flush()
    time.sleep(0.2)  # not an assertion: gives it a moment to be waiting on stdin
    with open(f"/proc/{p.pid}/cmdline", "rb") as f:
        cmdline = f.read().split(b"\0")
    t.eq(cmdline[:4], [OPSDECK.encode(), b"creds", b"add", b"dev"],
         "creds add: the command line holds only the command and the profile")
    p.stdin.write(SECRET + "\n")
    p.stdin.flush()
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    out, err = p.communicate(timeout=60)
    t.eq(p.returncode, 0, "creds add dev: exit status 0")
    t.ok("...ABCD" in out and "dev" in out, "creds add says what it stored, masked", out + err)
    t.ok(SECRET not in ps and SECRET not in out + err and AKID not in out + err,
         "creds add: the secret is in no argv (ps), and neither key is printed", out + err)

    rc, out, err = run([OPSDECK, "creds", "list"], env)
    rows = [line.split() for line in out.splitlines()[1:]]
    t.eq((rc, rows), (0, [["dev", "long-term", "...ABCD", "never"]]),
         "creds list: profile, kind, masked key, expiry")
    t.ok(AKID not in out and SECRET not in out, "creds list shows no full key or secret", out)

    rc, out, err = run([CONFIG_DUMP, "--profile", "dev"], env)
    d = dump(out)
    t.eq((d.get("creds.status"), d.get("creds.method"), d.get("creds.access_key_id")),
         ("ok", "keyring", AKID),
         "config_dump --profile dev resolves the keyring keys, ahead of ~/.aws/credentials")
    t.eq(d.get("creds.secret_sha256"), hashlib.sha256(SECRET.encode()).hexdigest(),
         "the secret read back from the keyring is the one given on stdin")
    t.eq(d.get("creds.source"), "profile dev: long-term keys (...ABCD) in the OS keyring",
         "the source names the keyring and the masked key")
    t.ok(KEYRING_LINE not in err, "no 'no keyring' notice when the keyring works", err)

    rc, out, err = run([CONFIG_DUMP, "--profile", "other"], env)
    t.eq(dump(out).get("creds.status"), "error",
         "keys stored for dev are not used for another profile")

    rc, out, err = run([OPSDECK, "creds", "add", "dev", AKID, "x"], env)
    t.ok(rc == 2 and "stdin" in err, "creds add with keys on the command line is refused",
         err)
    rc, out, err = run([OPSDECK, "creds", "add", "bad"], env, stdin_text=AKID + "\n")
    t.ok(rc == 1 and "nothing was stored" in err, "creds add with one line only: refused",
         err)

    rc, out, err = run([OPSDECK, "creds", "remove", "dev"], env)
    t.ok(rc == 0 and "removed" in out, "creds remove dev", out + err)
    rc, out, err = run([OPSDECK, "creds", "list"], env)
    t.ok(rc == 0 and "dev" not in out, "creds list is empty after remove", out)
    rc, out, err = run([CONFIG_DUMP, "--profile", "dev"], env)
    d = dump(out)
    t.eq((d.get("creds.method"), d.get("creds.access_key_id")),
         ("shared-credentials-file", FILE_AKID),
         "after remove, the credentials file provides dev again")
    rc, out, err = run([OPSDECK, "creds", "remove", "dev"], env)
    t.ok(rc == 1 and "nothing is stored" in err, "creds remove of nothing: exit 1, says so",
         err)


def test_session_survives_restart(t, env):
    from awsenv import Moto, aws_env
    from countproxy import CountProxy

    home = env["HOME"]
    write(os.path.join(home, ".aws", "config"),
          "[profile base]\nregion = us-east-1\n"
          "[profile ops]\nregion = us-east-1\nsource_profile = base\n"
          "role_arn = arn:aws:iam::123456789012:role/ops\n"
          "mfa_serial = arn:aws:iam::123456789012:mfa/oncall\n")
    write(os.path.join(home, ".aws", "credentials"),
          f"[base]\naws_access_key_id = {FILE_AKID}\naws_secret_access_key = {FILE_SECRET}\n")
    with Moto() as m, CountProxy(m.endpoint) as proxy:
        e = aws_env(m.endpoint, base=env, home=home)
        for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_CONFIG_FILE",
                  "AWS_SHARED_CREDENTIALS_FILE"):
            e.pop(k, None)
        e["AWS_ENDPOINT_URL_STS"] = proxy.endpoint

        rc, out1, err1 = run([OPSDECK, "--profile", "ops", "--mfa-code", "123456", "whoami"], e)
        n1, by1 = proxy.snapshot()
        t.ok(rc == 0 and by1.get("AssumeRole") == 1,
             "first run: whoami with --mfa-code assumes the role once", f"{by1}\n{out1}{err1}")
        rc, out, err = run([OPSDECK, "creds", "list"], e)
        rows = [line.split() for line in out.splitlines()[1:]]
        t.ok(any(r[:2] == ["ops", "session"] and r[3] != "never" for r in rows),
             "creds list shows the cached session of ops with its expiry", out + err)

        proxy.reset()
        rc, out2, err2 = run([OPSDECK, "--profile", "ops", "whoami"], e)
        n2, by2 = proxy.snapshot()
        t.ok(rc == 0 and by2.get("AssumeRole", 0) == 0,
             "second process, no --mfa-code and no terminal: no AssumeRole, no MFA prompt",
             f"{by2}\n{out2}{err2}")
        rc, out, err = run([CONFIG_DUMP, "--profile", "ops"], e)
        d = dump(out)
        t.ok(d.get("creds.method") == "assume-role" and
             "cached in the OS keyring" in d.get("creds.source", ""),
             "config_dump: the session comes from the keyring cache, method assume-role",
             out + err)
        t.ok(d.get("creds.token_sha256") not in (None, "none"),
             "the cached session keeps its session token", out)

        # a changed role (new role_arn) must not get the old role's session
        cfg = open(os.path.join(home, ".aws", "config"), encoding="utf-8").read()
        write(os.path.join(home, ".aws", "config"), cfg.replace("role/ops", "role/ops2"))
        proxy.reset()
        rc, out, err = run([CONFIG_DUMP, "--profile", "ops"], e)
        d = dump(out)
        t.ok("cached in the OS keyring" not in d.get("creds.source", ""),
             "after role_arn changes, the cached session is not used", out + err)
        run([OPSDECK, "creds", "remove", "ops"], e)


def test_no_dbus(t, base_env):
    from awsenv import Moto, aws_env

    home = tempfile.mkdtemp(prefix="opsdeck-nodbus-")
    try:
        env = dict(base_env, HOME=home)
        for k in ("DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "XDG_RUNTIME_DIR", "WAYLAND_DISPLAY"):
            env.pop(k, None)
        write(os.path.join(home, ".aws", "config"), "[profile dev]\nregion = us-east-1\n")
        write(os.path.join(home, ".aws", "credentials"),
              f"[dev]\naws_access_key_id = {FILE_AKID}\naws_secret_access_key = {FILE_SECRET}\n")
        rc, out, err = run([CONFIG_DUMP, "--profile", "dev"], env)
        d = dump(out)
        lines = [line for line in err.splitlines() if "keyring" in line]
        t.eq((d.get("creds.status"), d.get("creds.method")), ("ok", "shared-credentials-file"),
             "no D-Bus: static keys still resolve")
        t.ok(len(err.splitlines()) == 1 and len(lines) == 1 and
             lines[0].startswith(KEYRING_LINE) and "memory only" in lines[0] and
             "DBUS_SESSION_BUS_ADDRESS" in lines[0],
             "no D-Bus: exactly one line on stderr, saying why and what happens", err)

        with Moto() as m:
            e = aws_env(m.endpoint, base=env, home=home)
            for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_CONFIG_FILE",
                      "AWS_SHARED_CREDENTIALS_FILE"):
                e.pop(k, None)
            rc, out, err = run([OPSDECK, "--profile", "dev", "snapshot", "--json"], e)
            klines = [line for line in err.splitlines() if "keyring" in line]
            t.ok(rc == 0 and len(klines) == 1 and klines[0].startswith(KEYRING_LINE),
                 "no D-Bus: snapshot with static keys works; one keyring line", f"{rc}\n{err}")

        write(os.path.join(home, ".aws", "config"),
              "[profile dev]\nregion = us-east-1\n[profile nokeys]\nregion = us-east-1\n")
        rc, out, err = run([OPSDECK, "--profile", "nokeys", "snapshot"], env)
        t.ok(rc == 1 and len(err.splitlines()) == 1 and
             "OS keyring (none: no D-Bus session" in err and KEYRING_LINE not in err,
             "no D-Bus and no credentials: one error line, which names the keyring's state",
             err)

        before = sorted(all_files(home))
        rc, out, err = run([OPSDECK, "creds", "add", "dev"], env, AKID + "\n" + SECRET + "\n")
        t.ok(rc == 1 and "no keyring" in err and "never writes keys to a file" in err,
             "no D-Bus: creds add refuses with a clear message", err)
        t.eq(sorted(all_files(home)), before, "no D-Bus: creds add wrote no file")
        t.ok(not any(SECRET in open(f, encoding="utf-8", errors="replace").read()
                     for f in all_files(home)), "no D-Bus: the secret is in no file")
        rc, out, err = run([OPSDECK, "creds", "list"], env)
        t.ok(rc == 1 and err.count("\n") == 1 and "no keyring" in err,
             "no D-Bus: creds list says there is no keyring, in one line", err)
    finally:
        shutil.rmtree(home, True)


def inner():
    t = Tap()
    env = dict(os.environ)
    env.pop("OPSDECK_KR_INNER", None)
    for k in list(env):
        if k.startswith("AWS_"):
            del env[k]
    t.ok(bool(env.get("DBUS_SESSION_BUS_ADDRESS")) and shutil.which("gnome-keyring-daemon"),
         "inside a D-Bus session with gnome-keyring-daemon")
    t.run("add/list/resolve/remove", test_add_list_resolve_remove, t, env)
    t.run("session cache across restarts", test_session_survives_restart, t, env)
    t.run("no D-Bus", test_no_dbus, t, env)
    t.done()


if __name__ == "__main__":
    if os.environ.get("OPSDECK_KR_INNER") == "1":
        inner()
    else:
        outer()
