#!/usr/bin/env bash
# heapsim's benchmark suite, from a clean clone, in one command:
#
#   bash bench/run.sh            # the sizes docs/performance.md reports (~15-25 min)
#   bash bench/run.sh --quick    # small sizes: a smoke test of the whole script (~2 min)
#   bash bench/run.sh --full     # also stream a 10^9-event trace for the RSS check (+ ~2 min)
#
# Builds Release into build-bench (HEAPSIM_BENCH_BUILD overrides), generates
# the workloads into build-bench/workloads (HEAPSIM_BENCH_SCRATCH overrides;
# they are kept and reused: the standard set takes ~8 GB), times whole
# `heapsim run`s (3 repetitions: median wall and user CPU, peak RSS from
# /usr/bin/time), runs the sweep driver on 1 and 2 threads, times CPython
# performing the same operations, runs the micro-benchmarks, and prints a
# Markdown table of every target for docs/performance.md.
#
# Timings mean something only on an otherwise idle machine.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${HEAPSIM_BENCH_BUILD:-$ROOT/build-bench}
MODE=standard
FULL=0
REPS=3
for arg in "$@"; do
    case $arg in
        --quick) MODE=quick ;;
        --full) FULL=1 ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) echo "bench/run.sh: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
    esac
done

# Workload sizes. The targets are stated for the standard sizes; --quick
# keeps every step but shrinks it ~100x, so its numbers are indicative only.
if [[ $MODE == quick ]]; then
    WEB_EVENTS=500000 LIVE_OBJECTS=200000 SWEEP_EVENTS=200000 PY_EVENTS=100000
    LONG_EVENTS=(200000 2000000) MICRO_TIME=0.05
else
    WEB_EVENTS=50000000 LIVE_OBJECTS=20000000 SWEEP_EVENTS=10000000 PY_EVENTS=1000000
    LONG_EVENTS=(10000000 100000000) MICRO_TIME=0.5
fi
[[ $FULL == 1 ]] && LONG_EVENTS+=(1000000000)
SCRATCH=${HEAPSIM_BENCH_SCRATCH:-$BUILD/workloads}
PYTHON=${PYTHON:-python3}

log() { printf '== %s\n' "$*" >&2; }
die() { printf 'bench/run.sh: %s\n' "$*" >&2; exit 2; }

# --- build -------------------------------------------------------------------
log "building Release in $BUILD"
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DHEAPSIM_BENCH=ON \
    -DHEAPSIM_TESTS=OFF >/dev/null
cmake --build "$BUILD" --target heapsim heapsim-sweep-bench heapsim-micro-bench -- -j2 >/dev/null
HEAPSIM=$BUILD/heapsim
SWEEP=$BUILD/heapsim-sweep-bench
MICRO=$BUILD/heapsim-micro-bench
cmake --build "$BUILD" --target heapsim-read-bench -- -j2 >/dev/null
READER=$BUILD/heapsim-read-bench
cmake --build "$BUILD" --target heapsim-memory-breakdown -- -j2 >/dev/null
BREAKDOWN=$BUILD/heapsim-memory-breakdown
mkdir -p "$SCRATCH"
avail_gb=$(df -Pk "$SCRATCH" | awk 'NR == 2 { print int($4 / 1048576) }')
if [[ $MODE == standard && $avail_gb -lt 12 ]]; then
    die "$SCRATCH has ${avail_gb} GB free; the standard workloads need ~12 GB (set HEAPSIM_BENCH_SCRATCH)"
fi

# --- workloads (generated once, kept) -----------------------------------------
# gen_once FILE ARGS...: `heapsim gen ARGS -o FILE` unless FILE exists.
gen_once() {
    local file=$1; shift
    [[ -s $file ]] && return 0
    log "generating $(basename "$file")"
    "$HEAPSIM" gen "$@" -o "$file"
}
convert_once() {
    [[ -s $2 ]] && return 0
    log "converting to $(basename "$2")"
    "$HEAPSIM" convert "$1" "$2"
}
WEB=$SCRATCH/web-$WEB_EVENTS.trace
LIVE=$SCRATCH/cache-live-$LIVE_OBJECTS.trace
SWEEP_TRACE=$SCRATCH/web-$SWEEP_EVENTS.trace
PY_TRACE=$SCRATCH/web-$PY_EVENTS.trace
gen_once "$WEB" --profile web --events "$WEB_EVENTS" --seed 1
convert_once "$WEB" "${WEB%.trace}.jsonl"
convert_once "$WEB" "${WEB%.trace}.htb"
# The cache fills at ~1.7 events per object: twice --live events warms it
# and turns it over a little.
gen_once "$LIVE" --profile cache --live "$LIVE_OBJECTS" --events $((2 * LIVE_OBJECTS)) --seed 1
gen_once "$SWEEP_TRACE" --profile web --events "$SWEEP_EVENTS" --seed 2
gen_once "$PY_TRACE" --profile web --events "$PY_EVENTS" --seed 3
convert_once "$PY_TRACE" "${PY_TRACE%.trace}.htb"

