"""Resurrection only through ANOTHER object's finalizer: a `__del__` of a
Holder stores objects that were garbage in the same collection, and have no
finalizer of their own, into a global (a list, an instance in a cycle, a
dict). The Holder itself dies; what it saved survives the collection
(cpython-gc.md §5.7, handle_resurrected_objects)."""
from _harness import run

saved = []


class Child:
    pass


class Holder:
    def __init__(self, i):
        self.i = i
        self.me = self
        child = Child()
        child.me = child  # a cycle of its own, reachable only from the Holder
        child.items = [Child() for _ in range(i % 3)]
        self.child = child
        self.table = {"k": [i], "me": None}
        self.table["me"] = self.table

    def __del__(self):
        if self.i % 7 == 0:
            saved.append(self.child)  # an instance (and its list) resurrected
        elif self.i % 11 == 0:
            saved.append(self.table)  # a dict in a cycle resurrected
        elif self.i % 13 == 0:
            saved.append(self.child.items)  # a plain list resurrected


def workload():
    for i in range(2000):
        Holder(i)
        if len(saved) > 20:
            del saved[:10]


run(workload)
