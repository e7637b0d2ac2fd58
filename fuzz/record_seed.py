"""Records fuzz/regressions/recording/seed-cpython-3.12.1-weakrefs.hsr, the
recording fuzz target's seed in recording format 2: young collections of
two-object cycles whose members carry weakrefs with and without callbacks,
and a __del__ that resurrects, so the seed holds WEAKREF records (0x11).
Only gen-0 collections, so the snapshots stay small (the seed must fit
fuzz/run.sh's 32 KiB -max_len once decompressed).

    VENV/bin/python fuzz/record_seed.py OUT.hsr && zstd -dc OUT.hsr > SEED

with heapsim_record installed in VENV (tests/recorder/install_venv.sh)."""
import gc
import sys
import weakref

import heapsim_record


class Node:
    pass


class Fin(Node):
    def __del__(self):
        keep.append(self)  # resurrects


keep = []
fired = []


def callback(ref):
    fired.append(1)


gc.collect()
with heapsim_record.recording(sys.argv[1]):
    refs = []
    for i in range(6):
        a, b = Node(), (Fin() if i % 3 == 0 else Node())
        a.b, b.a = b, a
        refs.append(weakref.ref(a, callback))
        refs.append(weakref.ref(b))
        del a, b
        gc.collect(0)
print("callbacks", len(fired), "resurrected", len(keep))
