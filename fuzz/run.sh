#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for a bounded time
# (docs/fuzzing.md).
#
#   fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]
#     SECONDS_PER_TARGET  default 60
#     TARGET              text jsonl json_document compressed binary pipeline recording (default: all)
#
# Environment: HEAPSIM_FUZZ_BUILD (build directory, default build-fuzz),
# HEAPSIM_FUZZ_JOBS (parallel compile jobs, default 2).
#
# Targets run one after another, one process at a time. The corpus each one
# grows is kept in BUILD/fuzz-corpus/<target>/ for the next run; seeds are
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
status=0
summary=()
for t in "${targets[@]}"; do
    corpus=$build/fuzz-corpus/$t
    artifacts=$build/fuzz-artifacts/$t
    log=$build/fuzz-logs/$t.log
    mkdir -p "$corpus" "$artifacts" "$(dirname "$log")" "fuzz/regressions/$t"
    rm -f "$artifacts"/*
    echo "== fuzz_$t for ${seconds}s (log: $log)"
    rc=0
    "$build/fuzz/fuzz_$t" "$corpus" "$build/fuzz-seeds/$t" "fuzz/regressions/$t" \
        -dict="fuzz/$(dict_of "$t")" -max_len="$(max_len_of "$t")" -max_total_time="$seconds" \
        -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$artifacts/" -print_final_stats=1 \
        >"$log" 2>&1 || rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    corpus_size=$(find "$corpus" -type f | wc -l)
    findings=$(find "$artifacts" -type f | wc -l)
    if ((rc != 0 || findings != 0)); then
        result="FINDING (exit $rc)"
        status=1
        for f in "$artifacts"/*; do
            [[ -f $f ]] || continue
            cp "$f" "fuzz/regressions/$t/"
            result+=" fuzz/regressions/$t/$(basename "$f")"
        done
        tail -n 40 "$log"
    else
        result=ok
    fi
    line=$(printf '%-14s executions %-10s corpus %-6s %s' "$t" "${execs:-?}" "$corpus_size" "$result")
    echo "$line"
    summary+=("$line")
done

echo "== summary (${seconds}s per target)"
printf '%s\n' "${summary[@]}"
exit "$status"
