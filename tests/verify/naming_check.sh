#!/usr/bin/env bash
# usage: naming_check.sh HEAPSIM PYTHON (TRACE | --generated SEED [EVENTS])
# Writes a trace's verify program twice, naming objects through handles and
# through walks, and requires identical collector behaviour (naming_check.py).
set -euo pipefail
heapsim=$1 python=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
if [ "$3" = "--generated" ]; then
  "$heapsim" gen --profile mixed --events "${5:-20000}" --seed "$4" --walkable -o "$dir/gen.trace"
  trace=$dir/gen.trace
else
  trace=$3
fi
for naming in handle walk; do
  "$heapsim" verify "$trace" --brief --python "$python" --naming $naming --program "$dir/$naming.py" >/dev/null
done
"$python" "$(dirname "$0")/naming_check.py" "$python" "$dir/handle.py" "$dir/walk.py"