# --- timing helpers --------------------------------------------------------
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# timed NAME CMD...: runs CMD $REPS times (stdout to $SCRATCH/NAME.out) and
# sets T_WALL, T_CPU (medians, seconds) and T_RSS (largest peak RSS, KiB).
timed() {
    local name=$1; shift
    local i walls=() cpus=() rsss=()
    for ((i = 0; i < REPS; i++)); do
        /usr/bin/time -f '%e %U %M' -o "$SCRATCH/$name.time" "$@" >"$SCRATCH/$name.out" \
            || die "'$*' failed (exit $?)"
        read -r w u m <"$SCRATCH/$name.time"
        walls+=("$w"); cpus+=("$u"); rsss+=("$m")
    done
    T_WALL=$(printf '%s\n' "${walls[@]}" | median)
    T_CPU=$(printf '%s\n' "${cpus[@]}" | median)
    T_RSS=$(printf '%s\n' "${rsss[@]}" | sort -g | tail -1)
}

# A number from heapsim's text report ("  events   19,744").
report_value() { awk -v key="$2" '$0 ~ "^  " key " " { gsub(",", "", $NF); print $NF; exit }' "$1"; }
report_first() { awk -v key="$2" '$0 ~ "^  " key " " { gsub(",", "", $3); print $3; exit }' "$1"; }
calc() { awk "BEGIN { print $* }"; }
mega() { awk -v v="$1" 'BEGIN { printf "%.1fM", v / 1e6 }'; }
verdict() { awk "BEGIN { print (($1) ? \"pass\" : \"**miss**\") }"; }

ROWS=()
row() { ROWS+=("| $1 | $2 | $3 | $4 |"); }

# --- 1. whole runs, per encoding ------------------------------------------
# Throughput is events over the median wall time of the whole process:
# start-up, reading, simulation, report.
declare -A RATE
for enc in trace jsonl htb; do
    file=${WEB%.trace}.$enc
    log "heapsim run $(basename "$file") x$REPS"
    timed "run-$enc" "$HEAPSIM" run "$file"
    events=$(report_value "$SCRATCH/run-$enc.out" events)
    RATE[$enc]=$(calc "$events / $T_WALL")
    detail="$(mega "$events") events: wall $T_WALL s, user $T_CPU s, peak RSS $((T_RSS / 1024)) MiB"
    case $enc in
        trace) row "text, cpython-3.11, \`web\` $(mega "$WEB_EVENTS")" "≥ 15M events/s" \
                   "$(mega "${RATE[$enc]}") events/s ($detail)" "$(verdict "${RATE[$enc]} >= 15e6")" ;;
        jsonl) row "JSON Lines, same trace" "≥ 5M events/s" \
                   "$(mega "${RATE[$enc]}") events/s ($detail)" "$(verdict "${RATE[$enc]} >= 5e6")" ;;
        htb) row "binary .htb, same trace" "≥ 50M events/s" \
                 "$(mega "${RATE[$enc]}") events/s ($detail)" "$(verdict "${RATE[$enc]} >= 50e6")" ;;
    esac
done

# --- 1b. the readers alone ----------------------------------------------------
# The same files read into a sink that only counts (bench/read_bench.cpp):
# what the reader costs without the simulator, events over median user CPU.
for enc in trace jsonl htb; do
    file=${WEB%.trace}.$enc
    log "heapsim-read-bench $(basename "$file") x$REPS"
    timed "read-$enc" "$READER" "$file"
    events=$(awk '{ print $2; exit }' "$SCRATCH/read-$enc.out")
    row "reader alone, $enc, same trace" "—" \
        "$(mega "$(calc "$events / $T_CPU")") events/s per CPU second (user $T_CPU s, wall $T_WALL s)" "—"
done

