#!/usr/bin/env bash
# The sweep benchmark of issue 14: `heapsim sweep` of 64 configurations over
# a 10-million-event `web` trace, on 1 and on 2 threads, beside one
# `heapsim run` of the same trace and a parse of it alone.
#
#   bash bench/sweep.sh [HEAPSIM [SCRATCH]]   # default build/heapsim, build/workloads
#   HEAPSIM_SWEEP_ROUNDS=5 bash bench/sweep.sh         # rounds (default 3)
#   HEAPSIM_SWEEP_EVENTS=1000000 bash bench/sweep.sh   # a quick smoke run
#
# Runs N rounds; each round times the parse alone, `heapsim run`, and the
# sweep on 1 and on 2 threads (alternating which goes first, so that a drift
# of the machine's speed falls on both alike). Prints every round, then the
# median of each measure: the speed-up of 2 threads over 1 (the medians'
# ratio; target >= 1.8x), the per-run replay rate (events/s of one
# configuration, parse excluded) beside `heapsim run`'s, and whether all the
# sweep documents are byte-identical (they must be). Wall times are
# meaningful only on an otherwise idle machine with two free cores; the user
# CPU times beside them say how much work each took whatever the load.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HEAPSIM=${1:-$ROOT/build/heapsim}
SCRATCH=${2:-$ROOT/build/workloads}
EVENTS=${HEAPSIM_SWEEP_EVENTS:-10000000}
ROUNDS=${HEAPSIM_SWEEP_ROUNDS:-3}
TRACE=$SCRATCH/web-$EVENTS.trace
mkdir -p "$SCRATCH"
[[ -s $TRACE ]] || "$HEAPSIM" gen --profile web --events "$EVENTS" --seed 1 -o "$TRACE"

# 64 configurations: 16 gen0 thresholds (log-spaced) x 4 gen1 thresholds,
# the trace's own threshold calls ignored so that each setting holds.
GRID=(--grid threshold0=100..20000:log:16 --grid threshold1=5,10,20,40
      --base cpython-3.11:trace-thresholds=ignore)
# The parse alone: a sweep of one configuration whose shard (2 of 2) owns no
# run, so the trace is read into memory and nothing replayed.
PARSE=(--grid threshold0=700 --shard 2/2)

TIMES=$(mktemp)
trap 'rm -f "$TIMES"' EXIT
measure() {  # prints "wall user maxrss_kb" of "$@", its output discarded
    /usr/bin/time -f '%e %U %M' -o "$TIMES" "$@" >/dev/null
    cat "$TIMES"
}
sweep() {  # sweep THREADS ROUND
    measure "$HEAPSIM" sweep "$TRACE" "${GRID[@]}" --threads "$1" --json "$SCRATCH/sweep-$1-$2.json" -o /dev/null
}

results=()  # per round: parse_wall parse_user run_wall run_user one(wall user rss) two(wall user rss)
for ((r = 1; r <= ROUNDS; r++)); do
    parse=$(measure "$HEAPSIM" sweep "$TRACE" "${PARSE[@]}" -o /dev/null)
    run=$(measure "$HEAPSIM" run "$TRACE" -o /dev/null)
    if ((r % 2)); then
        one=$(sweep 1 "$r")
        two=$(sweep 2 "$r")
    else
        two=$(sweep 2 "$r")
        one=$(sweep 1 "$r")
    fi
    line="$parse $run $one $two"
    results+=("$line")
    awk -v r="$r" -v e="$EVENTS" '{
        printf "round %d: parse %.2f s (user %.2f s), run %.2f s (user %.2f s); sweep 1 thread %.2f s (user %.2f s), 2 threads %.2f s (user %.2f s): %.2fx\n",
               r, $1, $2, $4, $5, $7, $8, $10, $11, $7 / $10
    }' <<<"$line"
done

identical=yes
for ((r = 1; r <= ROUNDS; r++)); do
    for t in 1 2; do
        cmp -s "$SCRATCH/sweep-1-1.json" "$SCRATCH/sweep-$t-$r.json" || identical=no
    done
done

# Medians, column by column; the per-run rate is what one configuration's
# replay costs on one thread: 64 x events / (1-thread sweep - parse).
printf '%s\n' "${results[@]}" | awk -v e="$EVENTS" -v n="$ROUNDS" -v same="$identical" '
    function median(c,   i, j, t, v) {
        for (i = 1; i <= n; i++) v[i] = col[c, i]
        for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
        return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    }
    { for (c = 1; c <= NF; c++) col[c, NR] = $c }
    END {
        pw = median(1); pu = median(2); rw = median(4); ru = median(5)
        ow = median(7); ou = median(8); orss = median(9); tw = median(10); tu = median(11); trss = median(12)
        printf "median of %d rounds:\n", n
        printf "  parse alone:      %.2f s (user %.2f s), %.2fM events/s\n", pw, pu, e / pw / 1e6
        printf "  heapsim run:      %.2f s (user %.2f s), %.2fM events/s (parse and replay, streaming)\n", rw, ru, e / rw / 1e6
        printf "  sweep, 64 runs:   1 thread %.2f s (user %.2f s), 2 threads %.2f s (user %.2f s): speed-up %.2fx (target >= 1.8x)\n", ow, ou, tw, tu, ow / tw
        printf "  per-run replay:   %.2fM events/s per configuration (1 thread, parse excluded); by user CPU %.2fM events/s\n", 64 * e / (ow - pw) / 1e6, 64 * e / (ou - pu) / 1e6
        printf "  peak RSS:         1 thread %.0f MB, 2 threads %.0f MB\n", orss / 1024, trss / 1024
        printf "documents identical across thread counts and rounds: %s\n", same
    }'
