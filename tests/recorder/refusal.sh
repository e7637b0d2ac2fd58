#!/usr/bin/env bash
# refusal.sh PYTHON VENV EXPECTED: an interpreter the recorder cannot record
# gets a one-line error naming what is missing (at install, import or
# start()), never a crash or a recording.
set -euo pipefail
python=$1 venv=$2 expected=$3 root=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$venv"
"$python" -m venv "$venv"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
if ! "$venv/bin/python" -m pip install --no-index --disable-pip-version-check -q "$root/recorder" 2>"$out/pip.err"; then
    grep -q "$expected" "$out/pip.err" || { cat "$out/pip.err"; echo "FAIL: pip failed without naming: $expected"; exit 1; }
    echo "refused at install: $(grep -m1 "$expected" "$out/pip.err")"
    exit 0
fi
printf 'x = 1\n' >"$out/script.py"
set +e
(cd "$out" && "$venv/bin/python" -m heapsim_record -o "$out/rec.hsr" "$out/script.py" 2>"$out/err")
status=$?
set -e
lines=$(wc -l <"$out/err")
if [[ $status -ne 2 || $lines -ne 1 ]] || ! grep -q "$expected" "$out/err"; then
    cat "$out/err"
    echo "FAIL: expected exit 2 and one line naming '$expected' (got exit $status, $lines lines)"
    exit 1
fi
[[ ! -e "$out/rec.hsr" ]] || { echo "FAIL: a recording was written"; exit 1; }
echo "refused: $(cat "$out/err")"
