#!/usr/bin/env bash
# setup.sh - install what opsdeck needs on Debian 12, bootstrap, build, then:
#   ./setup.sh          install dependencies and build
#   ./setup.sh demo     ... and run opsdeck against a local moto seeded with demo data
#   ./setup.sh test     ... and run every test: plain build, AddressSanitizer+UBSan build,
#                       make distcheck (the release tarball holds every tracked file, builds,
#                       passes its unit tests and installs on its own), and
#                       a few seconds of each libFuzzer target (build-fuzz, make fuzz-smoke);
#                       the last line is the count of this run's cases: N passed, N failed
#                       (doc/testing.md says how it is made)
# Idempotent: packages already installed are not touched; the build is incremental.
set -euo pipefail
cd "$(dirname "$0")"
top=$PWD

pkgs=(build-essential autoconf automake autoconf-archive libtool pkg-config
      libncurses-dev libcurl4-openssl-dev libcjson-dev libxml2-dev libssl-dev libinih-dev zlib1g-dev
      libsecret-1-dev check tmux dbus gnome-keyring python3 nodejs npm
      clang libclang-rt-14-dev)   # clang + libFuzzer: the fuzz build (tests/fuzz)

say() { printf '==> %s\n' "$*" >&2; }

install_deps() {
    local missing=()
    for p in "${pkgs[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    # node/npm may come from elsewhere than Debian (nodesource); a working npm is enough.
    if command -v npm >/dev/null 2>&1; then
        local keep=()
        for p in "${missing[@]}"; do [[ $p == nodejs || $p == npm ]] || keep+=("$p"); done
        missing=("${keep[@]}")
    fi
    [ ${#missing[@]} -eq 0 ] && return 0
    say "installing Debian packages: ${missing[*]}"
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

check_python() {
    python3 -c 'import moto, boto3, botocore' 2>/dev/null && return 0
    say "python3 with moto, boto3 and botocore is needed for the tests and the demo"
    say "(they come with this kind of machine; on another: pip install 'moto[server]' boto3)"
    return 1
}

bootstrap() {
    [ -x configure ] && [ configure -nt configure.ac ] && [ Makefile.in -nt Makefile.am ] || {
        say "autoreconf"
        autoreconf -fi >/dev/null
    }
}

build() { # build DIR [configure args...]; returns make's (or configure's) status
    local dir=$1; shift
    mkdir -p "$dir" || return
    if [ ! -f "$dir/Makefile" ]; then
        say "configure $dir $*"
        (cd "$dir" && "$top/configure" --enable-werror "$@" >/dev/null) || return
    fi
    say "make -C $dir"
    make -C "$dir" -j"$(nproc)" >/dev/null
}

# ---- ./setup.sh test: every configuration's results, counted by tests/summary.sh ----------
counted=()   # four arguments per configuration for tests/summary.sh
# Tests at twice the cores: most of a test's time is spent waiting (for an emulator to start,
# a screen in tmux to settle, a poll interval), not computing; none asserts a duration.
check_jobs=$(($(nproc) * 2))
stamp=       # a file made when the run started: only results newer than it are counted
finished=

# run_counted LABEL DIR TARGET [make args...]: `make TARGET` in DIR, whose results are the .trs
# files of the test programs `make print-tests` declares there (with the same make args).
# The declared programs' old results are deleted first, so none can be counted twice. Never
# stops the run: a failure, even one before any test ran, is counted by tests/summary.sh.
# tests/integ/test_counting.py reads say, run_counted and report_make out of this file by
# name and runs them on a fixture Makefile: keep each a top-level function ending in a lone }.
run_counted() {
    local label=$1 dir=$2 target=$3 rc=0 trs
    shift 3
    mkdir -p "$dir"
    # (only "NAME RESULT" lines: a Makefile being regenerated prints its commands too)
    make -s -C "$dir" print-tests "$@" 2>/dev/null | awk 'NF == 2 && $2 ~ /\.trs$/' \
        >"$dir/tests.declared" || true
    while read -r _ trs; do
        rm -f "$dir/$trs" "$dir/${trs%.trs}.log"
    done <"$dir/tests.declared"
    rm -f "$dir/test-suite.log"
    say "make $target in $dir ($label)"
    make -C "$dir" -j"$check_jobs" -Otarget "$target" "$@" >"$dir/$target.out" 2>&1 || rc=$?
    report_make "$label" "$dir/$target.out" "$rc"
    counted+=("$label" "$rc" "$dir" "$dir/tests.declared")
}

# report_make LABEL OUTPUT STATUS: on stderr, the failed cases, or, when make failed with
# none (a test that did not build), its error lines (or the end of its output)
report_make() {
    grep -E '^(FAIL|ERROR|XPASS|SKIP):' "$2" >&2 && return 0
    [ "$3" -eq 0 ] && return 0
    say "$1: make exited with status $3; from $2:"
    grep -E -m 20 '(error|Error)[: ]|\*\*\*' "$2" >&2 || tail -25 "$2" >&2 || true
}

on_test_exit() {
    local rc=$?
    [ -n "$stamp" ] && rm -f "$stamp"
    if [ -z "$finished" ]; then
        # CI reads the last line: a run cut short must not end without a count
        say "the test run stopped before counting (status $rc)"
        echo "0 passed, 1 failed"
        exit 1
    fi
}

cmd=${1:-build}
[ "$cmd" = test ] && trap on_test_exit EXIT
install_deps
bootstrap
case "$cmd" in
build)
    build build
    say "built build/opsdeck"
    ;;
demo)
    check_python
    build build
    exec python3 tests/lib/demo.py "$top/build/opsdeck" "${@:2}"
    ;;
test)
    check_python
    stamp=$(mktemp)
    # A configuration that does not build is still counted: its programs have no result.
    build build || true
    run_counted plain build check
    build build-asan --enable-asan || true
    run_counted asan build-asan check
    # the fuzz targets, a few seconds each on their seeds and saved crash inputs (TAP cases
    # of tests/fuzz/smoke.sh); clang's warnings are not gcc's, so no -Werror here
    mkdir -p build-fuzz
    [ -f build-fuzz/Makefile ] ||
        (cd build-fuzz && "$top/configure" --enable-fuzzing >/dev/null) || true
    run_counted fuzz build-fuzz fuzz-smoke TESTS=tests/fuzz/smoke.sh
    # distcheck proves the release tarball is whole and builds, tests, installs on its own:
    # there it runs the unit tests, the documentation checks and test_dist_files.sh (every
    # file git tracks is in the tarball), not the integration suites a third time (they ran
    # above, from the checkout, whose every file the tarball is shown to hold). Its tree is
    # deleted when it passes: its cases are read from its output, against the programs it
    # was given. -Otarget keeps each test's lines together.
    dtests="$(awk '$1 ~ /^tests\/unit\// {print $1}' build/tests.declared)
        tests/integ/test_docs.py tests/dist/test_dist_files.sh"
    dtests=$(echo $dtests)
    make -s -C build print-tests TESTS="$dtests" 2>/dev/null |
        awk 'NF == 2 && $2 ~ /\.trs$/' >build/tests.distcheck.declared || true
    say "make distcheck"
    rc=0
    make -C build -j"$check_jobs" -Otarget distcheck TESTS="$dtests" >build/distcheck.out 2>&1 ||
        rc=$?
    report_make distcheck build/distcheck.out "$rc"
    counted+=(distcheck "$rc" build/distcheck.out build/tests.distcheck.declared)
    rc=0
    bash tests/summary.sh --since "$stamp" "${counted[@]}" || rc=1
    finished=1
    exit $rc
    ;;
*)
    echo "usage: ./setup.sh [build|demo|test]" >&2
    exit 2
    ;;
esac
