"""The program changes the collector's thresholds while it runs."""
import gc

from _harness import run


def workload():
    old = gc.get_threshold()
    junk = []
    for phase, t0 in enumerate((700, 100, 2500, 50, 700)):
        gc.set_threshold(t0, 10, 10)
        for i in range(1500):
            x = [i]
            x.append(x)
            junk.append({"i": x} if i % 3 == 0 else None)
        junk.clear()
    gc.set_threshold(*old)


run(workload)
