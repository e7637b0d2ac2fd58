#!/usr/bin/env python3
"""Writes traces/web_service.trace: a request-serving workload for heapsim.

    python3 traces/make_web_service.py > traces/web_service.trace
    python3 traces/make_web_service.py --encoding jsonl > web_service.jsonl
    python3 traces/make_web_service.py --encoding json > web_service.json

Deterministic (fixed seed): the same script always writes the same bytes, and
the test suite checks that the committed trace still matches it. The JSON
encodings carry the same events (the tests check they give the same report).

The service handles REQUESTS requests. Each one allocates a Request with a
headers dict and a params list, a Handler (a class with __del__), a Response
with a body, and short-lived temporaries (lists, tuples, strs). Sessions live
in a cache dict bound to SESSIONS that evicts the oldest entry past
CACHE_SIZE; each session has a weakref with a callback in a registry dict.
Some requests leave garbage for the cyclic collector: a request <-> response
cycle, or a handler <-> request cycle (with a finalizer in it). Two real
leaks are planted: an audit log that only grows, and an error path that
forgets a temporary list.
"""

import json
import random
import sys

SEED = 20240611
REQUESTS = 340
CACHE_SIZE = 40
TEMPLATES = 900     # compiled templates loaded at start-up
SESSION_POOL = 160  # distinct session keys clients come back with
STR_BASE = 49       # sys.getsizeof('') on 64-bit CPython 3.11

rng = random.Random(SEED)
out = []
now = 0


def ev(line, dt=None):
    """One event; with dt the clock advances and the event carries a timestamp."""
    global now
    if dt is None:
        out.append(line)
    else:
        now += dt
        out.append(f"@{now} {line}")


def text(id_, n, site):
    ev(f"alloc {id_} str size={STR_BASE + n} site={site}")


# --- process start-up ------------------------------------------------------
out.append("# web_service.trace: a request-serving workload, written by traces/make_web_service.py.")
out.append("# Do not edit by hand: change the script and regenerate (the tests compare the two).")
out.append("heaptrace 1")
ev("type Request instance")
ev("type Response instance")
ev("type Session instance")
ev("type Handler instance finalizer")

ev("alloc app object site=app/main.py:8", 1_000)
ev("bind app app")
ev("alloc routes dict site=app/routing.py:11")
ev("set app routes routes")
for name in ("index", "login", "search", "profile", "logout"):
    ev(f"alloc view.{name} function site=app/views.py:20")
    ev(f"set routes {name} view.{name}")
ev("alloc cache dict site=app/sessions.py:12")
ev("bind SESSIONS cache")
ev("alloc registry dict site=app/sessions.py:13")
ev("bind SESSION_WEAKREFS registry")
ev("alloc audit_log list site=app/audit.py:7")
ev("bind AUDIT_LOG audit_log")
# Templates compiled at import time: enough container allocations for the
# collector's first automatic (threshold) collection.
ev("alloc templates list site=app/templates.py:30")
ev("bind TEMPLATES templates")
for k in range(TEMPLATES):
    ev(f"alloc tpl{k} dict site=app/templates.py:34", 2_000)
    ev(f"append templates tpl{k}")
# Long-lived start-up objects are frozen out of the collector's way (gc.freeze()).
ev("gc freeze")

# --- serving ---------------------------------------------------------------
cache = []       # session keys in insertion order (oldest first)
sessions = {}    # key -> (session id, weakref id)
created = 0
routes = ["index", "login", "search", "profile", "logout"]

