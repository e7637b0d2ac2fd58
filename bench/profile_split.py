#!/usr/bin/env python3
"""Split callgrind profiles into components: instructions (Ir) per event.

bench/profile.sh runs `valgrind --tool=callgrind` on each path of issue 13
(text, JSON Lines, .htb, the in-memory replay, `heapsim import`) and hands
the profiles to this script, which prints one Markdown table: a row per
component, a column per path, then the total and what the target needs.

Components are named in bench/profile_components.txt (one rule per line:
paths | component | regex on the function name). A function's own cost
(callgrind's self cost) goes to the component of its rule; an unmapped
function's cost goes to the component(s) of its nearest mapped callers, in
proportion to the inclusive cost of each call edge (callgrind keeps one
caller level, so a function called from two components is split by those
edges). For mapped functions that nest, this is exactly callgrind's
inclusive cost of each minus that of the mapped functions below it.

Every rule must match a function that ran in every path it names: when a
function is renamed or inlined away the script stops with the rule's line
(exit 1) instead of printing a zero, so the table cannot rot silently.

  profile_split.py --mapping FILE --run NAME=CALLGRIND_OUT:EVENTS[:CPU_S] ...
                   [--target NAME=RATE] [--clock-ghz G] [--explain OUT]
  profile_split.py --list CALLGRIND_OUT [N]      # the top functions, to edit the mapping
  profile_split.py --check-mapping FILE          # syntax and regexes only
"""

import argparse
import re
import sys
from collections import defaultdict

OUTSIDE = "outside main (loader, libc start-up and exit)"


class Profile:
    """Self cost per function and inclusive cost per call edge, Ir only."""

    def __init__(self, path):
        self.path = path
        self.self_cost = defaultdict(int)
        self.edges = defaultdict(int)  # (caller, callee) -> inclusive Ir of those calls
        self.object_of = {}
        self.total = 0
        self._parse()

    def _parse(self):
        names = {"fn": {}, "ob": {}}
        npos = 1
        fn = ob = None
        cfn = cob = None
        pending_call = False
        with open(self.path, encoding="utf-8", errors="replace") as f:
            for raw in f:
                line = raw.rstrip("\n")
                if not line or line.startswith("#"):
                    continue
                c = line[0]
                if c.isdigit() or c in "+-*":
                    fields = line.split()
                    cost = int(fields[npos]) if len(fields) > npos else 0
                    if pending_call:
                        self.edges[(fn, self._key(cfn, cob or ob))] += cost
                        pending_call = False
                        cob = None  # cob= names the target of the next call only
                    else:
                        self.self_cost[fn] += cost
                        self.total += cost
                    continue
                key, _, value = line.partition("=")
                if key in ("fn", "cfn", "ob", "cob"):
                    space = "fn" if key in ("fn", "cfn") else "ob"
                    name = self._name(names[space], value)
                    if key == "fn":
                        fn = self._key(name, ob)
                        self.object_of.setdefault(fn, ob)
                        self.self_cost[fn] += 0
                        cob = None
                    elif key == "cfn":
                        cfn = name
                    elif key == "ob":
                        ob = name
                    else:
                        cob = name
                elif key == "calls":
                    pending_call = True
                elif line.startswith("positions:"):
                    npos = len(line.split()[1:])
                elif line.startswith("events:"):
                    if line.split()[1] != "Ir":
                        sys.exit(f"{self.path}: the first event is not Ir: {line}")
        if self.total == 0:
            sys.exit(f"{self.path}: no costs (was callgrind's collection on?)")

    @staticmethod
    def _key(name, ob):
        # Functions are named by their symbol; the loader's and libc's
        # nameless ones by their object too, so that they stay apart.
        if name.startswith("0x") or name == "(below main)":
            return f"{name} [{ob}]"
        return name

    @staticmethod
    def _name(table, value):
        # Compressed names: "(12) name" defines id 12, "(12)" refers to it.
        m = re.match(r"\((\d+)\)(?: (.*))?$", value)
        if not m:
            return value
        if m.group(2) is not None:
            table[m.group(1)] = m.group(2)
        return table.get(m.group(1), value)

    def inclusive(self):
        inc = dict(self.self_cost)
        for (f, g), w in self.edges.items():
            if f != g:
                inc[f] = inc.get(f, 0) + w
        return inc


