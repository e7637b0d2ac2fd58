"""Proves that heapsim verify's observation does not disturb the collector.

Takes a program written by `heapsim verify --program` and runs it twice on
the same interpreter: as written, and with every piece of instrumentation
(os.write markers, finalizer and callback logging, gc.DEBUG_STATS) replaced
by `pass`. Both print gc.get_count() at the end and, per generation, how
many collections ran and what they collected from just before the last
setup collection to the end (compiling the longer instrumented source makes
more startup allocations; the setup collections wipe those out). Any GC
allocation, free or free-list use by the observer would change them.

usage: observer_check.py PYTHON PROGRAM.py
"""
import re
import subprocess
import sys
import tempfile

START = "_stats0 = gc.get_stats()\n"
SUMMARY = (
    "\nprint(gc.get_count(), [(s['collections'] - s0['collections'],"
    " s['collected'] - s0['collected'], s['uncollectable'] - s0['uncollectable'])"
    " for s, s0 in zip(gc.get_stats(), _stats0)])\n"
)
MARK = "_stderr = sys.stderr\n"
INSTRUMENT = re.compile(r"^(\s*)(_w\(2, .*\)|gc\.set_debug\(gc\.DEBUG_STATS\))\s*$")


def strip(program):
    # The final gc.get_count() line runs after the trace in both versions.
    out = []
    for line in program.splitlines():
        m = INSTRUMENT.match(line)
        out.append(m.group(1) + "pass" if m and "_get_count()" not in line else line)
    return "\n".join(out) + "\n"


def run(python, source):
    if MARK not in source:
        sys.exit("the program has no setup section: is it from heapsim verify?")
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(source.replace(MARK, START + MARK, 1) + SUMMARY)
        path = f.name
    done = subprocess.run([python, path], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{path} failed:\n{done.stderr[-2000:]}")
    return done.stdout.strip().splitlines()[-1]


def main():
    python, program_path = sys.argv[1], sys.argv[2]
    program = open(program_path).read()
    stripped = strip(program)
    replaced = sum(1 for a, b in zip(program.splitlines(), stripped.splitlines()) if a != b)
    if replaced == 0:
        sys.exit("no instrumentation found: is this a heapsim verify program?")
    observed, plain = run(python, program), run(python, stripped)
    print(f"instrumented: {observed}\nplain:        {plain}\n({replaced} instrumentation lines)")
    if observed != plain:
        sys.exit("the observer changed the collector's state")
    print("observer_check: identical")


if __name__ == "__main__":
    main()
