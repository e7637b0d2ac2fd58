#!/usr/bin/env bash
# install_venv.sh PYTHON VENV: a fresh virtual environment of PYTHON with
# heapsim_record installed from the checkout, with no package index.
set -euo pipefail
python=$1 venv=$2 root=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --no-index --disable-pip-version-check -q "$root/recorder"
cd /tmp && "$venv/bin/python" -c "import heapsim_record; print(heapsim_record.__file__)"