class Mapping:
    """bench/profile_components.txt: `paths | component | regex` per line."""

    def __init__(self, path):
        self.path = path
        self.rules = []  # (line number, paths or None for all, component, compiled regex)
        self.components = []
        with open(path, encoding="utf-8") as f:
            for number, raw in enumerate(f, 1):
                line = raw.strip()
                if not line or line.startswith("#"):
                    continue
                parts = [p.strip() for p in line.split("|", 2)]
                if len(parts) != 3 or not all(parts):
                    sys.exit(f"{path}:{number}: expected 'paths | component | regex'")
                # "text,htb (from 500000 events)": a function that runs only
                # on longer traces is required only there.
                m = re.fullmatch(r"(.*?)\s*\(from (\d+) events\)", parts[0])
                least = int(m.group(2)) if m else 0
                names = m.group(1) if m else parts[0]
                paths = None if names == "*" else set(names.split(","))
                try:
                    regex = re.compile(parts[2])
                except re.error as e:
                    sys.exit(f"{path}:{number}: bad regex: {e}")
                self.rules.append((number, paths, parts[1], regex, least))
                if parts[1] not in self.components:
                    self.components.append(parts[1])

    def component_of(self, run, profile, events):
        """Function -> component for one path; fails on a rule that matches nothing."""
        mapped = {}
        hits = defaultdict(int)
        inc = profile.inclusive()
        for fn in profile.self_cost:
            target = f"{fn} [{profile.object_of.get(fn) or '?'}]"
            for number, paths, component, regex, _ in self.rules:
                if paths is not None and run not in paths:
                    continue
                if regex.search(target):
                    mapped[fn] = component
                    if inc.get(fn, 0) > 0:
                        hits[number] += 1
                    break
        missing = [(n, r.pattern) for n, p, _, r, least in self.rules
                   if (p is None or run in p) and not hits[n] and events >= least]
        if missing:
            for n, pattern in missing:
                print(f"{self.path}:{n}: no function that ran matches /{pattern}/ in the '{run}' profile "
                      f"({profile.path}): renamed, inlined or no longer called? Update the mapping "
                      f"(bench/profile_split.py --list {profile.path} shows the functions)",
                      file=sys.stderr)
            sys.exit(1)
        return mapped


def attribute(profile, mapped):
    """Ir per component: self costs, unmapped ones through their callers."""
    callers = defaultdict(list)
    for (f, g), w in profile.edges.items():
        if f != g and w > 0:
            callers[g].append((f, w))
    inc = profile.inclusive()
    unmapped = sorted((fn for fn in profile.self_cost if fn not in mapped), key=lambda fn: -inc.get(fn, 0))
    dist = {fn: {OUTSIDE: 1.0} for fn in unmapped}

    def share(fn):
        return {mapped[fn]: 1.0} if fn in mapped else dist[fn]

    # Callers usually cost more than their callees, so one pass in that order
    # settles a call tree; cycles need a few more.
    for _ in range(200):
        delta = 0.0
        for fn in unmapped:
            edges = callers.get(fn)
            if not edges:
                continue
            total = sum(w for _, w in edges)
            new = defaultdict(float)
            for caller, w in edges:
                for component, x in share(caller).items():
                    new[component] += x * w / total
            old = dist[fn]
            delta = max(delta, max(abs(new.get(k, 0.0) - old.get(k, 0.0)) for k in set(new) | set(old)))
            dist[fn] = dict(new)
        if delta < 1e-12:
            break
    cost = defaultdict(float)
    detail = defaultdict(lambda: defaultdict(float))
    for fn, ir in profile.self_cost.items():
        for component, x in share(fn).items():
            cost[component] += ir * x
            detail[component][fn] += ir * x
    return cost, detail


def short(fn, width=90):
    fn = re.sub(r"std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >", "std::string", fn)
    fn = re.sub(r"std::basic_string_view<char, std::char_traits<char> >", "std::string_view", fn)
    return fn if len(fn) <= width else fn[: width - 3] + "..."


