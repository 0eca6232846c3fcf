#!/usr/bin/env bash
# summary.sh BUILDDIR|LOGFILE... - count every test case that ran and print the total as the
# last line. A directory is read from automake's .trs files (one :test-result: line per TAP
# case); a file is the console output of a make run whose build tree is gone (distcheck), read
# from its PASS:/FAIL:/... lines. A make run that failed outside the tests counts as failed.
#   N passed, N failed[, N skipped]
# Exits 1 when anything failed or errored, or when no test ran at all.
set -u
pass=0 fail=0 skip=0
count() {
    case "$1" in
    PASS|XFAIL) pass=$((pass + 1)) ;;
    SKIP) skip=$((skip + 1)) ;;
    *) fail=$((fail + 1)) ;;
    esac
}
for dir in "$@"; do
    if [ -f "$dir" ]; then
        while IFS= read -r r; do count "$r"; done \
            < <(sed -n -E 's/^(PASS|XFAIL|SKIP|FAIL|XPASS|ERROR): .*/\1/p' "$dir")
        # distcheck's last word: it says the archives are ready only when all of it passed
        grep -q 'archives ready for distribution' "$dir" || fail=$((fail + 1))
        continue
    fi
    # (a distcheck tree left behind by a failure is counted from its output file instead)
    while IFS= read -r r; do count "$r"; done \
        < <(find "$dir" -name '*.trs' ! -path '*/opsdeck-[0-9]*' \
                 -exec sed -n 's/^:test-result: *//p' {} + 2>/dev/null)
    # a test whose .log exists but which produced no .trs did not run to the end
    while IFS= read -r log; do
        [ -f "${log%.log}.trs" ] || fail=$((fail + 1))
    done < <(find "$dir" -path '*/tests/*' -name '*.log' ! -name 'test-suite.log' \
                  ! -path '*/opsdeck-[0-9]*' 2>/dev/null)
done
line="$pass passed, $fail failed"
[ "$skip" -gt 0 ] && line="$line, $skip skipped"
echo "$line"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
