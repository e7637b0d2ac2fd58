"""gc.disable() stretches in which cyclic garbage piles up, then
gc.enable() and the collections that follow."""
import gc

from _harness import run


def workload():
    for stretch in range(6):
        gc.disable()
        for i in range(2000):
            a = {}
            a["self"] = a
        gc.enable()
        for i in range(1500):
            b = []
            b.append(b)


run(workload)