# --- 2. memory per live object ---------------------------------------------
# Peak RSS of the whole process over the peak number of live objects. The
# budget is 48 bytes per object plus 8 per reference; the report does not
# count references, so the budget is taken at one reference per live object,
# a lower bound for this workload (every value is held by the cache dict or
# by the value that owns it; dict keys are strings, not objects), which makes
# the check conservative.
log "heapsim run $(basename "$LIVE")"
REPS=1 timed run-live "$HEAPSIM" run "$LIVE"
peak_live=$(report_first "$SCRATCH/run-live.out" "peak live")
per_object=$(calc "$T_RSS * 1024 / $peak_live")
row "memory, \`cache\` with $(mega "$LIVE_OBJECTS") live" "≤ 48 B/object + 8 B/reference (≤ 56 B at ≥ 1 ref/object)" \
    "$(printf '%.1f' "$per_object") B/object (peak RSS $((T_RSS / 1024)) MiB, peak live $(mega "$peak_live"))" \
    "$(verdict "$per_object <= 56")"

# --- 3. peak RSS against trace length --------------------------------------
# Streamed through a pipe, so no trace is stored; /usr/bin/time measures
# `heapsim run` alone.
rss_points=""
for n in "${LONG_EVENTS[@]}"; do
    log "heapsim gen --profile web --events $n -o - | heapsim run -"
    "$HEAPSIM" gen --profile web --events "$n" --seed 4 -o - |
        /usr/bin/time -f '%e %U %M' -o "$SCRATCH/long.time" "$HEAPSIM" run - >"$SCRATCH/long.out" \
        || die "streaming $n events failed"
    read -r _ _ rss <"$SCRATCH/long.time"
    rss_points+="$n $rss"$'\n'
done
read -r n1 r1 < <(printf '%s' "$rss_points" | head -1)
read -r n2 r2 < <(printf '%s' "$rss_points" | tail -1)
if [[ $n2 -ge 1000000000 ]]; then
    at_1e9=$r2 how="measured"
else
    # Linear in the length, through the two largest measured lengths.
    read -r n1 r1 < <(printf '%s' "$rss_points" | tail -2 | head -1)
    at_1e9=$(calc "$r2 + ($r2 - $r1) / ($n2 - $n1) * (1e9 - $n2)")
    how="extrapolated"
fi
points=$(printf '%s' "$rss_points" | awk '{ printf "%s%s: %d MiB", (NR > 1 ? ", " : ""), ($1 >= 1e6 ? sprintf("%gM", $1 / 1e6) : $1), $2 / 1024 }')
row "peak RSS vs length, \`web\` streamed" "< 1 GB at 10⁹ events" \
    "$points; $how at 10⁹: $(calc "int($at_1e9 / 1024)") MiB" "$(verdict "$at_1e9 < 1e9 / 1024")"

# --- 4. sweep: one load, 16 configurations, 1 and 2 threads -----------------
kv() { tr ' ' '\n' <<<"$1" | awk -F= -v k="$2" '$1 == k { print $2 }'; }
log "sweep driver, 16 configurations, 1 thread"
one=$("$SWEEP" "$SWEEP_TRACE" --configs 16 --threads 1)
log "sweep driver, 16 configurations, 2 threads"
two=$("$SWEEP" "$SWEEP_TRACE" --configs 16 --threads 2)
speedup=$(calc "$(kv "$one" replay_s) / $(kv "$two" replay_s)")
same=$([[ $(kv "$one" digest) == "$(kv "$two" digest)" ]] && echo 1 || echo 0)
row "sweep, 16 configs over \`web\` $(mega "$SWEEP_EVENTS") in memory" "≥ 1.8x with 2 threads" \
    "$(printf '%.2f' "$speedup")x (replay $(kv "$one" replay_s) s → $(kv "$two" replay_s) s; load $(kv "$one" load_s) s)" \
    "$(verdict "$speedup >= 1.8")"
row "sweep results, 1 vs 2 threads" "identical" \
    "digests $(kv "$one" digest) / $(kv "$two" digest)" "$(verdict "$same")"
# Issue 13: one configuration's replay from the EventBuffer (the parse
# excluded), the rate every run of a sweep goes at; median of $REPS.
log "sweep driver, 1 configuration, 1 thread x$REPS"
replay_rate=$(for _ in $(seq "$REPS"); do
    kv "$("$SWEEP" "$SWEEP_TRACE" --configs 1 --threads 1)" events_per_s
done | median)
row "in-memory replay of \`web\` $(mega "$SWEEP_EVENTS"), one configuration" "≥ 40M events/s per configuration" \
    "$(mega "$replay_rate") events/s" "$(verdict "$replay_rate >= 40e6")"

