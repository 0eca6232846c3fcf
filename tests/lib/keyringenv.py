"""keyringenv.py - run a test script again inside a D-Bus session with a real, unlocked
gnome-keyring, in temporary HOME, XDG_RUNTIME_DIR (and TMPDIR) directories.

    if os.environ.get(INNER) == "1": inner()
    else: rerun_in_keyring_session(__file__, INNER)

The inner run's stdout is the TAP stream; dbus-daemon's own chatter goes to stderr. Missing
tools are a failed case, not a skip: the keyring path would otherwise go untested."""
import os
import shutil
import subprocess
import sys
import tempfile

from tap import Tap


def rerun_in_keyring_session(script, inner_var, tmpdir=False, timeout=600):
    tools = {n: shutil.which(n) for n in ("dbus-run-session", "gnome-keyring-daemon")}
    if not all(tools.values()):
        t = Tap()
        t.ok(False, "dbus-run-session and gnome-keyring-daemon are installed",
             detail=f"{tools} (run ./setup.sh: Debian packages dbus and gnome-keyring)")
        t.done()
    dirs = {"HOME": tempfile.mkdtemp(prefix="opsdeck-kr-home-"),
            "XDG_RUNTIME_DIR": tempfile.mkdtemp(prefix="opsdeck-kr-run-")}
    if tmpdir:
        dirs["TMPDIR"] = tempfile.mkdtemp(prefix="opsdeck-kr-tmp-")
    env = dict(os.environ, **dirs, XDG_DATA_HOME=os.path.join(dirs["HOME"], ".local", "share"))
    env[inner_var] = "1"
    for k in ("DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "OPSDECK_KEYRING"):
        env.pop(k, None)
    shell = ("echo -n pass | gnome-keyring-daemon --unlock --components=secrets "
             ">/dev/null 2>&1; exec \"$0\" \"$1\"")
    try:
        r = subprocess.run(["dbus-run-session", "--", "sh", "-c", shell, sys.executable,
                            os.path.abspath(script)], env=env, stdin=subprocess.DEVNULL,
                           timeout=timeout)
        sys.exit(r.returncode)
    finally:
        for d in dirs.values():
            shutil.rmtree(d, True)
