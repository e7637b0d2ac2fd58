"""gc.collect(0), (1), (2) called by the program between batches of
cyclic garbage."""
import gc

from _harness import run


def workload():
    for i in range(200):
        ring = [[] for _ in range(30)]
        for k, node in enumerate(ring):
            node.append(ring[(k + 1) % len(ring)])
        del ring
        if i % 10 == 0:
            gc.collect(i % 3)


run(workload)