def list_functions(path, n):
    profile = Profile(path)
    inc = profile.inclusive()
    print(f"{profile.total:,} Ir in {path}")
    print(f"{'inclusive':>14} {'self':>14}  function [object]")
    for fn in sorted(inc, key=lambda f: -inc[f])[:n]:
        print(f"{inc[fn]:>14,} {profile.self_cost.get(fn, 0):>14,}  {short(fn, 150)} [{profile.object_of.get(fn)}]")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mapping")
    ap.add_argument("--run", action="append", default=[], metavar="NAME=OUT:EVENTS[:CPU_S]")
    ap.add_argument("--label", action="append", default=[], metavar="NAME=COLUMN HEADING")
    ap.add_argument("--target", action="append", default=[], metavar="NAME=EVENTS_PER_S")
    ap.add_argument("--unit", action="append", default=[], metavar="NAME=event|record")
    ap.add_argument("--clock-ghz", type=float)
    ap.add_argument("--explain", help="write each component's largest functions to this file")
    ap.add_argument("--list", nargs="+", metavar=("CALLGRIND_OUT", "N"))
    ap.add_argument("--check-mapping", metavar="FILE")
    args = ap.parse_args()

    if args.list:
        list_functions(args.list[0], int(args.list[1]) if len(args.list) > 1 else 60)
        return
    if args.check_mapping:
        m = Mapping(args.check_mapping)
        print(f"{args.check_mapping}: {len(m.rules)} rules, {len(m.components)} components")
        return
    if not args.mapping or not args.run:
        ap.error("--mapping and at least one --run are needed")

    mapping = Mapping(args.mapping)
    kv = lambda items: dict(item.split("=", 1) for item in items)
    labels, targets, units = kv(args.label), kv(args.target), kv(args.unit)
    runs = []
    for spec in args.run:
        name, _, rest = spec.partition("=")
        fields = rest.rsplit(":", 2) if rest.count(":") >= 2 else rest.rsplit(":", 1) + [""]
        out, events, cpu = fields[0], int(fields[1]), (float(fields[2]) if fields[2] else None)
        if events <= 0:
            sys.exit(f"--run {spec}: no events")
        profile = Profile(out)
        cost, detail = attribute(profile, mapping.component_of(name, profile, events))
        runs.append((name, profile, events, cpu, cost, detail))

    comps = mapping.components + [OUTSIDE]
    head = [labels.get(r[0], r[0]) for r in runs]
    print("| Ir per event (per record for import) | " + " | ".join(head) + " |")
    print("|---|" + "---:|" * len(runs))
    for c in comps:
        cells = [f"{r[4][c] / r[2]:,.1f}" if r[4].get(c, 0) >= 0.05 * r[2] else "—" for r in runs]
        if all(x == "—" for x in cells):
            continue
        print(f"| {c} | " + " | ".join(cells) + " |")
    row = lambda title, cells: print(f"| {title} | " + " | ".join(cells) + " |")
    row("**total**", [f"**{r[1].total / r[2]:,.1f}**" for r in runs])
    row("events (records) profiled", [f"{r[2]:,}" for r in runs])
    rates = []
    for name, profile, events, cpu, *_ in runs:
        rates.append(profile.total / cpu if cpu else None)
    row("native CPU (user + system), ns per event", [f"{r[3] / r[2] * 1e9:.0f}" if r[3] else "—" for r in runs])
    row("instructions per CPU second (Ir / CPU)",
        [f"{x / 1e9:.2f} G" if x else "—" for x in rates])
    if args.clock_ghz:
        row(f"implied IPC at {args.clock_ghz:.2f} GHz", [f"{x / 1e9 / args.clock_ghz:.2f}" if x else "—" for x in rates])
    row("target", [f"{float(targets[r[0]]) / 1e6:g}M {units.get(r[0], 'event')}s/s" if r[0] in targets else "—"
                   for r in runs])
    row("rate implied now (that IPC)",
        [f"{x / (r[1].total / r[2]) / 1e6:.1f}M/s" if x else "—" for x, r in zip(rates, runs)])
    needed = []
    for x, r in zip(rates, runs):
        t = targets.get(r[0])
        if not (x and t):
            needed.append("—")
            continue
        need, now = x / float(t), r[1].total / r[2]
        needed.append(f"≤ {need:,.0f} ({now / need:.1f}x fewer)" if need < now else f"≤ {need:,.0f} (met)")
    row("Ir per event the target needs at that IPC", needed)

    if args.explain:
        with open(args.explain, "w", encoding="utf-8") as f:
            for name, profile, events, cpu, cost, detail in runs:
                f.write(f"== {name}: {profile.total / events:,.1f} Ir per event ({profile.path})\n")
                for c in comps:
                    if cost.get(c, 0) < 0.05 * events:
                        continue
                    f.write(f"  {c}: {cost[c] / events:,.1f}\n")
                    for fn, ir in sorted(detail[c].items(), key=lambda kv: -kv[1])[:12]:
                        if ir >= 0.05 * events:
                            f.write(f"      {ir / events:9.1f}  {short(fn, 120)}\n")


if __name__ == "__main__":
    main()
