"""Weakrefs with callbacks that no snapshot ever shows: the referent dies by
reference counting between collections (the callback runs outside any
collection and allocates, at times enough to trigger one from inside the
referent's deallocation); weakrefs created and collected together with
their referent in the young generation (a weakref that is garbage itself
is not called back); `weakref.finalize`; and weakrefs with callbacks
created by a `__del__` during a collection to other garbage, which the
collection's weakref step has already passed (called back when
delete_garbage frees the referent)."""
import weakref

from _harness import run


class Node:
    pass


fired = []
junk = []


def on_gone(ref):
    fired.append(1)
    # Allocate enough containers, in cycles, that a collection may start
    # inside the dying referent's deallocation.
    for _ in range(len(fired) % 40):
        n = Node()
        n.me = n


class Late:
    def __init__(self, other):
        self.other = other
        self.me = self

    def __del__(self):
        # A weakref to garbage, created after the weakref step of this
        # collection: its callback runs when delete_garbage frees `other`.
        junk.append(weakref.ref(self.other, on_gone))


def workload():
    keep = []
    for i in range(800):
        # Referent freed by reference counting: the callback fires now.
        a = Node()
        r = weakref.ref(a, on_gone)
        del a
        # Weakref and referent in one cycle of young garbage: no callback.
        b = Node()
        b.wr = weakref.ref(b, on_gone)
        # weakref.finalize on an object in a cycle.
        c = Node()
        c.me = c
        weakref.finalize(c, fired.append, 2)
        del c
        if i % 5 == 0:
            o = Node()
            o.me = o
            Late(o)
            del o
        if i % 3 == 0:
            keep.append(r)
        if len(keep) > 50:
            del keep[:25]
        if len(junk) > 30:
            junk.clear()
    assert fired


run(workload)
