#!/usr/bin/env python3
"""Writes a cycle-heavy trace to standard output: the workload behind
gh-142516 (3.14.5 reverted 3.14.0's incremental collector after services
saw their memory grow).

A live set of 20,000 lists is built and gc.collect() is called; then each
of 150,000 rounds makes a two-list cycle and binds it to one of 500 slots,
which releases the cycle that slot held. Every cycle thus becomes garbage
after surviving about a thousand allocations: long enough to leave the
young generation. tests/unit/sim/collectors_test.cpp builds the same trace.

    python3 traces/make_cycle_churn.py > churn.trace
"""
import sys

LIVE, ROUNDS, SLOTS = 20000, 150000, 500


def main():
    out = sys.stdout
    out.write("heaptrace 1\n")
    for i in range(LIVE):
        out.write(f"alloc x{i} list\nbind x{i} x{i}\n")
    out.write("collect\n")
    for i in range(ROUNDS):
        out.write(f"alloc a{i} list\nalloc b{i} list a{i}\nappend a{i} b{i}\nbind s{i % SLOTS} a{i}\n")


if __name__ == "__main__":
    main()
