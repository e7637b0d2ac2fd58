#!/usr/bin/env bash
# The sweep benchmark of issue 14: `heapsim sweep` of 64 configurations over
# a 10-million-event `web` trace, on 1 and then 2 threads, beside one
# `heapsim run` of the same trace.
#
#   bash bench/sweep.sh [HEAPSIM [SCRATCH]]   # default build/heapsim, build/workloads
#   HEAPSIM_SWEEP_EVENTS=1000000 bash bench/sweep.sh   # a quick smoke run
#
# Prints the wall times, the speed-up of 2 threads over 1 (target >= 1.8x),
# the per-run replay rate (events/s of one configuration, see below) beside
# `heapsim run`'s, and whether the two sweep documents are byte-identical
# (they must be). Meaningful only on an otherwise idle machine with two
# free cores; say what else ran.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HEAPSIM=${1:-$ROOT/build/heapsim}
SCRATCH=${2:-$ROOT/build/workloads}
EVENTS=${HEAPSIM_SWEEP_EVENTS:-10000000}
TRACE=$SCRATCH/web-$EVENTS.trace
mkdir -p "$SCRATCH"
[[ -s $TRACE ]] || "$HEAPSIM" gen --profile web --events "$EVENTS" --seed 1 -o "$TRACE"

# 64 configurations: 16 gen0 thresholds (log-spaced) x 4 gen1 thresholds,
# the trace's own threshold calls ignored so that each setting holds.
GRID=(--grid threshold0=100..20000:log:16 --grid threshold1=5,10,20,40
      --base cpython-3.11:trace-thresholds=ignore)

wall() {  # wall seconds of "$@", its output discarded
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f\n", b - a }'
}
run_s=$(wall "$HEAPSIM" run "$TRACE" -o /dev/null)
one_s=$(wall "$HEAPSIM" sweep "$TRACE" "${GRID[@]}" --threads 1 --json "$SCRATCH/sweep-1.json" -o /dev/null)
two_s=$(wall "$HEAPSIM" sweep "$TRACE" "${GRID[@]}" --threads 2 --json "$SCRATCH/sweep-2.json" -o /dev/null)
identical=no
cmp -s "$SCRATCH/sweep-1.json" "$SCRATCH/sweep-2.json" && identical=yes
# Whole-process times: each sweep parses the trace once (as `run` does),
# then replays it 64 times. The per-run rate is what one configuration's
# replay costs on one thread: 64 x events / (1-thread wall - parse time),
# with `run`'s wall standing in for the parse (an upper bound on it).
awk -v e="$EVENTS" -v r="$run_s" -v a="$one_s" -v b="$two_s" -v same="$identical" 'BEGIN {
    printf "heapsim run:        %.2f s, %.2fM events/s (parse and replay, streaming)\n", r, e / r / 1e6
    printf "sweep, 64 runs:     1 thread %.2f s, 2 threads %.2f s: speed-up %.2fx (target >= 1.8x)\n", a, b, a / b
    printf "per-run replay:     %.2fM events/s per configuration (1 thread, parse excluded)\n", 64 * e / (a - r) / 1e6
    printf "documents identical across thread counts: %s\n", same
}'
