"""The collector's long-lived counts and gc.freeze(): a full collection
waits until the objects promoted by generation-1 collections since the last
full one reach a quarter of the long-lived ones (long_lived_pending >=
long_lived_total / 4); a large old heap from before the window defers the
window's first full collections. Then gc.freeze() parks everything in the
permanent generation and gc.unfreeze() returns it to the oldest one."""
import gc

from _harness import run

# Before the window: a long-lived heap, and a full collection that counts it
# (long_lived_total), as a service that has run for a while would have.
old_heap = [[i] for i in range(4000)]
gc.collect()


def churn(n, keep):
    for i in range(n):
        x = [i]
        x.append(x)  # cyclic garbage
        if i % 4 == 0:
            keep.append([i])  # a survivor (lists are always tracked)


def workload():
    old = gc.get_threshold()
    gc.set_threshold(100, 2, 2)
    kept = []
    churn(16000, kept)  # generation 2 over its threshold, full collections deferred, then due
    gc.freeze()
    churn(3000, kept)
    gc.unfreeze()
    churn(3000, kept)
    kept.clear()
    churn(3000, kept)
    gc.set_threshold(*old)


run(workload)
