#!/usr/bin/env bash
# install_unpacked.sh PYTHON DIR: for an interpreter without pip or venv
# (Debian sid's python3.X-minimal run from tools/pythons.sh): builds the
# wheel with the in-tree backend alone (stdlib + C compiler) and unpacks it
# into DIR, to be used with PYTHONPATH=DIR. HEAPSIM_RECORD_CFLAGS may add
# -I for headers unpacked elsewhere.
set -euo pipefail
python=$1 dir=$2 root=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$dir" && mkdir -p "$dir"
"$python" - "$root/recorder" "$dir" <<'PY'
import os, sys, tempfile, zipfile
recorder, target = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(recorder, "backend"))
import heapsim_record_build as backend
with tempfile.TemporaryDirectory() as wheels:
    name = backend.build_wheel(wheels)
    with zipfile.ZipFile(os.path.join(wheels, name)) as z:
        z.extractall(target)
print(name)
PY
cd /tmp && PYTHONPATH="$dir" "$python" -c "import heapsim_record, sys; r = heapsim_record.unsupported_reason(); print(heapsim_record.__file__, r or 'supported'); sys.exit(1 if r else 0)"
