"""Proves that verify's handles are invisible to the collector.

Takes two programs heapsim verify wrote for the same trace, one naming
objects through handles (`--naming handle`, the default: a ctypes array of
addresses, written when an object is made, read back for one statement,
cleared when it dies) and one through walks from a name (`--naming walk`, the
earlier way; same setup, no handle written or read), runs both on the same
interpreter and requires their logs to be identical once addresses are left
out: every collection at the same event with the same generation sizes,
unreachable and uncollectable totals, every finalizer and weakref callback
at the same place, the same final gc.get_count(). Any collector-managed
allocation, reference or free-list use by the handles would move them.

usage: naming_check.py PYTHON HANDLE_PROGRAM.py WALK_PROGRAM.py
"""
import re
import subprocess
import sys

ADDRESS = re.compile(r"^([AF])\d+$|^(W\d+) \d+$")
ELAPSED = re.compile(r", [0-9.]+s elapsed$")


def trace_log(python, path):
    done = subprocess.run([python, path], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{path} failed:\n{done.stderr[-2000:]}")
    lines = done.stderr.splitlines()
    if "S" not in lines:
        sys.exit(f"{path}: no start marker: is it a heapsim verify program?")
    # From the last setup collection's report on: the trace, and the
    # interpreter's own objects that its 25% rule counts.
    start = lines.index("S")
    while start > 0 and not lines[start - 1].startswith("gc: collecting"):
        start -= 1
    out = []
    for line in lines[max(start - 1, 0):]:
        m = ADDRESS.match(line)
        out.append((m.group(1) or m.group(2)) if m else ELAPSED.sub("", line))
    return out


def main():
    python, handle_path, walk_path = sys.argv[1:4]
    if "_hs[" not in open(handle_path).read():
        sys.exit(f"{handle_path} names nothing through a handle: nothing to prove")
    handle, walk = trace_log(python, handle_path), trace_log(python, walk_path)
    collections = sum(1 for line in handle if line.startswith("gc: done"))
    for i, (a, b) in enumerate(zip(handle, walk)):
        if a != b:
            sys.exit(f"line {i}: handles: {a!r}, walks: {b!r}: the handles changed the collector")
    if len(handle) != len(walk):
        sys.exit(f"{len(handle)} lines with handles, {len(walk)} with walks")
    print(f"naming_check: identical ({len(handle)} log lines, {collections} collections)")


if __name__ == "__main__":
    main()
