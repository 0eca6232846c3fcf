#!/usr/bin/env bash
# summary.sh - count every test case that ran in this run, per configuration, and print the
# sum as the last line. doc/testing.md says how the count is made.
#
#   tests/summary.sh [--since STAMP] LABEL STATUS RESULTS DECLARED [LABEL STATUS RESULTS DECLARED]...
#
# One group of four per configuration (plain, asan, distcheck, ...):
#   LABEL     its name in the output
#   STATUS    the exit status of its make run; non-zero is a failure even when every
#             result passed (the build of a test may have failed before any test ran)
#   RESULTS   a build directory, read from the .trs file of each declared test program
#             (one ":test-result:" line per TAP case), or a file holding the console output
#             of a make run whose tree is gone (distcheck), read from its PASS:/FAIL: lines
#             (run with make -Otarget, so that each test's lines are not interleaved with
#             another's), checked against automake's "# TOTAL:" line
#   DECLARED  the test programs the run must have results from: a file of "NAME RESULT"
#             lines, or a build directory, asked with `make -s -C DIR print-tests`
# A declared program with no result (no .trs, a .trs older than STAMP, a .trs with no case,
# no line in the output) is named and counted as one failed case. With --since, only
# results written after STAMP's modification time are counted.
#
# Output: a line per problem, then one line with each configuration's own count, then the
# sum alone as the last line:
#   N passed, N failed
# Skipped cases are not passes: they are named in the per-configuration line and left out of
# both numbers. Exits 1 when anything failed, when a program gave no result, or when no case
# ran at all.
set -u
export LC_ALL=C

usage() {
    echo "usage: tests/summary.sh [--since STAMP] LABEL STATUS RESULTS DECLARED..." >&2
    exit 2
}

since=
if [ "${1:-}" = --since ]; then
    [ $# -ge 2 ] || usage
    since=$2
    shift 2
fi
[ $# -gt 0 ] && [ $(($# % 4)) -eq 0 ] || usage

total_pass=0 total_fail=0
per_config=()

# problem TEXT: one failure of the configuration being counted, named on its own line
problem() {
    echo "$label: $*"
    fail=$((fail + 1))
}

# declared_list DECLARED: "NAME RESULT" lines (anything else print-tests' make prints, such
# as a Makefile being regenerated, is dropped)
declared_list() {
    if [ -d "$1" ]; then
        make -s -C "$1" print-tests 2>/dev/null
    else
        cat "$1" 2>/dev/null
    fi | awk 'NF == 2 && $2 ~ /\.trs$/'
}

# results_of_trs FILE: the result words of one .trs, one per line
results_of_trs() {
    sed -n 's/^:test-result: *\([A-Z]*\).*/\1/p' "$1"
}

# results_of_output FILE NAME: the result words of program NAME in a make run's output
results_of_output() {
    awk -v name="$2" '$1 ~ /^(PASS|XFAIL|SKIP|FAIL|XPASS|ERROR):$/ && $2 == name {
        sub(/:$/, "", $1); print $1 }' "$1"
}

while [ $# -gt 0 ]; do
    label=$1 status=$2 results=$3 declared=$4
    shift 4
    pass=0 fail=0 skip=0 nprog=0 nran=0 nread=0

    mapfile -t decl < <(declared_list "$declared")
    if [ ${#decl[@]} -eq 0 ]; then
        problem "cannot tell which test programs it declares (from $declared)"
    fi
    if [ ! -e "$results" ]; then
        problem "no results at all ($results does not exist)"
        decl=()
    elif [ -f "$results" ] && [ -n "$since" ] && [ ! "$results" -nt "$since" ]; then
        problem "no results from this run ($results is from an earlier run)"
        decl=()
    fi
    for line in "${decl[@]}"; do
        name=${line%% *} trs=${line#* }
        nprog=$((nprog + 1))
        if [ -d "$results" ]; then
            file=$results/$trs
            if [ ! -f "$file" ]; then
                problem "no result from $name (no $file)"
                continue
            fi
            if [ -n "$since" ] && [ ! "$file" -nt "$since" ]; then
                problem "no result from $name in this run ($file is from an earlier run)"
                continue
            fi
            mapfile -t words < <(results_of_trs "$file")
        else
            mapfile -t words < <(results_of_output "$results" "$name")
        fi
        if [ ${#words[@]} -eq 0 ]; then
            problem "no result from $name (it reported no test case)"
            continue
        fi
        nran=$((nran + 1))
        nread=$((nread + ${#words[@]}))
        bad=0
        for w in "${words[@]}"; do
            case $w in
            PASS|XFAIL) pass=$((pass + 1)) ;;
            SKIP) skip=$((skip + 1)) ;;
            *) fail=$((fail + 1)) bad=$((bad + 1)) ;;
            esac
        done
        [ "$bad" -eq 0 ] || echo "$label: $name: $bad failed"
    done
    # automake's own total at the end of a make run's output: a line lost or garbled in the
    # output (two tests writing at once) would make the count differ from it
    if [ -f "$results" ]; then
        total=$(sed -n 's/^# TOTAL: *\([0-9]*\)$/\1/p' "$results" | tail -1)
        if [ -n "$total" ] && [ "$total" -ne "$nread" ]; then
            problem "$nread cases read from $results, automake says $total"
        fi
    fi
    if [ "$status" != 0 ] && [ "$fail" -eq 0 ]; then
        problem "its make run exited with status $status though no test case failed"
    fi
    entry="$label $pass passed, $fail failed ($nran of $nprog programs ran"
    [ "$skip" -gt 0 ] && entry="$entry, $skip cases skipped"
    per_config+=("$entry)")
    total_pass=$((total_pass + pass))
    total_fail=$((total_fail + fail))
done

joined=$(printf '%s; ' "${per_config[@]}")
echo "by configuration: ${joined%; }"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ] && [ "$total_pass" -gt 0 ]
