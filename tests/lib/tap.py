"""tap.py - a tiny TAP producer for the Python tests, so automake counts every case.

Usage:
    t = Tap()
    t.ok(cond, "what a user would check", detail="shown when it fails")
    t.eq(got, want, "name")
    t.done()          # prints the plan; exit status 1 if anything failed
A test that raises is reported as a failed case (never as a pass) and the run goes on.
"""
import signal
import sys
import traceback

# A test run started in the background by a non-interactive shell inherits SIGINT and SIGQUIT
# ignored, and so would every program the tests start: the cases that type Ctrl-C or Ctrl-\
# would then test the launcher, not opsdeck. The programs under test start as from a terminal.
signal.signal(signal.SIGINT, signal.default_int_handler)
signal.signal(signal.SIGQUIT, signal.SIG_DFL)


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0
        sys.stdout.reconfigure(line_buffering=True)

    def ok(self, cond, name, detail=None):
        self.n += 1
        name = name.replace("#", "\\#").replace("\n", " ")
        if cond:
            print(f"ok {self.n} - {name}")
        else:
            self.failed += 1
            print(f"not ok {self.n} - {name}")
            if detail is not None:
                for line in str(detail).splitlines()[:60]:
                    print(f"#   {line}")
        return bool(cond)

    def eq(self, got, want, name):
        return self.ok(got == want, name, detail=f"got:  {got!r}\nwant: {want!r}")

    def run(self, name, fn, *args, **kwargs):
        """Runs fn; an exception is one failed case named after it."""
        try:
            return fn(*args, **kwargs)
        except Exception:  # noqa: BLE001 - any failure must be counted, not crash the plan
            self.ok(False, f"{name} raised", detail=traceback.format_exc())
            return None

    def diag(self, msg):
        for line in str(msg).splitlines():
            print(f"# {line}")

    def bail(self, msg):
        print(f"Bail out! {msg}")
        sys.exit(1)

    def done(self):
        print(f"1..{self.n}")
        sys.exit(1 if self.failed else 0)