# --- 5. against the interpreter performing the same operations ----------------
# `heapsim verify --plain` writes the trace's operations as a straight-line
# Python program without any instrumentation; main() times itself (compile
# time and teardown excluded).
log "CPython on $(basename "$PY_TRACE") x$REPS"
"$HEAPSIM" verify "$PY_TRACE" --program "$SCRATCH/plain.py" --plain
# Compiling a million-line function takes CPython about a minute and ~2.5 GB:
# do it once, then run the bytecode.
"$PYTHON" -c 'import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)' \
    "$SCRATCH/plain.py" "$SCRATCH/plain.pyc"
py_ns=()
for ((i = 0; i < REPS; i++)); do
    out=$("$PYTHON" "$SCRATCH/plain.pyc") || die "$PYTHON $SCRATCH/plain.pyc failed"
    py_events=$(kv "$out" events)
    py_ns+=("$(kv "$out" elapsed_ns)")
done
py_rate=$(calc "$py_events / ($(printf '%s\n' "${py_ns[@]}" | median) / 1e9)")
py_version=$("$PYTHON" -c 'import sys; print(sys.version.split()[0])')
row "CPython $py_version, straight-line program of the same operations (\`web\` $(mega "$PY_EVENTS"))" "—" \
    "$(mega "$py_rate") events/s (main() only)" "—"
# The reference the targets were set from: a replay loop over pre-decoded
# operations (bench/python_replay.py), only the loop timed.
loop_ns=()
for ((i = 0; i < REPS; i++)); do
    out=$("$PYTHON" "$ROOT/bench/python_replay.py" "$PY_TRACE") || die "bench/python_replay.py failed"
    loop_events=$(kv "$out" events)
    loop_ns+=("$(kv "$out" elapsed_ns)")
done
loop_rate=$(calc "$loop_events / ($(printf '%s\n' "${loop_ns[@]}" | median) / 1e9)")
row "CPython $py_version, replay loop over pre-decoded operations (same trace)" "reference (~3M events/s)" \
    "$(mega "$loop_rate") events/s (loop only)" "—"
timed py-text "$HEAPSIM" run "$PY_TRACE"
text_rate=$(calc "$py_events / $T_WALL")
timed py-htb "$HEAPSIM" run "${PY_TRACE%.trace}.htb"
htb_rate=$(calc "$py_events / $T_WALL")
buffer=$("$SWEEP" "$PY_TRACE" --configs 1 --threads 1)
buffer_rate=$(kv "$buffer" events_per_s)
versus() {  # heapsim rate, goal factor: "Nx the loop (Mx the straight-line program)"
    printf '%.1fx the replay loop (%.2fx the straight-line program); %s events/s' \
        "$(calc "$1 / $loop_rate")" "$(calc "$1 / $py_rate")" "$(mega "$1")"
}
row "heapsim from text vs CPython" "≥ 5x" "$(versus "$text_rate") whole process" \
    "$(verdict "$text_rate / $loop_rate >= 5")"
row "heapsim from .htb vs CPython" "≥ 15x" "$(versus "$htb_rate") whole process" \
    "$(verdict "$htb_rate / $loop_rate >= 15")"
row "heapsim from the EventBuffer vs CPython" "≥ 15x" "$(versus "$buffer_rate") replay only" \
    "$(verdict "$buffer_rate / $loop_rate >= 15")"
# Issue 13's own comparison: from .htb, faster than the interpreter running
# the straight-line program of the same operations (0.28x when filed).
row "heapsim from .htb vs CPython's straight-line program" "> 1x (faster)" \
    "$(printf '%.2f' "$(calc "$htb_rate / $py_rate")")x; $(mega "$htb_rate") vs $(mega "$py_rate") events/s" \
    "$(verdict "$htb_rate / $py_rate > 1")"

# --- 6. micro-benchmarks ---------------------------------------------------
log "micro-benchmarks"
"$MICRO" --benchmark_min_time="$MICRO_TIME" --benchmark_out="$SCRATCH/micro.json" \
    --benchmark_out_format=json >"$SCRATCH/micro.txt" 2>&1 || die "micro-benchmarks failed: see $SCRATCH/micro.txt"
MICRO_TABLE=$("$PYTHON" - "$SCRATCH/micro.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
print("| benchmark | time per iteration | items/s |")
print("|---|---|---|")
for b in doc["benchmarks"]:
    ips = b.get("items_per_second")
    rate = f"{ips / 1e6:.1f}M" if ips else "—"
    print(f"| {b['name']} | {b['real_time']:.3g} {b['time_unit']} | {rate} |")
PY
)

