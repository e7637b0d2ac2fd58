#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for a bounded time
# (docs/fuzzing.md).
#
#   fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]
#     SECONDS_PER_TARGET  default 60
#     TARGET              text jsonl json_document compressed binary pipeline recording (default: all)
#
# Environment: HEAPSIM_FUZZ_BUILD (build directory, default build-fuzz),
# HEAPSIM_FUZZ_JOBS (parallel compile jobs, default 2), HEAPSIM_FUZZ_PARALLEL
# (targets fuzzed at once, default 1).
#
# Targets run in the order given, HEAPSIM_FUZZ_PARALLEL at a time. The corpus
# each one grows is kept in BUILD/fuzz-corpus/<target>/ for the next run; seeds are
# regenerated each time from traces/, traces/scenarios/ and tests/errors/.
# A crash, hang (-timeout), memory blow-up or leak is copied into
# fuzz/regressions/<target>/, which the normal test suite replays, and makes
# the exit status 1.
set -euo pipefail
cd "$(dirname "$0")/.."

all_targets=(text jsonl json_document compressed binary pipeline recording)
seconds=${1:-60}
shift || true
targets=("$@")
((${#targets[@]})) || targets=("${all_targets[@]}")
build=${HEAPSIM_FUZZ_BUILD:-build-fuzz}
jobs=${HEAPSIM_FUZZ_JOBS:-2}
parallel=${HEAPSIM_FUZZ_PARALLEL:-1}

dict_of() {
    case $1 in
        jsonl | json_document) echo json.dict ;;
        pipeline) echo text.dict ;;
        *) echo "$1.dict" ;;
    esac
}

# Keep in step with MAX_LEN in fuzz/make_seeds.py.
max_len_of() {
    case $1 in
        compressed | pipeline) echo 16384 ;;
        *) echo 32768 ;;
    esac
}

for t in "${targets[@]}"; do
    [[ " ${all_targets[*]} " == *" $t "* ]] || { echo "fuzz/run.sh: unknown target '$t' (targets: ${all_targets[*]})" >&2; exit 2; }
done

echo "== building the fuzz targets in $build (clang, libFuzzer, ASan, UBSan)"
# -O1 without NDEBUG: assertions stay on while fuzzing.
cmake -S . -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" -DHEAPSIM_FUZZ=ON -DHEAPSIM_TESTS=OFF >/dev/null
cmake --build "$build" -j "$jobs" --target "${targets[@]/#/fuzz_}"
# heapsim itself only adds seeds (generated and .htb traces): fuzz without it
# rather than not at all.
heapsim=()
if cmake --build "$build" -j "$jobs" --target heapsim >"$build/heapsim-build.log" 2>&1; then
    heapsim=(--heapsim "$build/heapsim")
else
    echo "warning: heapsim did not build (see $build/heapsim-build.log): seeds from text traces only" >&2
fi

echo "== seeds"
ASAN_OPTIONS=detect_leaks=0 python3 fuzz/make_seeds.py --source . --out "$build/fuzz-seeds" "${heapsim[@]}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# One target's run; its summary line goes to $build/fuzz-logs/$t.result and
# its status is the run's (1 on a finding).
fuzz_one() {
    local t=$1
    local corpus=$build/fuzz-corpus/$t
    local artifacts=$build/fuzz-artifacts/$t
    local log=$build/fuzz-logs/$t.log
    mkdir -p "$corpus" "$artifacts" "$(dirname "$log")" "fuzz/regressions/$t"
    rm -f "$artifacts"/*
    local rc=0
    "$build/fuzz/fuzz_$t" "$corpus" "$build/fuzz-seeds/$t" "fuzz/regressions/$t" \
        -dict="fuzz/$(dict_of "$t")" -max_len="$(max_len_of "$t")" -max_total_time="$seconds" \
        -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$artifacts/" -print_final_stats=1 \
        >"$log" 2>&1 || rc=$?
    local execs corpus_size findings result
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    corpus_size=$(find "$corpus" -type f | wc -l)
    findings=$(find "$artifacts" -type f | wc -l)
    local failed=0
    if ((rc != 0 || findings != 0)); then
        result="FINDING (exit $rc)"
        failed=1
        for f in "$artifacts"/*; do
            [[ -f $f ]] || continue
            cp "$f" "fuzz/regressions/$t/"
            result+=" fuzz/regressions/$t/$(basename "$f")"
        done
        tail -n 40 "$log" >"$build/fuzz-logs/$t.tail"
    fi
    ((failed)) || result=ok
    printf '%-14s executions %-10s corpus %-6s %s\n' "$t" "${execs:-?}" "$corpus_size" "$result" \
        >"$build/fuzz-logs/$t.result"
    return "$failed"
}

# Reports a finished target in the order the targets were given.
report_one() {
    local t=$1
    [[ -f $build/fuzz-logs/$t.tail ]] && cat "$build/fuzz-logs/$t.tail"
    cat "$build/fuzz-logs/$t.result"
    summary+=("$(cat "$build/fuzz-logs/$t.result")")
}

status=0
summary=()
mkdir -p "$build/fuzz-logs"
# Targets run `parallel` at a time: each still gets its full SECONDS of one
# core, and a 2-core CI machine is not left with one core idle.
for ((i = 0; i < ${#targets[@]}; i += parallel)); do
    batch=("${targets[@]:i:parallel}")
    pids=()
    for t in "${batch[@]}"; do
        rm -f "$build/fuzz-logs/$t.tail" "$build/fuzz-logs/$t.result"
        echo "== fuzz_$t for ${seconds}s (log: $build/fuzz-logs/$t.log)"
        fuzz_one "$t" &
        pids+=($!)
    done
    for j in "${!batch[@]}"; do
        wait "${pids[j]}" || status=1
        report_one "${batch[j]}"
    done
done

echo "== summary (${seconds}s per target)"
printf '%s\n' "${summary[@]}"
exit "$status"
