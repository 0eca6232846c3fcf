#!/bin/sh
# smoke.sh - runs every libFuzzer target for FUZZ_SECONDS (default 5) on a copy of its seed
# corpus, then replays every saved crash input (tests/fuzz/regress/TARGET/*). TAP: one case
# per run, so `make fuzz-smoke` is counted like any test. Run by `make fuzz-smoke` in a tree
# configured with --enable-fuzzing, where a target not built is a failed case, never a skip;
# it skips only in a tree configured without fuzzing.
top=${TOP_SRCDIR:-.}
build=${TOP_BUILDDIR:-.}
secs=${FUZZ_SECONDS:-5}
work="$build/tests/fuzz/smoke"

seeds() { # the seed folders of a target
    case $1 in
    fuzz_sqs) echo "$top/tests/data/responses/sqs" ;;
    fuzz_sns) echo "$top/tests/data/responses/sns" ;;
    fuzz_s3) echo "$top/tests/data/responses/s3" ;;
    fuzz_sts) echo "$top/tests/data/responses/sts $top/tests/data/responses/monitoring" ;;
    fuzz_sso) echo "$top/tests/data/responses/sso $top/tests/fuzz/seeds/sso" ;;
    fuzz_errparse) echo "$top/tests/data/errors" ;;
    fuzz_awsconfig) echo "$top/tests/fuzz/seeds/awsconfig" ;;
    fuzz_appconfig) echo "$top/tests/fuzz/seeds/appconfig" ;;
    fuzz_theme) echo "$top/themes" ;;
    fuzz_sanitize) echo "$top/tests/fuzz/seeds/sanitize $top/tests/data/responses/s3" ;;
    fuzz_sigv4) echo "$top/tests/data/sigv4/v4" ;;
    fuzz_logs) echo "$top/tests/data/responses/logs" ;;
    fuzz_ec2) echo "$top/tests/data/responses/ec2" ;;
    fuzz_iam) echo "$top/tests/data/responses/iam" ;;
    fuzz_secretsmanager) echo "$top/tests/data/responses/secretsmanager" ;;
    fuzz_ssm) echo "$top/tests/data/responses/ssm" ;;
    fuzz_events) echo "$top/tests/data/responses/events" ;;
    fuzz_lambda) echo "$top/tests/data/responses/lambda" ;;
    fuzz_payload) echo "$top/tests/fuzz/seeds/payload" ;;
    esac
}

# fuzzing_configured: whether this build tree was configured with --enable-fuzzing (its
# config.status repeats the arguments configure was given, some in quotes)
fuzzing_configured() {
    [ -x "$build/config.status" ] || return 1
    case " $("$build/config.status" --config 2>/dev/null | tr -d "'") " in
    *" --enable-fuzzing "* | *" --enable-fuzzing=yes "* | *" --enable-fuzzing=throughput "*)
        return 0 ;;
    esac
    return 1
}

built=$(cd "$build/tests/fuzz" 2>/dev/null && ls fuzz_* 2>/dev/null | grep -v '\.' )
if fuzzing_configured; then
    # Every target there is a source for must run: a step that finds none (or fewer) has
    # tested nothing, and a skip here would leave CI's fuzz step green (doc/testing.md).
    targets=$(cd "$top/tests/fuzz" 2>/dev/null && ls fuzz_*.c 2>/dev/null | sed 's/\.c$//')
    if [ -z "$targets" ]; then
        echo "1..1"
        echo "not ok 1 - fuzz targets: none found in $top/tests/fuzz (TOP_SRCDIR)"
        exit 1
    fi
elif [ -z "$built" ]; then
    # only a tree without --enable-fuzzing (make check TESTS=tests/fuzz/smoke.sh) may skip
    echo "1..0 # SKIP fuzzing is not configured here (./configure --enable-fuzzing; make fuzz-smoke)"
    exit 0
else
    targets=$built
fi
n=0
for t in $targets; do
    n=$((n + 1))
    [ -d "$top/tests/fuzz/regress/$t" ] && n=$((n + $(ls "$top/tests/fuzz/regress/$t" | wc -l)))
done
echo "1..$n"
i=0
failed=0
for t in $targets; do
    bin="$build/tests/fuzz/$t"
    corpus="$work/$t"
    if [ ! -x "$bin" ]; then
        # its run and its saved crash inputs: all of them cases that did not run
        failed=1
        i=$((i + 1))
        echo "not ok $i - $t: not built ($bin is missing: make fuzz)"
        for f in "$top/tests/fuzz/regress/$t"/*; do
            [ -e "$f" ] || continue
            i=$((i + 1))
            echo "not ok $i - $t: saved crash input $(basename "$f") not replayed (no target)"
        done
        continue
    fi
    rm -rf "$corpus"
    mkdir -p "$corpus"
    for d in $(seeds "$t"); do
        # files only, flattened (the SigV4 suite keeps one request.txt per case folder)
        find "$d" -type f ! -name '*.md' ! -name 'LICENSE' ! -name 'NOTICE' | while read -r f; do
            cp "$f" "$corpus/$(echo "${f#$top/}" | tr '/' '_')"
        done
    done
    i=$((i + 1))
    log="$work/$t.out"   # not .log: the summary counts a .log without .trs as failed
    if "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
            -artifact_prefix="$work/$t-" "$corpus" >"$log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
        echo "ok $i - $t: ${runs:-?} inputs in ${secs} s from $(ls "$corpus" | wc -l) corpus files, no crash ($cov)"
    else
        failed=1
        echo "not ok $i - $t: crashed or failed (log: $log)"
        grep -E 'ERROR|SUMMARY|Test unit written' "$log" | head -5 | sed 's/^/#   /'
    fi
    [ -d "$top/tests/fuzz/regress/$t" ] || continue
    for f in "$top/tests/fuzz/regress/$t"/*; do
        i=$((i + 1))
        if "$bin" -runs=1 "$f" >"$work/$t.regress.out" 2>&1; then
            echo "ok $i - $t: saved crash input $(basename "$f") runs clean"
        else
            failed=1
            echo "not ok $i - $t: saved crash input $(basename "$f") fails again"
            grep -E 'ERROR|SUMMARY' "$work/$t.regress.out" | head -3 | sed 's/^/#   /'
        fi
    done
done
exit $failed
