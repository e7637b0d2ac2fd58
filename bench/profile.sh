#!/usr/bin/env bash
# Where the instructions go, per event, on each path of issue 13's targets:
#
#   bash bench/profile.sh            # a 10^6-event `web` trace (~3 min at load 17 on 2 cores)
#   bash bench/profile.sh --quick    # 10^5 events (~1.5 min; start-up then dominates the CPU times)
#   bash bench/profile.sh --tiny     # 5,000 events: checks the mapping (the CTest)
#
# Runs `valgrind --tool=callgrind` on the whole `heapsim run` process from
# text, JSON Lines and .htb, on one configuration's in-memory replay
# (heapsim-sweep-bench --configs 1 --threads 1, the replay alone) and, when
# a recording is given, on `heapsim import` in snapshot and events mode;
# then bench/profile_split.py prints one Markdown table: instructions (Ir)
# per event of each component (bench/profile_components.txt maps functions
# to components, and fails when a mapped function disappears), the total,
# and the Ir per event each target needs at the instructions per cycle
# this machine reaches on that path (native CPU time of the same run,
# median of 3, and the clock from bench/clock_loop.c). Instruction counts do
# not depend on the load; the CPU times and so the "needed" row do, a little.
#
# Builds Release into build-profile (HEAPSIM_BENCH_BUILD overrides), or uses
# HEAPSIM_BENCH_HEAPSIM and HEAPSIM_BENCH_SWEEP (heapsim-sweep-bench; empty:
# no replay column) as they are; workloads and profiles go to
# BUILD/profile (HEAPSIM_BENCH_SCRATCH). HEAPSIM_BENCH_RECORDING names a
# heapsim_record recording for the import columns (bench/recorder/run.sh
# makes one: `python bench/recorder/orders_bench.py rec.hsr 0 100` with
# heapsim_record installed); without it they are skipped, with a message.
# HEAPSIM_BENCH_EVENTS overrides the trace length.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${HEAPSIM_BENCH_BUILD:-$ROOT/build-profile}
MODE=standard
for arg in "$@"; do
    case $arg in
        --quick) MODE=quick ;;
        --tiny) MODE=tiny ;;
        -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
        *) echo "bench/profile.sh: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
    esac
done
case $MODE in
    standard) EVENTS=1000000 REPS=3 ;;
    quick) EVENTS=100000 REPS=3 ;;
    tiny) EVENTS=5000 REPS=0 ;;  # the mapping check only: no native timing
esac
EVENTS=${HEAPSIM_BENCH_EVENTS:-$EVENTS}
SCRATCH=${HEAPSIM_BENCH_SCRATCH:-$BUILD/profile}
RECORDING=${HEAPSIM_BENCH_RECORDING:-}
PYTHON=${PYTHON:-python3}
# The in-memory replay is counted from the entry of this function (one call
# per configuration: engine/buffered_replay.cpp) to its return; loading the
# trace before it is the readers' business, the other columns.
REPLAY_FN='heapsim::replay_loaded(*'

log() { printf '== %s\n' "$*" >&2; }
die() { printf 'bench/profile.sh: %s\n' "$*" >&2; exit 2; }
command -v valgrind >/dev/null || die "valgrind is not installed (apt-get install valgrind)"

# --- build -------------------------------------------------------------------
if [[ -n ${HEAPSIM_BENCH_HEAPSIM:-} ]]; then
    HEAPSIM=$HEAPSIM_BENCH_HEAPSIM
    SWEEP=${HEAPSIM_BENCH_SWEEP-}
else
    log "building Release in $BUILD"
    cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DHEAPSIM_BENCH=ON \
        -DHEAPSIM_TESTS=OFF >/dev/null
    cmake --build "$BUILD" --target heapsim heapsim-sweep-bench -- -j2 >/dev/null
    HEAPSIM=$BUILD/heapsim
    SWEEP=$BUILD/heapsim-sweep-bench
