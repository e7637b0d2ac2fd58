#!/usr/bin/env bash
# usage: verify_generated.sh HEAPSIM PYTHON SEED EVENTS [PROFILE]
# Generates one seeded trace (profile mixed unless PROFILE is given) and
# requires exact agreement with the interpreter.
set -euo pipefail
heapsim=$1 python=$2 seed=$3 events=$4 profile=${5:-mixed}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$heapsim" gen --profile "$profile" --events "$events" --seed "$seed" -o "$dir/gen.trace"
"$heapsim" verify "$dir/gen.trace" --brief --python "$python"
