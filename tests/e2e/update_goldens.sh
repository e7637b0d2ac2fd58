#!/usr/bin/env bash
# Regenerates tests/golden/ from the bundled traces with the heapsim you
# built. Never run by CI: run it by hand after a deliberate change of output,
# then read `git diff tests/golden` line by line before committing. A golden
# must be right by the spec, not merely what the program printed.
#
#   HEAPSIM=build/heapsim bash tests/e2e/update_goldens.sh [TRACE...]
#
# Without arguments every traces/*.{trace,jsonl,json,gz,zst} is regenerated.
# Error traces (tests/errors/) are not touched: their expected stderr lines
# are written by hand in each file's header.

set -euo pipefail
cd "$(dirname "$0")/../.."
heapsim=${HEAPSIM:-build/heapsim}
[[ -x "$heapsim" ]] || { echo "no heapsim at $heapsim; build first or set HEAPSIM" >&2; exit 2; }

if (($# == 0)); then
    shopt -s nullglob
    set -- traces/*.trace traces/*.jsonl traces/*.json traces/*.gz traces/*.zst
fi

for trace in "$@"; do
    name=$(basename "$trace")
    read -r -a args <<<"$(sed -n 's/^#[[:space:]]*heapsim-args:[[:space:]]*//p' "$trace" 2>/dev/null | sed -n 1p)"
    set +e
    "$heapsim" run "$trace" ${args[@]+"${args[@]}"} --json - >"tests/golden/$name.json" 2>/dev/null
    "$heapsim" run "$trace" ${args[@]+"${args[@]}"} --format markdown >"tests/golden/$name.md" 2>/dev/null
    "$heapsim" run "$trace" ${args[@]+"${args[@]}"} --format csv >"tests/golden/$name.csv" 2>/dev/null
    "$heapsim" run "$trace" ${args[@]+"${args[@]}"} --format csv --table leaks >"tests/golden/$name.leaks.csv" 2>/dev/null
    # One line per leaked object: kept only where that stays reviewable.
    (($(wc -l <"tests/golden/$name.leaks.csv") <= 500)) || rm -f "tests/golden/$name.leaks.csv"
    "$heapsim" run "$trace" ${args[@]+"${args[@]}"} --format csv --table timeline >"tests/golden/$name.timeline.csv" 2>/dev/null
    "$heapsim" run "$trace" ${args[@]+"${args[@]}"} >"tests/golden/$name.txt" 2>"tests/golden/$name.stderr"
    status=$?
    set -e
    [[ -s "tests/golden/$name.stderr" ]] || rm -f "tests/golden/$name.stderr"
    echo "$trace: exit $status"
done
git --no-pager diff --stat -- tests/golden 2>/dev/null || true