fi
[[ -x $HEAPSIM ]] || die "no heapsim at $HEAPSIM"
mkdir -p "$SCRATCH"
CLOCK=$SCRATCH/clock_loop
${CC:-cc} -O2 "$ROOT/bench/clock_loop.c" -o "$CLOCK" || die "cannot compile bench/clock_loop.c"

# --- workload ------------------------------------------------------------------
# bench/run.sh's `web` (seed 1), shorter: callgrind runs ~50x slower.
TRACE=$SCRATCH/web-$EVENTS.trace
if [[ ! -s $TRACE ]]; then
    log "generating $(basename "$TRACE")"
    "$HEAPSIM" gen --profile web --events "$EVENTS" --seed 1 -o "$TRACE.tmp" && mv "$TRACE.tmp" "$TRACE"
fi
for enc in jsonl htb; do
    [[ -s ${TRACE%.trace}.$enc ]] || "$HEAPSIM" convert "$TRACE" "${TRACE%.trace}.$enc"
done

# --- callgrind, two at a time ---------------------------------------------------
# profile NAME CMD...: callgrind's counts in $SCRATCH/NAME.cg, the program's
# output in NAME.out, valgrind's in NAME.log.
PIDS=() NAMES=()
profile() {
    local name=$1; shift
    if ((${#PIDS[@]} >= 2)); then wait_one; fi
    log "callgrind: $name"
    valgrind --tool=callgrind --callgrind-out-file="$SCRATCH/$name.cg" ${TOGGLE:+--toggle-collect="$TOGGLE"} \
        "$@" >"$SCRATCH/$name.out" 2>"$SCRATCH/$name.log" &
    PIDS+=("$!") NAMES+=("$name")
}
wait_one() {
    wait "${PIDS[0]}" || die "callgrind of ${NAMES[0]} failed: see $SCRATCH/${NAMES[0]}.log"
    PIDS=("${PIDS[@]:1}") NAMES=("${NAMES[@]:1}")
}
RUNS=(text jsonl htb)
profile text "$HEAPSIM" run "$TRACE"
profile jsonl "$HEAPSIM" run "${TRACE%.trace}.jsonl"
profile htb "$HEAPSIM" run "${TRACE%.trace}.htb"
if [[ -n $SWEEP ]]; then
    RUNS+=(replay)
    TOGGLE=$REPLAY_FN profile replay "$SWEEP" "${TRACE%.trace}.htb" --configs 1 --threads 1
else
    log "no heapsim-sweep-bench (HEAPSIM_BENCH_SWEEP is empty): no in-memory replay column"
fi
if [[ -n $RECORDING ]]; then
    [[ -s $RECORDING ]] || die "HEAPSIM_BENCH_RECORDING=$RECORDING: no such recording"
    for mode in snapshot events; do
        RUNS+=("import-$mode")
        profile "import-$mode" "$HEAPSIM" import --mode "$mode" "$RECORDING" -o "$SCRATCH/import-$mode.htb"
    done
else
    log "no recording (set HEAPSIM_BENCH_RECORDING to a heapsim_record recording): import columns skipped"
fi
while ((${#PIDS[@]})); do wait_one; done

# --- events per run and native CPU time ----------------------------------------------
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# cpu CMD...: median CPU seconds (user + system) of $REPS runs (none: empty), from
# getrusage: /usr/bin/time rounds to 10 ms, a tenth of a run here.
cpu() {
    local i
    for ((i = 0; i < REPS; i++)); do
        # The difference: a launcher (pyenv's shim) may have had children too.
        "$PYTHON" -c 'import resource, subprocess, sys
cpu = lambda: (lambda r: r.ru_utime + r.ru_stime)(resource.getrusage(resource.RUSAGE_CHILDREN))
before = cpu()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
print(f"{cpu() - before:.6f}")' "$@" || die "'$*' failed"
    done | median
}
report_events() { awk '$1 == "events" { gsub(",", "", $2); print $2; exit }' "$1"; }
kv() { tr ' ' '\n' <"$1" | awk -F= -v k="$2" '$1 == k { print $2 }'; }
ARGS=()
for name in "${RUNS[@]}"; do
    case $name in
        text|jsonl|htb)
            file=${TRACE%.trace}.$([[ $name == text ]] && echo trace || echo "$name")
            events=$(report_events "$SCRATCH/$name.out")
            seconds=$(cpu "$HEAPSIM" run "$file" -q) ;;
        replay)
            events=$(kv "$SCRATCH/replay.out" events)
            # One configuration's replay: 5 configurations less 1, over 4.
            one=$(cpu "$SWEEP" "${TRACE%.trace}.htb" --configs 1 --threads 1)
            five=$(cpu "$SWEEP" "${TRACE%.trace}.htb" --configs 5 --threads 1)
            seconds=$(awk -v a="$one" -v b="$five" 'BEGIN { d = (b - a) / 4; print (d > 0) ? d : "" }') ;;
        import-*)
            events=$(sed -nE 's/.*: ([0-9]+) records,.*/\1/p' "$SCRATCH/$name.out" | head -1)
            seconds=$(cpu "$HEAPSIM" import --mode "${name#import-}" "$RECORDING" -o "$SCRATCH/$name.htb") ;;
    esac
    [[ -n $events && $events -gt 0 ]] || die "no event count in $SCRATCH/$name.out"
    ((REPS)) || seconds=
    [[ $name == htb ]] && HTB_EVENTS=$events
    ARGS+=(--run "$name=$SCRATCH/$name.cg:$events:$seconds")
done
ghz=$( ((REPS)) && "$CLOCK" | sed -n 's/^ghz=//p' || echo 0)

# --- the table ---------------------------------------------------------------------
TABLE=$("$PYTHON" "$ROOT/bench/profile_split.py" --mapping "$ROOT/bench/profile_components.txt" "${ARGS[@]}" \
    --clock-ghz "$ghz" --explain "$SCRATCH/profile-explain.txt" \
    --label "text=text, whole process" --label "jsonl=JSON Lines, whole process" \
    --label "htb=.htb, whole process" --label "replay=in-memory replay, 1 configuration" \
    --label "import-snapshot=import, snapshot mode" --label "import-events=import, events mode" \
    --target text=15e6 --target jsonl=5e6 --target htb=50e6 --target replay=40e6 \
    --target import-snapshot=5e6 --target import-events=5e6 \
    --unit import-snapshot=record --unit import-events=record) || exit 1
# bench/ir_profile.py is a view of the same mapping for one profile taken by
# hand: it must agree with it (the CTest runs this too).
"$PYTHON" "$ROOT/bench/ir_profile.py" "$SCRATCH/htb.cg" "$HTB_EVENTS" --path htb --functions \
    >"$SCRATCH/htb-parts.md" || die "bench/ir_profile.py failed on $SCRATCH/htb.cg"
cpu_model=$(lscpu | awk -F: '/^Model name/ { gsub(/^ +/, "", $2); print $2; exit }')
{
    echo "Measured $(date -u +%Y-%m-%d) on $cpu_model at ${ghz} GHz (bench/clock_loop.c), load average $(cut -d' ' -f1-3 /proc/loadavg);"
    echo "heapsim $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), \`bash bench/profile.sh${*:+ $*}\`: \`web\` $EVENTS events, seed 1${RECORDING:+; import of $(basename "$RECORDING")}."
    echo
    echo "$TABLE"
} | tee "$SCRATCH/profile.md"
log "table saved in $SCRATCH/profile.md; each component's largest functions in $SCRATCH/profile-explain.txt;" \
    "the .htb column by bench/ir_profile.py in $SCRATCH/htb-parts.md"
