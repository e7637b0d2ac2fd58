"""Weakrefs, with and without callbacks, to objects whose type has a legacy
tp_del (via _testcapi.with_tp_del, shipped by every interpreter the
recorder supports here): in a cycle such an object is uncollectable, goes
to gc.garbage with what it reaches, and weakrefs to them are neither
cleared nor called back (cpython-gc.md §5.4-5.5: move_legacy_finalizers
runs before handle_weakrefs). The program empties gc.garbage and breaks
the cycles now and then, so that the objects die by reference counting
and their weakrefs' callbacks run outside any collection."""
import gc
import weakref

import _testcapi
from _harness import run


class Legacy:
    def __tp_del__(self):
        pass


Legacy = _testcapi.with_tp_del(Legacy)


class Node:
    pass


def workload():
    fired = []
    refs = []
    for i in range(1500):
        x = Legacy()
        x.me = x
        x.payload = Node()  # reached from the uncollectable object
        refs.append(weakref.ref(x, lambda r: fired.append(1)))
        refs.append(weakref.ref(x.payload, lambda r: fired.append(2)))
        # An ordinary cycle beside it, with a called-back weakref.
        y = Node()
        y.me = y
        refs.append(weakref.ref(y, lambda r: fired.append(3)))
        del x, y
        if len(gc.garbage) > 40:
            for g in gc.garbage:
                g.__dict__.clear()
            gc.garbage.clear()
        if len(refs) > 150:
            del refs[:75]
    for g in gc.garbage:
        g.__dict__.clear()
    gc.garbage.clear()


run(workload)
