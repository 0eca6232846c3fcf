#!/bin/sh
# campaign.sh BUILDDIR SECONDS [TARGET...] - the longer fuzzing run of doc/fuzzing.md: each
# target (all by default) for SECONDS, two at a time, at the lowest priority (the machine is
# shared), on a corpus that starts from smoke.sh's seeds and is kept under
# BUILDDIR/tests/fuzz/campaign/TARGET. Prints per target: executions, coverage, corpus size,
# and any crash file (to be turned into tests/fuzz/regress/TARGET/NAME once fixed).
# RUNS=N stops a target after N executions (its remainder to 10^7, say) or SECONDS, whichever
# comes first. REPLAY=DIR runs DIR's targets (an ASan build) once over each kept corpus.
set -u
build=$1 secs=$2
shift 2
top=$(cd "$(dirname "$0")/../.." && pwd)
out="$build/tests/fuzz/campaign"
mkdir -p "$out"
targets=${*:-$(cd "$build/tests/fuzz" && ls fuzz_* | grep -v '\.')}
one() {
    t=$1
    mkdir -p "$out/$t"
    # seeds: whatever smoke.sh gathered, when it ran
    [ -d "$build/tests/fuzz/smoke/$t" ] && cp -n "$build/tests/fuzz/smoke/$t"/* "$out/$t"/ 2>/dev/null
    if [ -n "${REPLAY:-}" ]; then
        nice -n 19 "$REPLAY/tests/fuzz/$t" -runs=0 -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
            "$out/$t" >"$out/$t.replay" 2>&1
        echo "$t replay exit=$? inputs=$(ls "$out/$t" | wc -l)"
        return
    fi
    nice -n 19 "$build/tests/fuzz/$t" -max_total_time="$secs" ${RUNS:+-runs="$RUNS"} \
        -max_len=4096 -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$out/$t-" "$out/$t" \
        >"$out/$t.out" 2>&1
    echo "$t exit=$? runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$t.out")" \
         "$(grep -o 'cov: [0-9]* ft: [0-9]*' "$out/$t.out" | tail -1)" \
         "corpus=$(ls "$out/$t" | wc -l) crashes=$(ls "$out" | grep -c "^$t-")"
}
set -- $targets
while [ $# -gt 0 ]; do
    one "$1" &
    [ $# -gt 1 ] && one "$2" &
    wait
    shift; [ $# -gt 0 ] && shift
done
