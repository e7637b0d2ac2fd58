#!/usr/bin/env bash
# record_and_check.sh VENV|PYTHON PROGRAM WORKDIR HEAPSIM REPLAY [check_recording.py options]:
# records recorder/tests/programs/PROGRAM.py with the venv's interpreter (or
# PYTHON, with heapsim_record on PYTHONPATH),
# checks the recording against the collector (counts, snapshots) and the
# program's gc.callbacks log, then imports it with HEAPSIM, replays it and
# compares the replay's collections with the log: REPLAY is "exact" (every
# collection reproduced) or "departures" (heapsim run must report where the
# replay departs: finalizers that resurrect, weakref callbacks). An exact
# program is also imported in events mode (the model decides when to
# collect), whose replay must reproduce every collection too.
set -euo pipefail
venv=$1 program=$2 work=$3 heapsim=$4 replay=$5
shift 5
py=$venv
[[ -d $venv ]] && py=$venv/bin/python
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$work"
out="$work/$program.hsr" log="$work/$program.log"
rm -f "$out" "$log"
(cd "$work" && "$py" "$root/recorder/tests/programs/$program.py" "$out" "$log")
python3 "$root/recorder/tests/check_recording.py" "$out" --log "$log" "$@"
extra=()
[[ $replay == departures ]] && extra=(--allow-departures)
python3 "$root/tests/recorder/replay_check.py" "$heapsim" "$out" "$log" "$work" "${extra[@]}"
if [[ $replay == exact ]]; then
  python3 "$root/tests/recorder/replay_check.py" "$heapsim" "$out" "$log" "$work" --mode events
fi
