"""test_counting.py - the count `./setup.sh test` ends with is honest.

The closing `N passed, N failed` line is made by tests/summary.sh from the results of each
configuration's make run, which setup.sh's run_counted starts (doc/testing.md, "How the
count is made"). Here both run on small fixture trees of .trs files, declared lists and
make output, and each way a run could look green while tests did not run must turn the
count red: a failed case, a declared program with no result, a result from an earlier run,
a program with no case, a make run that failed with every case passed, a distcheck output
that disagrees with automake's own total, a skip counted as a pass, a fuzz step that found no
target. run_counted is read out of setup.sh by name and run on a fixture Makefile.
"""
import os
import pathlib
import re
import subprocess
import tempfile
import time

from tap import Tap

SRC = pathlib.Path(os.environ["TOP_SRCDIR"])
SUMMARY = SRC / "tests" / "summary.sh"
SETUP = SRC / "setup.sh"
t = Tap()

# The fixtures run their own make: nothing of the make running this test (its TESTS=...,
# its jobserver) may reach them.
ENV = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
ENV["LC_ALL"] = "C"


def trs(path, words):
    """A .trs as automake's TAP driver writes it: one :test-result: line per case."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f":test-result: {w}\n" for w in words]
    glob = "FAIL" if any(w not in ("PASS", "XFAIL", "SKIP") for w in words) else "PASS"
    path.write_text("".join(lines) + f":global-test-result: {glob}\n:recheck: no\n"
                    ":copy-in-global-log: no\n")


def tree(root, programs):
    """A build tree: programs maps a name to its case results, or None for no .trs at all.
    Returns the declared list's path."""
    root.mkdir(parents=True, exist_ok=True)
    decl = root / "tests.declared"
    with open(decl, "w") as f:
        for name, words in programs.items():
            f.write(f"{name} {name}.trs\n")
            if words is not None:
                trs(root / f"{name}.trs", words)
    return decl


def summary(*args, since=None):
    argv = ["bash", str(SUMMARY)] + (["--since", str(since)] if since else []) + \
        [str(a) for a in args]
    p = subprocess.run(argv, env=ENV, capture_output=True, text=True, timeout=60)
    lines = p.stdout.strip().splitlines()
    return p.returncode, (lines[-1] if lines else ""), p.stdout + p.stderr


def stamp_in_past(root, secs=60):
    """A run's start stamp, secs ago: results written since are newer whatever the
    file system's time resolution."""
    s = root / "stamp"
    s.write_text("")
    then = time.time() - secs
    os.utime(s, (then, then))
    return s


def age(path, secs):
    then = time.time() - secs
    os.utime(path, (then, then))


def case_all_pass(tmp):
    d = tmp / "plain"
    decl = tree(d, {"tests/unit/test_a": ["PASS"] * 3, "tests/integ/test_b.py": ["PASS", "XFAIL"]})
    rc, last, out = summary("plain", 0, d, decl, since=stamp_in_past(tmp))
    t.eq(last, "5 passed, 0 failed", "all pass: the last line counts every case (XFAIL a pass)")
    t.ok(rc == 0, "all pass: exit 0", out)
    t.ok("plain 5 passed, 0 failed (2 of 2 programs ran)" in out,
         "all pass: the configuration's line says 2 of 2 programs ran", out)


def case_one_failing(tmp):
    d = tmp / "plain"
    decl = tree(d, {"tests/unit/test_a": ["PASS", "FAIL", "PASS"], "tests/unit/test_b": ["PASS"]})
    # make check exits 1 when a case fails; that status is not a second failure
    rc, last, out = summary("plain", 1, d, decl)
    t.eq(last, "3 passed, 1 failed", "one failing case: counted as one failure")
    t.ok(rc == 1, "one failing case: exit 1", out)
    t.ok("plain: tests/unit/test_a: 1 failed" in out, "one failing case: its program is named", out)
    # two, in two programs: each case is counted, not one per failed make run
    decl = tree(d, {"tests/unit/test_a": ["PASS", "FAIL"], "tests/unit/test_b": ["ERROR", "XPASS"]})
    rc, last, out = summary("plain", 1, d, decl)
    t.eq(last, "1 passed, 3 failed", "FAIL, ERROR and XPASS are each one failed case")


