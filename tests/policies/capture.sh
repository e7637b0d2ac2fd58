#!/usr/bin/env bash
# Regenerates tests/policies/expected/: what each real interpreter does on
# every scenario trace and every bundled trace, captured by
# `heapsim verify --observed` (docs/policies.md, "Expected values per
# version"). The values come from the interpreters, never from the model;
# verify's verdict is printed beside each trace so a disagreement shows.
#
#   bash tests/policies/capture.sh HEAPSIM [PYTHON...]
#
# Default interpreters: pyenv's 3.11.7, 3.12.1 and 3.13.0 and the launchers
# tools/pythons.sh writes (sid's 3.13, 3.14, 3.15). One file per interpreter,
# python-X.Y.Z.txt, written whole and renamed into place.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
[[ $# -ge 1 ]] || { sed -n '2,12p' "$0"; exit 2; }
HEAPSIM=$(realpath "$1"); shift
if [[ $# -eq 0 ]]; then
    pyenv_root=${PYENV_ROOT:-$HOME/.pyenv}
    set -- "$pyenv_root"/versions/{3.11.7,3.12.1,3.13.0}/bin/python3
    while read -r launcher _; do set -- "$@" "$launcher"; done < <(bash "$ROOT/tools/pythons.sh")
fi
cd "$ROOT"
OUT=tests/policies/expected
mkdir -p "$OUT"
traces=$(ls traces/*.trace traces/scenarios/*.trace | LC_ALL=C sort)
for python in "$@"; do
    version=$("$python" -c 'import sys; print(sys.version.split()[0])' </dev/null)
    file=$OUT/python-$version.txt
    tmp=$(mktemp "$file.XXXXXX")
    one=$(mktemp)
    {
        echo "# What Python $version did on every trace: heapsim verify --observed,"
        echo "# captured by tests/policies/capture.sh on the interpreter. Do not edit."
    } >"$tmp"
    agree=0 total=0
    for trace in $traces; do
        total=$((total + 1))
        if "$HEAPSIM" verify "$trace" --brief --python "$python" --observed "$one" >"$one.verdict" 2>"$one.err"; then
            agree=$((agree + 1))
        elif grep -q 'not expressible in Python' "$one.err"; then
            # No program can perform this trace: the record says so, and the
            # test checks that the translation still refuses it.
            printf 'trace %s\nrefused %s\nend\n' "$trace" "$(head -1 "$one.err")" >"$one"
        elif [[ ! -s $one ]]; then
            echo "capture.sh: verify $trace on $version failed:" >&2
            cat "$one.verdict" "$one.err" >&2
            rm -f "$tmp" "$one" "$one.verdict" "$one.err"
            exit 2
        else
            echo "  $version $trace: heapsim differs (the interpreter's values are kept)" >&2
        fi
        cat "$one" >>"$tmp"
        : >"$one"
    done
    rm -f "$one" "$one.verdict" "$one.err"
    chmod 644 "$tmp"
    mv "$tmp" "$file"
    echo "$file: $total traces, heapsim agrees on $agree"
done
