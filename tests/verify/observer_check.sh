#!/usr/bin/env bash
# usage: observer_check.sh HEAPSIM PYTHON (TRACE | --generated SEED)
# Writes the verify program of a trace and proves its instrumentation does
# not change the collector's behaviour (observer_check.py).
set -euo pipefail
heapsim=$1 python=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
if [ "$3" = "--generated" ]; then
  "$heapsim" gen --profile mixed --events 20000 --seed "$4" -o "$dir/gen.trace"
  trace=$dir/gen.trace
else
  trace=$3
fi
"$heapsim" verify "$trace" --brief --python "$python" --program "$dir/program.py" >/dev/null
"$python" "$(dirname "$0")/observer_check.py" "$python" "$dir/program.py"