def case_no_trs(tmp):
    d = tmp / "plain"
    decl = tree(d, {"tests/unit/test_a": ["PASS", "PASS"], "tests/unit/test_gone": None})
    rc, last, out = summary("plain", 0, d, decl)
    t.eq(last, "2 passed, 1 failed", "a declared program with no .trs is one failed case")
    t.ok(rc == 1, "a declared program with no .trs: exit 1", out)
    t.ok(re.search(r"no result from tests/unit/test_gone \(no .*test_gone\.trs\)", out),
         "a declared program with no .trs is named", out)
    t.ok("(1 of 2 programs ran)" in out, "... and the line says 1 of 2 programs ran", out)


def case_stale_trs(tmp):
    d = tmp / "asan"
    decl = tree(d, {"tests/unit/test_new": ["PASS"], "tests/unit/test_old": ["PASS"] * 4})
    stamp = stamp_in_past(tmp, 60)
    age(d / "tests/unit/test_old.trs", 3600)     # the last good run's result
    rc, last, out = summary("asan", 0, d, decl, since=stamp)
    t.eq(last, "1 passed, 1 failed",
         "a .trs older than the --since stamp: its passes are not counted, it is one failure")
    t.ok(rc == 1, "a .trs older than the stamp: exit 1", out)
    t.ok("no result from tests/unit/test_old in this run" in out,
         "a .trs older than the stamp is named as from an earlier run", out)
    # the same tree without a stamp counts whatever is there: the stamp is what caught it
    rc, last, out = summary("asan", 0, d, decl)
    t.eq((rc, last), (0, "5 passed, 0 failed"),
         "without --since the old .trs is counted (what the stamp is for)")


def case_no_case(tmp):
    d = tmp / "plain"
    decl = tree(d, {"tests/unit/test_a": ["PASS"], "tests/integ/test_empty.py": []})
    rc, last, out = summary("plain", 0, d, decl)
    t.eq(last, "1 passed, 1 failed", "a program whose .trs holds no case is one failed case")
    t.ok(rc == 1, "a program with no case: exit 1", out)
    t.ok("no result from tests/integ/test_empty.py (it reported no test case)" in out,
         "a program with no case is named", out)


def case_make_failed(tmp):
    d = tmp / "plain"
    decl = tree(d, {"tests/unit/test_a": ["PASS", "PASS"]})
    rc, last, out = summary("plain", 2, d, decl)
    t.eq(last, "2 passed, 1 failed", "make failing while every case passed: one failure")
    t.ok(rc == 1, "make failing while every case passed: exit 1", out)
    t.ok("its make run exited with status 2 though no test case failed" in out,
         "make failing is named with its status", out)


def distcheck_output(path, lines, total):
    body = ["make[2]: Entering directory '/tmp/opsdeck-0.1.0/_build/sub'"] + lines + [
        "=" * 40, f"Testsuite summary for opsdeck 0.1.0", "=" * 40, f"# TOTAL: {total}",
        f"# PASS:  {total}", ""]
    path.write_text("\n".join(body))


def case_distcheck_total(tmp):
    decl = tmp / "tests.distcheck.declared"
    decl.write_text("tests/unit/test_a tests/unit/test_a.trs\n"
                    "tests/integ/test_docs.py tests/integ/test_docs.trs\n")
    lines = ["PASS: tests/unit/test_a 1 - one", "PASS: tests/unit/test_a 2 - two",
             "PASS: tests/integ/test_docs.py 1 - man page", "PASS: tests/integ/test_docs.py 2 - keys"]
    out_file = tmp / "distcheck.out"
    distcheck_output(out_file, lines, 4)
    rc, last, out = summary("distcheck", 0, out_file, decl)
    t.eq((rc, last), (0, "4 passed, 0 failed"),
         "distcheck: the cases read from its output, agreeing with automake's # TOTAL")
    # one line lost (two tests writing at once): automake counted 5
    distcheck_output(out_file, lines, 5)
    rc, last, out = summary("distcheck", 0, out_file, decl)
    t.ok(rc == 1 and last.endswith(" 1 failed"),
         "distcheck: a count that differs from automake's # TOTAL fails", out)
    t.ok("4 cases read from" in out and "automake says 5" in out,
         "distcheck: the mismatch is named with both numbers", out)
    # a program given to distcheck with no line in its output
    distcheck_output(out_file, lines[:2], 2)
    rc, last, out = summary("distcheck", 0, out_file, decl)
    t.ok(rc == 1 and "no result from tests/integ/test_docs.py" in out,
         "distcheck: a program with no line in the output is a failure", out)