# --- 7. ids that are never reused (issue 13) -----------------------------------
# The twin of the `web` trace whose every allocation names a new id (a
# counter), made by bench/never_reused_ids.awk: the symbol table forgets the
# ids of dead objects (events/symbol_table.h), so it must run like its
# source and stream in the same memory.
UNIQUE=${WEB%.trace}-never-reused.trace
if [[ ! -s $UNIQUE ]]; then
    log "rewriting $(basename "$WEB") with never-reused ids"
    awk -f "$ROOT/bench/never_reused_ids.awk" "$WEB" >"$UNIQUE.tmp" && mv "$UNIQUE.tmp" "$UNIQUE"
fi
log "heapsim run $(basename "$UNIQUE") x$REPS"
timed run-unique "$HEAPSIM" run "$UNIQUE"
unique_rate=$(calc "$(report_value "$SCRATCH/run-unique.out" events) / $T_WALL")
row "text, never-reused ids (twin of \`web\` $(mega "$WEB_EVENTS"))" "≥ 15M events/s" \
    "$(mega "$unique_rate") events/s (wall $T_WALL s, user $T_CPU s, peak RSS $((T_RSS / 1024)) MiB; reused ids: $(mega "${RATE[trace]}"))" \
    "$(verdict "$unique_rate >= 15e6")"
# The longest streamed length of section 3, same seed, ids rewritten on the fly.
log "heapsim gen --profile web --events $n2 -o - | never_reused_ids.awk | heapsim run -"
"$HEAPSIM" gen --profile web --events "$n2" --seed 4 -o - | awk -f "$ROOT/bench/never_reused_ids.awk" |
    /usr/bin/time -f '%e %U %M' -o "$SCRATCH/long-unique.time" "$HEAPSIM" run - >"$SCRATCH/long-unique.out" \
    || die "streaming $n2 never-reused events failed"
read -r _ _ unique_rss <"$SCRATCH/long-unique.time"
row "peak RSS, never-reused vs reused ids, \`web\` $(mega "$n2") streamed" "within 10 %" \
    "$((unique_rss / 1024)) MiB vs $((r2 / 1024)) MiB ($(calc "int(($unique_rss / $r2 - 1) * 1000) / 10") %)" \
    "$(verdict "$unique_rss <= 1.1 * $r2")"
# Where the difference goes, structure by structure (bench/memory_breakdown.cpp,
# forgetting ids as `heapsim run` does), at the shorter streamed length: the
# id-related structures and malloc's totals at the end of the run, never-reused
# vs reused ids. The symbol table holds the live ids plus the dead ones awaiting
# their batch (sim/heap_events.cpp, Heap::forget_ids).
for ids in reused never; do
    if [[ $ids == never ]]; then rewrite=(awk -f "$ROOT/bench/never_reused_ids.awk"); else rewrite=(cat); fi
    "$HEAPSIM" gen --profile web --events "$n1" --seed 4 -o - | "${rewrite[@]}" |
        "$BREAKDOWN" --forget-ids - >"$SCRATCH/breakdown-$ids.out" || die "memory breakdown ($ids ids) failed"
done
pick() { awk -F'  +' -v with_name="$2" 'NF >= 3 && $NF ~ /^(symbols:|id -> object|dead ids|malloc:)/ {
    name = $NF; sub(/ \(.*/, "", name); print $(NF - 1) (with_name ? "\t" name : "") }' "$1"; }
breakdown=$(paste <(pick "$SCRATCH/breakdown-never.out" 1) <(pick "$SCRATCH/breakdown-reused.out" 0) |
    awk -F'\t' '{ printf "%s%s %.0f vs %.0f KiB", (NR > 1 ? "; " : ""), $2, $1 / 1024, $3 / 1024 }')
breakdown+="; never-reused: $(awk '/^symbols: .* held/' "$SCRATCH/breakdown-never.out")"
row "where the bytes go, never-reused vs reused ids, \`web\` $(mega "$n1") streamed" "—" "$breakdown" "—"

# --- report ------------------------------------------------------------------
cpu=$(lscpu | awk -F: '/^Model name/ { gsub(/^ +/, "", $2); print $2; exit }')
cores=$(nproc)
ram=$(free -g | awk '/^Mem:/ { print $2 " GiB" }')
{
    echo "Measured $(date -u +%Y-%m-%d) on $cpu, $cores cores, $ram RAM; $(g++ --version | head -1);"
    echo "heapsim $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), \`bash bench/run.sh${*:+ $*}\` ($MODE sizes)."
    echo
    echo "| target | goal | measured | result |"
    echo "|---|---|---|---|"
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "$MICRO_TABLE"
} | tee "$SCRATCH/results.md"
log "table saved in $SCRATCH/results.md"
