"""Closures capturing their own cells, generators suspended and abandoned
in cycles, generator expressions."""
from _harness import run


def make_counter():
    count = [0]

    def inc():
        count[0] += 1
        return inc  # the closure refers to itself through its cell

    return inc


def numbers(n):
    holder = {}
    holder["self"] = holder
    for i in range(n):
        yield i, holder


def workload():
    keep = []
    for i in range(3000):
        f = make_counter()
        f()
        g = numbers(10)
        next(g)
        if i % 5 == 0:
            keep.append((f, g))
        total = sum(x for x, _ in numbers(5))
        if len(keep) > 50:
            keep = keep[25:]
        del f, g, total


run(workload)
