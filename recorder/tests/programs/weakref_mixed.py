"""Weakref callbacks and finalizers that do more than free their own weakref:
each callback drops the entry that holds its weakref (Handle, a weakref.ref
subclass with a callback) together with a weakref WITHOUT a callback
(PlainRef) and an object whose type name contains "ref" (Prefs), and
allocates; those die in the collection's weakref step before the Handle,
which is freed right after its callback and counts as collected. Every
fifth garbage cycle has a __del__ that allocates, frees an object outside
the garbage and frees garbage (a child only it holds, which CPython then
does not count as collected). Types named like a weakref are not the weakrefs whose callbacks
ran: the WEAKREF records say which are (docs/recording.md). Writes the number
of callbacks that ran inside the window to LOG.fired."""
import sys
import weakref

from _harness import run


class Node:
    pass


class Finalized(Node):
    def __del__(self):
        notes.append([self.i])  # allocates inside the collection
        outside.pop(self.i, None)  # frees an object outside the garbage
        self.child = None  # frees garbage: CPython does not count it


class Prefs:  # not a weakref
    def __init__(self, i):
        self.i = i


class PlainRef(weakref.ref):  # a weakref without a callback
    pass


class Handle(weakref.ref):  # the weakrefs with callbacks
    pass


fired = []
notes = []
outside = {}


def workload():
    global notes
    entries = {}
    anchors = []  # keeps the PlainRefs' referents alive: they are not cleared
    for i in range(3000):
        a, b = (Finalized() if i % 5 == 0 else Node()), Node()
        a.i = i
        a.child = Node()  # garbage only `a` holds
        a.child.data = [i]
        a.other, b.other = b, a  # garbage at the next collection
        outside[i] = [i]
        target = Node()
        anchors.append(target)

        def drop(r, i=i):
            fired.append((i, {"at": i}))  # allocates inside the collection
            del entries[i]  # frees the entry: its PlainRef, its Prefs; the Handle after this call

        entries[i] = (Handle(a, drop), [Prefs(i), PlainRef(target)])
        if len(anchors) > 300:
            anchors = anchors[150:]
        if len(notes) > 100:
            notes = notes[50:]
    fired.append(None)  # the window's end: callbacks after this ran outside it


run(workload)
with open(sys.argv[2] + ".fired", "w") as f:
    f.write("%d\n" % fired.index(None))