def case_skip(tmp):
    d = tmp / "plain"
    decl = tree(d, {"tests/unit/test_a": ["PASS", "SKIP", "PASS"]})
    rc, last, out = summary("plain", 0, d, decl)
    t.eq(last, "2 passed, 0 failed", "a SKIP is not counted as a pass")
    t.ok("1 cases skipped" in out, "a SKIP is named in the configuration's line", out)
    # nothing but skips: no case ran, so the run is not green
    decl = tree(d, {"tests/unit/test_a": ["SKIP", "SKIP"]})
    rc, last, out = summary("plain", 0, d, decl)
    t.eq((rc, last), (1, "0 passed, 0 failed"), "a run of nothing but skips exits 1")


def case_configurations(tmp):
    a, b = tmp / "plain", tmp / "asan"
    da = tree(a, {"tests/unit/test_a": ["PASS"] * 3})
    db = tree(b, {"tests/unit/test_a": ["PASS", "FAIL", "PASS"]})
    rc, last, out = summary("plain", 0, a, da, "asan", 1, b, db)
    t.eq(last, "5 passed, 1 failed", "two configurations: the last line is their sum")
    t.ok("by configuration: plain 3 passed, 0 failed (1 of 1 programs ran); "
         "asan 2 passed, 1 failed (1 of 1 programs ran)" in out,
         "two configurations: the line before gives each one's own count", out)
    t.ok(rc == 1, "a failure in one configuration fails the run", out)


# run_counted, read out of setup.sh by name with the helpers it calls, on a fixture Makefile
# whose `check` writes .trs files as automake's harness would, or fails before any test ran.
FIXTURE_MAKEFILE = """\
print-tests:
\t@echo "t/a t/a.trs"; echo "t/b t/b.trs"
check:
\t@mkdir -p t
\t@if [ "$(MODE)" = broken ]; then echo "t/b.c:1:2: error: #error on purpose"; exit 2; fi
\t@printf ':test-result: PASS\\n:test-result: PASS\\n' >t/a.trs
\t@printf ':test-result: PASS\\n' >t/b.trs
\t@if [ "$(MODE)" = late ]; then echo "*** a later step failed"; exit 2; fi
"""


def run_counted(d, stamp, mode):
    script = f"""
set -u
top={SRC}
check_jobs=1
counted=()
eval "$(sed -n -e '/^say() {{/p' -e '/^run_counted() {{/,/^}}/p' -e '/^report_make() {{/,/^}}/p' \\
    "{SETUP}")"
declare -F run_counted report_make say >/dev/null || {{ echo "not found in setup.sh"; exit 3; }}
run_counted fixture "{d}" check MODE={mode}
bash "{SUMMARY}" --since "{stamp}" "${{counted[@]}}"
"""
    p = subprocess.run(["bash", "-c", script], env=ENV, capture_output=True, text=True,
                       timeout=60)
    lines = p.stdout.strip().splitlines()
    return p.returncode, (lines[-1] if lines else ""), p.stdout + p.stderr


def case_run_counted(tmp):
    d = tmp / "build"
    d.mkdir()
    (d / "Makefile").write_text(FIXTURE_MAKEFILE)
    stamp = stamp_in_past(tmp)
    rc, last, out = run_counted(d, stamp, "good")
    t.eq((rc, last), (0, "3 passed, 0 failed"),
         "run_counted: a make check that wrote every result is counted (3 cases)")
    t.eq((d / "tests.declared").read_text(), "t/a t/a.trs\nt/b t/b.trs\n",
         "run_counted: the declared list comes from make print-tests")

    # the last good run's results are still there, dated after the stamp, and this time
    # the build of a test fails before any test runs
    rc, last, out = run_counted(d, stamp, "broken")
    t.ok(not (d / "t/a.trs").exists() and not (d / "t/b.trs").exists(),
         "run_counted: the old .trs files are deleted before make runs", out)
    t.ok(rc == 1 and last == "0 passed, 2 failed" and "(0 of 2 programs ran)" in out,
         "run_counted: a test that did not build leaves no result: each program counts as a "
         "failure, none of the old passes is counted", out)
    t.ok("error: #error on purpose" in out,
         "run_counted: make's error line is shown when no case failed", out)

    rc, last, out = run_counted(d, stamp, "late")
    t.ok(rc == 1 and last == "3 passed, 1 failed" and "exited with status 2" in out,
         "run_counted: make's exit status reaches the count (failed after every case passed)",
         out)


