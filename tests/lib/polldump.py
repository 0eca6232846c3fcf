"""polldump.py - tests/tools/poll_dump (the console's poller on the real loop, its store
printed as JSON lines) as a child process driven over a pipe.

    pd = PollDump(env)            # --interval 3600: only `refresh` starts a cycle
    pd.cmd("view dlq"); pd.run(1) # one queue-list cycle and what hangs on it
    rows, info = pd.dump()        # rows[kind][key] = {"fields", "stale", "error", "history"}
    rc, stderr = pd.close()       # quit, or killed by its PID if it does not
"""
import json
import os
import subprocess

POLL_DUMP = os.path.join(os.environ.get("TOP_BUILDDIR", "."), "tests", "tools", "poll_dump")


class PollDump:
    """poll_dump as a child driven over a pipe; killed by its PID if still running."""

    def __init__(self, env, args=()):
        env = dict(env, OPSDECK_MAX_ATTEMPTS="1", OPSDECK_CONNECT_TIMEOUT_MS="3000")
        # an hour between polls: only `refresh` starts a cycle, so `run 1` is one cycle
        self.p = subprocess.Popen([POLL_DUMP, "--interval", "3600", *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, env=env, text=True)

    def cmd(self, line):
        self.p.stdin.write(line + "\n")
        self.p.stdin.flush()
        return self.p.stdout.readline().rstrip("\n")

    def run(self, n=1):
        return self.cmd(f"run {n}")

    def dump(self):
        self.p.stdin.write("dump\n")
        self.p.stdin.flush()
        rows, info = {}, {}
        for line in self.p.stdout:
            if line.strip() == "END":
                break
            o = json.loads(line)
            if "kind_info" in o:
                info[o["kind_info"]] = o
            else:
                rows.setdefault(o["kind"], {})[o["key"]] = o
        return rows, info

    def close(self):
        if self.p.poll() is None:
            try:
                self.p.stdin.write("quit\n")
                self.p.stdin.flush()
                self.p.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                self.p.kill()
                self.p.wait()
        err = self.p.stderr.read()
        return self.p.returncode, err
