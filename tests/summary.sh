#!/usr/bin/env bash
# summary.sh BUILDDIR... - count every test case that ran (from automake's .trs files, one
# :test-result: line per TAP case) and print the total as the last line:
#   N passed, N failed[, N skipped]
# Exits 1 when anything failed or errored, or when no test ran at all.
set -u
pass=0 fail=0 skip=0
for dir in "$@"; do
    while IFS= read -r r; do
        case "$r" in
        PASS|XFAIL) pass=$((pass + 1)) ;;
        SKIP) skip=$((skip + 1)) ;;
        *) fail=$((fail + 1)) ;;
        esac
    done < <(find "$dir" -name '*.trs' -exec sed -n 's/^:test-result: *//p' {} + 2>/dev/null)
    # a test whose .log exists but which produced no .trs did not run to the end
    while IFS= read -r log; do
        [ -f "${log%.log}.trs" ] || fail=$((fail + 1))
    done < <(find "$dir" -path '*/tests/*' -name '*.log' ! -name 'test-suite.log' 2>/dev/null)
done
line="$pass passed, $fail failed"
[ "$skip" -gt 0 ] && line="$line, $skip skipped"
echo "$line"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
