#!/usr/bin/env bash
# Instructions per keyed store and per delete in one dict of N keys
# (issue 13: O(1) whatever N). For each N, bench/big_dict.py writes the
# workload (JSON document, converted to .htb), `valgrind --tool=callgrind`
# replays it with each binary given, and the inclusive instruction counts
# of Heap::on_set and Heap::on_unset are divided by their calls (M each).
# Instruction counts, not times: they do not depend on the machine's load.
#
# usage: bench/big_dict.sh SCRATCH_DIR BINARY [BINARY...]
#   env: SIZES (default "1000 10000 100000 1000000"), OPS (M, default 1000)
# Scratch: ~0.2 GB at N = 10^6 (the traces stay there for a re-run).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
scratch=$1
shift
sizes=${SIZES:-"1000 10000 100000 1000000"}
ops=${OPS:-1000}
mkdir -p "$scratch"
convert_with=$1  # any binary with `convert`

per_call() {  # callgrind.out function -> "Ir/calls"
    callgrind_annotate --inclusive=yes --threshold=100 "$1" 2>/dev/null |
        awk -v f="$2" '!found && $0 ~ f"\\(" { gsub(",", "", $1); found = $1 } END { print found }'
}

printf '%-10s %-40s %14s %14s\n' N binary "Ir per store" "Ir per delete"
for n in $sizes; do
    trace=$scratch/big-dict-$n-$ops.htb
    if [ ! -s "$trace" ]; then
        python3 "$here/big_dict.py" "$n" "$ops" 1 >"$scratch/big-dict.json"
        "$convert_with" convert "$scratch/big-dict.json" "$trace"
        rm -f "$scratch/big-dict.json"
    fi
    for bin in "$@"; do
        out=$scratch/callgrind.out.$n.$(basename "$bin")
        valgrind --tool=callgrind --callgrind-out-file="$out" "$bin" run "$trace" -q \
            >/dev/null 2>"$scratch/valgrind.log" || true
        set_ir=$(per_call "$out" 'heapsim::Heap::on_set')
        unset_ir=$(per_call "$out" 'heapsim::Heap::on_unset')
        printf '%-10s %-40s %14s %14s\n' "$n" "$bin" \
            "$(awk -v a="${set_ir:-0}" -v m="$ops" 'BEGIN{printf "%.1f", a/m}')" \
            "$(awk -v a="${unset_ir:-0}" -v m="$ops" 'BEGIN{printf "%.1f", a/m}')"
    done
done
