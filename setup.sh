#!/usr/bin/env bash
# setup.sh - install what opsdeck needs on Debian 12, bootstrap, build, then:
#   ./setup.sh          install dependencies and build
#   ./setup.sh demo     ... and run opsdeck against a local moto seeded with demo data
#   ./setup.sh test     ... and run every test: plain build, AddressSanitizer+UBSan build,
#                       make distcheck (the release tarball builds and passes on its own), and
#                       a few seconds of each libFuzzer target (build-fuzz, make fuzz-smoke)
# Idempotent: packages already installed are not touched; the build is incremental.
set -euo pipefail
cd "$(dirname "$0")"
top=$PWD

pkgs=(build-essential autoconf automake autoconf-archive libtool pkg-config
      libncurses-dev libcurl4-openssl-dev libcjson-dev libxml2-dev libssl-dev libinih-dev
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

build() { # build DIR [configure args...]
    local dir=$1; shift
    mkdir -p "$dir"
    if [ ! -f "$dir/Makefile" ]; then
        say "configure $dir $*"
        (cd "$dir" && "$top/configure" --enable-werror "$@" >/dev/null)
    fi
    say "make -C $dir"
    make -C "$dir" -j"$(nproc)" >/dev/null
}

run_tests() { # run_tests DIR : runs make check there, never stops on failure
    local dir=$1
    say "make check in $dir"
    make -C "$dir" -j"$(nproc)" check >"$dir/check.out" 2>&1 || true
    grep -E '^(PASS|FAIL|ERROR|XPASS|SKIP):' "$dir/check.out" | grep -v '^PASS' || true
}

cmd=${1:-build}
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
    build build
    build build-asan --enable-asan
    rc=0
    run_tests build
    run_tests build-asan
    # the fuzz targets, a few seconds each on their seeds and saved crash inputs (TAP cases
    # in build-fuzz, counted below); clang's warnings are not gcc's, so no -Werror here
    say "make fuzz-smoke in build-fuzz"
    mkdir -p build-fuzz
    [ -f build-fuzz/Makefile ] || (cd build-fuzz && "$top/configure" --enable-fuzzing >/dev/null)
    make -C build-fuzz -j"$(nproc)" fuzz-smoke >build-fuzz/fuzz-smoke.out 2>&1 || true
    grep -E '^(FAIL|ERROR):' build-fuzz/fuzz-smoke.out || true
    say "make distcheck"
    make -C build distcheck >build/distcheck.out 2>&1 || {
        say "make distcheck failed; the end of its output:"
        tail -40 build/distcheck.out >&2
    }
    grep -E '^(FAIL|ERROR|XPASS):' build/distcheck.out || true
    bash tests/summary.sh build build-asan build-fuzz build/distcheck.out || rc=1
    exit $rc
    ;;
*)
    echo "usage: ./setup.sh [build|demo|test]" >&2
    exit 2
    ;;
esac
