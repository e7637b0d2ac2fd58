#!/usr/bin/env bash
# record_and_check.sh VENV PROGRAM WORKDIR [check_recording.py options]:
# records recorder/tests/programs/PROGRAM.py with the venv's interpreter and
# checks the recording against the collector (counts, snapshots) and the
# program's gc.callbacks log.
set -euo pipefail
venv=$1 program=$2 work=$3
shift 3
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$work"
out="$work/$program.hsr" log="$work/$program.log"
rm -f "$out" "$log"
(cd "$work" && "$venv/bin/python" "$root/recorder/tests/programs/$program.py" "$out" "$log")
python3 "$root/recorder/tests/check_recording.py" "$out" --log "$log" "$@"