for i in range(1, REQUESTS + 1):
    req, hdr, params, hd, resp = f"req{i}", f"hdr{i}", f"params{i}", f"hd{i}", f"resp{i}"
    route = rng.choice(routes)
    ev(f"alloc {req} Request site=app/server.py:88", rng.randint(150_000, 400_000))
    ev(f"bind request {req}")

    # Headers: a dict of strs (never tracked by the collector: no container values).
    ev(f"alloc {hdr} dict site=app/server.py:91")
    ev(f"set {req} headers {hdr}")
    for key, n in (("host", 15), ("user_agent", rng.randint(40, 120)), ("accept", 3)):
        text(f"{hdr}.{key}", n, "app/server.py:93")
        ev(f"set {hdr} {key} {hdr}.{key}")

    # Query parameters: a list of strs.
    ev(f"alloc {params} list site=app/server.py:95")
    for p in range(rng.randint(0, 3)):
        text(f"{params}.{p}", rng.randint(2, 30), "app/server.py:96")
        ev(f"append {params} {params}.{p}")
    ev(f"set {req} params {params}")

    # Session lookup: reuse a cached session or create one, evicting the oldest.
    key = f"sid{rng.randrange(SESSION_POOL)}"
    if key not in sessions:
        created += 1
        sess, wr = f"sess{created}", f"wr{created}"
        ev(f"alloc {sess} Session site=app/sessions.py:40", rng.randint(5_000, 20_000))
        ev(f"set cache {key} {sess}")
        ev(f"weakref {wr} {sess} callback=session_expired")
        ev(f"set registry {key} {wr}")
        sessions[key] = (sess, wr)
        cache.append(key)
        if len(cache) > CACHE_SIZE:
            old = cache.pop(0)
            ev(f"unset cache {old}")     # the session dies here (or at the next collection)
            ev(f"unset registry {old}")  # and its weakref with it
            del sessions[old]
    else:
        sess = sessions[key][0]
    ev(f"set {req} session {sess}")

    # The handler (a class with __del__) runs the view.
    ev(f"alloc {hd} Handler site=app/routing.py:30")
    ev(f"bind handler {hd}")
    ev(f"set {hd} view view.{route}")

    # Temporaries: a few lists and tuples built and thrown away.
    for t in range(rng.randint(2, 5)):
        tmp = f"tmp{t}"
        ev(f"alloc {tmp} list site=app/handlers.py:42")
        for k in range(rng.randint(0, 4)):
            text(f"{tmp}.{k}", rng.randint(1, 24), "app/handlers.py:43")
            ev(f"append {tmp} {tmp}.{k}")
        if rng.random() < 0.5:
            ev(f"alloc pair{t} tuple {tmp}", rng.randint(1_000, 9_000))
            ev(f"drop pair{t}")
        else:
            ev(f"drop {tmp}", rng.randint(1_000, 9_000))

    # The response and its body.
    ev(f"alloc {resp} Response site=app/handlers.py:57", rng.randint(20_000, 90_000))
    text(f"body{i}", rng.randint(200, 4_000), "app/handlers.py:58")
    ev(f"set {resp} body body{i}")
    ev(f"set {req} response {resp}")
    if i % 23 == 0:
        # Logging middleware keeps a back reference: request <-> response cycle.
        ev(f"set {resp} request {req}")
    if i % 61 == 0:
        # A handler caching its request: a cycle through an object with __del__.
        ev(f"set {hd} request {req}")
        ev(f"set {req} handler {hd}")
    if i % 10 == 0:
        # Audit log entries are kept forever (the planted slow leak).
        ev(f"alloc audit{i}.ts int site=app/audit.py:18")
        text(f"audit{i}.path", 12, "app/audit.py:18")
        ev(f"alloc audit{i} tuple audit{i}.ts audit{i}.path site=app/audit.py:19")
        ev(f"append audit_log audit{i}")
    if i % 97 == 0:
        # An error path builds a list of details and forgets it (never stored, never dropped).
        ev(f"alloc errors{i} list site=app/middleware.py:73")

    ev("unbind handler", rng.randint(5_000, 30_000))
    ev("unbind request")

    if i % 100 == 0:
        ev("collect 0", 1_000)  # a periodic young-generation sweep from a timer

# --- shutdown checks ---------------------------------------------------------
ev("collect", 50_000)
ev("expect count 0 0 0")          # gc.collect() resets every generation's count
ev(f"expect freed req{23 * (REQUESTS // 23)}")  # the last request <-> response cycle
ev(f"expect freed hd{61 * (REQUESTS // 61)}")   # the last handler cycle (its __del__ ran)
ev("collect")
ev("expect collected 0")          # the first collection left no garbage behind
ev("expect alive cache")
ev("expect refcount cache 1")     # only the SESSIONS name holds the cache
ev(f"expect alive {sessions[cache[-1]][0]}")
ev("expect freed req1")          # an ordinary request dies by reference counting


def to_json(line):
    """The JSON form of one text event line written above."""
    tokens = line.split()
    ev = {}
    if tokens[0].startswith("@"):
        ev["t"] = int(tokens.pop(0)[1:])
    options = dict(t.split("=", 1) for t in tokens if "=" in t)
    ops = [t for t in tokens if "=" not in t]
    name, args = ops[0], ops[1:]
    obj = {"ev": name}
    if name == "type":
        obj["name"] = args[0]
        for flag in args[1:]:
            obj[flag] = True
    elif name == "alloc":
        obj.update(id=args[0], type=args[1])
        if args[2:]:
            obj["refs"] = args[2:]
    elif name in ("bind",):
        obj.update(name=args[0], id=args[1])
    elif name == "unbind":
        obj["name"] = args[0]
    elif name == "append":
        obj.update(id=args[0], ref=args[1])
    elif name == "set":
        obj.update(id=args[0], key=args[1], ref=args[2])
    elif name == "unset":
        obj.update(id=args[0], key=args[1])
    elif name == "drop":
        obj["id"] = args[0]
    elif name == "weakref":
        obj.update(id=args[0], target=args[1])
    elif name == "collect":
        if args:
            obj["gen"] = int(args[0])
    elif name == "gc":
        obj["action"] = args[0]
    elif name == "expect":
        obj["what"] = args[0]
        if args[0] in ("alive", "freed", "refcount"):
            obj["id"] = args[1]
            args = args[2:]
        else:
            args = args[1:]
        if args:
            obj["values"] = [int(v) for v in args]
    else:
        raise ValueError(f"no JSON form for {line!r}")
    for key, value in options.items():
        obj[key] = int(value) if key == "size" else value
    obj.update(ev)
    return obj


events = [line for line in out if not line.startswith("#") and line != "heaptrace 1"]
encoding = sys.argv[2] if sys.argv[1:2] == ["--encoding"] else "text"
if encoding == "text":
    print("\n".join(out))
elif encoding == "jsonl":
    for line in events:
        print(json.dumps(to_json(line), separators=(",", ":")))
elif encoding == "json":
    doc = {"format": "heaptrace", "version": 1, "events": [to_json(line) for line in events]}
    print(json.dumps(doc, separators=(",", ":")))
else:
    sys.exit(f"unknown encoding {encoding!r} (text, jsonl, json)")
