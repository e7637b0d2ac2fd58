"""Several threads create and drop objects (cycles, weakref callbacks,
__del__) within the window, so collections start in any of them, and
threads start and end inside it."""
import threading
import weakref

from _harness import run


class Node:
    pass


class Finalized:
    def __init__(self):
        self.me = self

    def __del__(self):
        pass


def worker(k, fired):
    keep = []
    for i in range(400):
        a, b = Node(), Node()
        a.other, b.other = b, a
        a.data = {"k": k, "i": i, "list": [i] * (i % 5)}
        keep.append(weakref.ref(a, fired.append))
        if i % 9 == 0:
            Finalized()
        if len(keep) > 40:
            del keep[:20]


def workload():
    fired = []
    for _ in range(2):
        threads = [threading.Thread(target=worker, args=(k, fired)) for k in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert fired


run(workload)
