#!/usr/bin/env python3
"""Instructions per event by part of the replay, from a callgrind profile.

    valgrind --tool=callgrind --callgrind-out-file=cg.out heapsim run web1m.htb -q >/dev/null
    python3 bench/ir_profile.py cg.out EVENTS [--functions]

Sums each function's exclusive instruction count (Ir) into the parts named
in docs/performance.md ("Session 7: .htb and the replay step") and divides
by EVENTS (the run's event count). A function no rule names lands in
"other", and --functions lists every function of 0.5 Ir/event or more with
its part, so a new hot function is seen rather than hidden. Needs
callgrind_annotate (valgrind) on PATH.
"""
import re
import subprocess
import sys

# (part, pattern on the demangled name), first match wins.
PARTS = [
    ("decoder (.htb: blocks, CRC, operands)", r"HtbReader::|fold_clmul|crc32|ByteSource|read_htb"),
    ("in-memory buffer (EventBuffer, growing trace)", r"EventBuffer::|GrowingTrace|GrowingReplay|replay_into|BufferSink"),
    ("hand-over and dispatch (sink, Simulator/Heap::apply)", r"ReplaySink::|ReplayLoop::|Simulator::apply|Heap::apply|Heap::dispatch|Heap::safe_point"),
    ("id forgetting (dead ids handed back)", r"forget_ids|SymbolTable::release_id|SymbolTable::retired"),
    ("allocation (alloc: checks, type, object, site stats)", r"Heap::on_alloc|new_object|ObjectTable::create|ObjectTable::append|TypeTable::find|TypeTable::on_new_instance|object_bytes|RefStore::allocate|freelist_pop|may_be_tracked|track_display|note_root|SiteStats"),
    ("deallocation (refcount to 0: cascade, free)", r"dealloc_step|free_object|Heap::decref|release_edges|ObjectTable::unlink|ObjectTable::destroy|RefStore::release|frees_at_once|release_creation_ref"),
    ("reference stores (bind, set, append, drop, ...)", r"Heap::on_(bind|unbind|append|set|unset|remove|clear|drop|weakref)|store_keyed|insert_edge|visit_position|store_from_stack|keyed_edge|check_container|key_index|KeyIndex|maintain_dict_tracking|note_bound|Heap::incref|erase_edge"),
    ("collector (collections, thresholds)", r"collect|deduce_unreachable|move_unreachable|subtract_refs|update_refs|finaliz|threshold|Collector|gc_"),
    ("report and timeline (samples, garbage marking, finish)", r"measure_garbage|add_timeline_sample|timeline|finish|analyse_leaks|leak|retention|compute_statistics|Report|json|write_|format_|SiteStats::fill"),
    ("start-up, I/O and libc", r"_dl_|dl-|memcpy|memmove|memset|malloc|free|operator new|operator delete|read|open|std::"),
]

def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out, events = sys.argv[1], int(sys.argv[2])
    text = subprocess.run(["callgrind_annotate", "--threshold=100", out],
                          capture_output=True, text=True, check=True).stdout
    total = 0
    parts = {name: 0 for name, _ in PARTS}
    parts["other"] = 0
    rows = []
    started = False
    for line in text.splitlines():
        if "PROGRAM TOTALS" in line:
            total = int(line.split()[0].replace(",", ""))
        if "file:function" in line:
            started = True
            continue
        m = re.match(r"\s*([\d,]+)\s+(?:\([^)]*\)\s+)?(\S.*)$", line)
        if not started or not m:
            continue
        ir = int(m.group(1).replace(",", ""))
        name = re.sub(r"^[^:]*:", "", m.group(2), count=1).split(" [")[0]
        part = next((p for p, pat in PARTS if re.search(pat, name)), "other")
        parts[part] += ir
        rows.append((ir, part, name))
    print(f"| part | Ir/event |\n|---|---|")
    for name, ir in parts.items():
        if ir:
            print(f"| {name} | {ir / events:.1f} |")
    print(f"| **whole process** | **{total / events:.1f}** |")
    if "--functions" in sys.argv:
        print()
        for ir, part, name in sorted(rows, reverse=True):
            if ir / events >= 0.5:
                print(f"{ir / events:8.1f}  {part[:24]:24}  {name[:100]}")

if __name__ == "__main__":
    main()
