"""__del__ on objects in cycles (PEP 442), including one that resurrects
itself once."""
from _harness import run

saved = []


class Finalized:
    def __init__(self, i):
        self.i = i
        self.me = self

    def __del__(self):
        if self.i % 97 == 0 and not hasattr(self, "back"):
            self.back = True
            saved.append(self)  # resurrected: the collector must notice


def workload():
    for i in range(3000):
        Finalized(i)
        if len(saved) > 5:
            saved.clear()


run(workload)