# The fuzz step (run_counted fuzz build-fuzz fuzz-smoke): tests/fuzz/smoke.sh on a fixture
# source tree of two targets (one with a saved crash input) and a fixture build tree whose
# config.status says how it was configured and whose targets print what libFuzzer prints.
SMOKE = SRC / "tests" / "fuzz" / "smoke.sh"
FAKE_TARGET = """#!/bin/sh
echo "cov: 12 ft: 20 corp: 3/30b exec/s: 0 rss: 30Mb"
echo "stat::number_of_executed_units: 7"
"""


def smoke(tmp, configure_args, built):
    top, build = tmp / "src", tmp / "build"
    (top / "tests/fuzz/regress/fuzz_b").mkdir(parents=True)
    for name in ("fuzz_a", "fuzz_b"):
        (top / f"tests/fuzz/{name}.c").write_text("/* a target */\n")
    (top / "tests/fuzz/regress/fuzz_b/crash-1").write_text("x")
    (build / "tests/fuzz").mkdir(parents=True)
    if configure_args is not None:
        cs = build / "config.status"
        cs.write_text(f"#!/bin/sh\n[ \"$1\" = --config ] && echo \"{configure_args}\"\n")
        cs.chmod(0o755)
    for name in built:
        b = build / f"tests/fuzz/{name}"
        b.write_text(FAKE_TARGET)
        b.chmod(0o755)
    env = dict(ENV, TOP_SRCDIR=str(top), TOP_BUILDDIR=str(build), FUZZ_SECONDS="1")
    p = subprocess.run(["sh", str(SMOKE)], env=env, capture_output=True, text=True,
                       timeout=60)
    return p.returncode, p.stdout, p.stdout + p.stderr


def case_fuzz_none_built(tmp):
    rc, tap, out = smoke(tmp, "--enable-werror --enable-fuzzing", [])
    t.ok(rc != 0 and "SKIP" not in tap,
         "fuzz step: configured with --enable-fuzzing and no target built fails, no skip", out)
    t.ok(tap.startswith("1..3\n") and "not ok 1 - fuzz_a: not built" in tap and
         "not ok 2 - fuzz_b: not built" in tap and
         "not ok 3 - fuzz_b: saved crash input crash-1 not replayed" in tap,
         "fuzz step: each missing target and its saved crash input is a failed case", out)


def case_fuzz_one_missing(tmp):
    rc, tap, out = smoke(tmp, "'--enable-fuzzing=throughput' 'CC=clang'", ["fuzz_a"])
    t.ok(rc != 0 and "ok 1 - fuzz_a: 7 inputs" in tap and "not ok 2 - fuzz_b: not built" in tap,
         "fuzz step: one target of two not built fails, by name; the other runs", out)


def case_fuzz_all_built(tmp):
    rc, tap, out = smoke(tmp, "'--enable-fuzzing'", ["fuzz_a", "fuzz_b"])
    t.ok(rc == 0 and tap.startswith("1..3\n") and "not ok" not in tap and
         "ok 3 - fuzz_b: saved crash input crash-1 runs clean" in tap,
         "fuzz step: every target built: each runs, and the saved crash input is replayed", out)


def case_fuzz_not_configured(tmp):
    rc, tap, out = smoke(tmp, "--enable-werror '--enable-fuzzing=no'", [])
    t.ok(rc == 0 and tap.startswith("1..0 # SKIP"),
         "fuzz step: a tree configured without fuzzing skips (make check TESTS=...smoke.sh)", out)


CASES = [case_all_pass, case_one_failing, case_no_trs, case_stale_trs, case_no_case,
         case_make_failed, case_distcheck_total, case_skip, case_configurations,
         case_run_counted, case_fuzz_none_built, case_fuzz_one_missing, case_fuzz_all_built,
         case_fuzz_not_configured]


def main():
    for case in CASES:
        with tempfile.TemporaryDirectory(prefix="opsdeck-count-") as tmp:
            t.run(case.__name__, case, pathlib.Path(tmp))


main()
t.done()
