#!/usr/bin/env bash
# no_callbacks.sh VENV|PYTHON WORKDIR HEAPSIM: a program that registers no
# gc.callbacks (recorder/tests/programs/no_callbacks.py) recorded whole with
# python -m heapsim_record; the collections the recording holds (generation,
# collected, uncollectable, from the recorder's own gc.callbacks entries)
# are the truth its replays must reproduce, in snapshot and events mode.
# On 3.11 the collector allocates the callbacks' info dict inside the
# allocation that triggers the collection: the recording places it.
set -euo pipefail
venv=$1 work=$2 heapsim=$3 root=$(cd "$(dirname "$0")/../.." && pwd)
py=$venv
[[ -d $venv ]] && py=$venv/bin/python
rm -rf "$work" && mkdir -p "$work" && cd "$work"
"$py" -m heapsim_record -o no_callbacks.hsr -- "$root/recorder/tests/programs/no_callbacks.py"
PYTHONPATH="$root/recorder/tests" python3 -c "
import sys, read_recording
h, recs = read_recording.parse('no_callbacks.hsr')
stops = [r for r in recs if r[0] == 'collect_stop']
open('no_callbacks.log', 'w').writelines('%d %d %d\n' % r[1:] for r in stops)
print(len(stops), 'collections recorded')
if len(stops) < 5: sys.exit('FAIL: fewer than 5 collections')
"
python3 "$root/recorder/tests/check_recording.py" no_callbacks.hsr --min-collections 5
python3 "$root/tests/recorder/replay_check.py" "$heapsim" no_callbacks.hsr no_callbacks.log .
python3 "$root/tests/recorder/replay_check.py" "$heapsim" no_callbacks.hsr no_callbacks.log . --mode events
