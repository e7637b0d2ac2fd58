#!/usr/bin/env bash
# launcher.sh VENV|PYTHON WORKDIR: python -m heapsim_record runs a script with its
# arguments and records all of it; a max-seconds window ends by itself;
# a SIGUSR2 window opened and closed by a running program.
set -euo pipefail
venv=$1 work=$2 root=$(cd "$(dirname "$0")/../.." && pwd)
py=$venv
[[ -d $venv ]] && py=$venv/bin/python
check="python3 $root/recorder/tests/check_recording.py"
rm -rf "$work" && mkdir -p "$work" && cd "$work"

cat >script.py <<'PY'
import sys
rings = []
for i in range(int(sys.argv[1])):
    r = [[] for _ in range(5)]
    r[0].append(r)
    rings.append(r if i % 2 else None)
print("args", sys.argv[1:])
PY
"$py" -m heapsim_record -o whole.hsr -- script.py 20000 extra >stdout.txt
grep -qx "args \['20000', 'extra'\]" stdout.txt || { cat stdout.txt; echo "FAIL: script arguments"; exit 1; }
$check whole.hsr --min-collections 5

cat >long.py <<'PY'
import time
end = time.monotonic() + 1.5
keep = []
while time.monotonic() < end:
    x = []
    x.append(x)
PY
"$py" -m heapsim_record -o window.hsr --max-seconds 0.3 long.py
python3 - "$root" window.hsr <<'PY'
import sys
sys.path.insert(0, sys.argv[1] + "/recorder/tests")
import read_recording
h, recs = read_recording.parse(sys.argv[2])
end = [r for r in recs if r[0] == "end"]
times = [r[1] for r in recs if r[0] == "time"]
assert len(end) == 1 and end[0][1] == 1, f"expected one end record with reason 1 (max_seconds), got {end}"
assert max(times) < 1.0e9, f"records written {max(times) / 1e9:.2f} s into a 0.3 s window"
print(f"max window: ended by max_seconds, last record at {max(times) / 1e6:.0f} ms")
PY

cat >service.py <<'PY'
import os, signal, sys, time
import heapsim_record
heapsim_record.install_signal(sys.argv[1] + "/win{n}.hsr", signum=signal.SIGUSR2)
def work(n):
    for i in range(n):
        x = {}
        x["x"] = x
work(5000)
os.kill(os.getpid(), signal.SIGUSR2)   # open a window
work(20000)
os.kill(os.getpid(), signal.SIGUSR2)   # close it
work(5000)
PY
"$py" service.py "$work"
$check "$work/win1.hsr" --min-collections 3
echo "launcher, max window and signal window: ok"
