"""Objects in cycles with weak references whose callbacks run during the
collection; caches of weak references."""
import weakref

from _harness import run


class Node:
    pass


def workload():
    fired = []
    cache = weakref.WeakValueDictionary()
    refs = []
    for i in range(4000):
        a, b = Node(), Node()
        a.other, b.other = b, a
        refs.append(weakref.ref(a, lambda r, i=i: fired.append(i)))
        cache[i % 200] = b
        if len(refs) > 100:
            refs = refs[50:]
    assert fired


run(workload)
