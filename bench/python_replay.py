#!/usr/bin/env python3
"""CPython replaying a heapsim text trace: the "replay loop" reference.

    python3 bench/python_replay.py TRACE  ->  events=N elapsed_ns=T

What a Python tool that replays traces would do: the trace is decoded into a
list of tuples first (not timed), then one loop dispatches every operation on
real objects: real lists, dicts, tuples and instances of classes declared by
the trace's `type` lines, real names, real weakrefs, real gc calls. Only that
loop is timed.

It is a timing reference, not an oracle (that is `heapsim verify`): an object
is reachable by its id from the moment it is allocated until the last event
that names it, which is at least as long as the trace keeps it alive, so a
few objects live a little longer than in the trace. The operations performed
are the trace's own.
"""
import gc
import sys
import time
import weakref

(ALLOC, SETITEM, SETATTR, APPEND, UNSET_ITEM, UNSET_ATTR, REMOVE, CLEAR, DROP,
 BIND, UNBIND, WEAKREF, COLLECT, GC, THRESHOLD) = range(15)

ATOMS = {"int": lambda n: n + 1000, "float": float, "str": lambda n: "s%d" % n,
         "bytes": lambda n: b"b%d" % n}
BUILTIN_CONTAINERS = {"list", "tuple", "dict", "set", "frozenset", "function"}


def make_class(name, flags, slot_names):
    namespace = {}
    if "finalizer" in flags:
        namespace["__del__"] = lambda self: None
    if any(f.startswith("slots=") for f in flags):
        namespace["__slots__"] = tuple(sorted(slot_names)) + (
            ("__weakref__",) if "finalizer" not in flags else ())
    return type(name, (), namespace)


def decode(path):
    """The trace as tuples (op, a, b, c, ids to forget afterwards)."""
    types, slot_keys, kind_of, ops = {}, {}, {}, []
    with open(path) as f:
        for line in f:
            toks = line.split("#", 1)[0].split()
            if toks and toks[0][0] == "@":
                toks = toks[1:]
            if not toks or toks[0] in ("heaptrace", "expect"):
                continue
            ev, args = toks[0], [t for t in toks[1:] if "=" not in t]
            if ev == "type":
                types[args[0]] = toks[2:]
            elif ev == "alloc":
                kind_of[args[0]] = args[1]  # ids are reused: the kind is the latest alloc's
                ops.append([ALLOC, args[0], args[1], tuple(args[2:])])
            elif ev in ("set", "unset"):
                instance = kind_of[args[0]] in types
                if instance:
                    slot_keys.setdefault(kind_of[args[0]], set()).add(args[1])
                if ev == "set":
                    ops.append([SETATTR if instance else SETITEM, args[0], args[1], args[2]])
                else:
                    ops.append([UNSET_ATTR if instance else UNSET_ITEM, args[0], args[1], None])
            elif ev in ("append", "remove"):
                ops.append([APPEND if ev == "append" else REMOVE, args[0], args[1], None])
            elif ev in ("clear", "drop"):
                ops.append([CLEAR if ev == "clear" else DROP, args[0], None, None])
            elif ev == "bind":
                ops.append([BIND, args[0], args[1], None])
            elif ev == "unbind":
                ops.append([UNBIND, args[0], None, None])
            elif ev == "weakref":
                kind_of[args[0]] = "weakref"
                ops.append([WEAKREF, args[0], args[1], None])
            elif ev == "collect":
                ops.append([COLLECT, int(args[0]) if args else 2, None, None])
            elif ev == "gc":
                ops.append([GC, args[0], None, None])
            elif ev == "threshold":
                ops.append([THRESHOLD, tuple(int(a) for a in args), None, None])
    classes = {name: make_class(name, flags, slot_keys.get(name, ())) for name, flags in types.items()}
    # Each incarnation of an id is forgotten after the last operation that
    # names it (walking backwards, an alloc ends the incarnation seen so far).
    seen = set()
    for op in reversed(ops):
        code = op[0]
        if code == ALLOC:
            ids = [op[1], *op[3]]
            op[2] = classes.get(op[2], op[2])
        elif code in (SETITEM, SETATTR):
            ids = [op[1], op[3]]
        elif code in (APPEND, REMOVE, WEAKREF):
            ids = [op[1], op[2]]
        elif code in (UNSET_ITEM, UNSET_ATTR, CLEAR, DROP):
            ids = [op[1]]
        elif code == BIND:
            ids = [op[2]]
        else:
            ids = []
        op.append(tuple(i for i in dict.fromkeys(ids) if i not in seen))
        seen.update(ids)
        if code in (ALLOC, WEAKREF):
            seen.discard(op[1])
    return [tuple(op) for op in ops]


def replay(ops):
    live, names = {}, {}
    n = 0
    for op, a, b, c, forget in ops:
        if op == ALLOC:
            n += 1
            if isinstance(b, type):
                live[a] = b()
            elif b == "list":
                live[a] = [live[r] for r in c]
            elif b == "tuple":
                live[a] = tuple(live[r] for r in c)
            elif b == "dict":
                live[a] = {}
            elif b == "set":
                live[a] = {live[r] for r in c}
            elif b == "frozenset":
                live[a] = frozenset(live[r] for r in c)
            elif b == "function":
                live[a] = lambda: None
            else:
                live[a] = ATOMS.get(b, lambda n: object())(n)
        elif op == SETITEM:
            live[a][b] = live[c]
        elif op == SETATTR:
            setattr(live[a], b, live[c])
        elif op == APPEND:
            target = live[a]
            if type(target) is list:
                target.append(live[b])
            elif type(target) is dict:
                target[len(target)] = live[b]
            else:
                setattr(target, "a%d" % len(vars(target)), live[b])
        elif op == UNSET_ITEM:
            del live[a][b]
        elif op == UNSET_ATTR:
            delattr(live[a], b)
        elif op == REMOVE:
            target = live[a]
            if type(target) is list:
                target.remove(live[b])
        elif op == CLEAR:
            target = live[a]
            if hasattr(target, "clear"):
                target.clear()
        elif op == BIND:
            names[a] = live[b]
        elif op == UNBIND:
            del names[a]
        elif op == WEAKREF:
            n += 1
            live[a] = weakref.ref(live[b])
        elif op == COLLECT:
            gc.collect(a)
        elif op == GC:
            getattr(gc, a)()
        elif op == THRESHOLD:
            gc.set_threshold(*a)
        for f in forget:
            live.pop(f, None)
    return len(ops)


def main():
    ops = decode(sys.argv[1])
    gc.collect()
    start = time.perf_counter_ns()
    events = replay(ops)
    elapsed = time.perf_counter_ns() - start
    print("events=%d elapsed_ns=%d" % (events, elapsed))


if __name__ == "__main__":
    main()
