#include "calibrate/calibration_heaps.h"

#include <sstream>

namespace heapsim {

CollectionCost cost_of(const HeapShape& s) {
    const std::uint64_t live = s.live, degree = s.degree, garbage = s.garbage, fin = s.finalizers,
                        cb = s.callbacks;
    CollectionCost c;
    // The live lists and their root list, the garbage rings, each callback
    // target and its weakref, the list of weakrefs, and the 2-tuple that
    // returns the two roots.
    c.scanned = live + 1 + garbage + fin + 2 * cb + 1 + 1;
    // Ring references, the root lists' items, one slot per instance, each
    // weakref's callback, the tuple's two items.
    c.references = (live + garbage) * degree + live + fin + cb + cb + cb + 2;
    c.freed = garbage + fin + cb;
    c.finalizers = fin;
    c.callbacks = cb;
    return c;
}

// Every heap stays under about 15,000 objects: past that, on the machine
// measured, the cost per object grows with the heap (cache misses) and no
// linear model fits both ends (docs/pauses.md, "Range").
std::vector<HeapShape> training_heaps() {
    std::vector<HeapShape> heaps;
    for (std::uint32_t live : {100u, 400u, 1000u, 4000u, 8000u, 12000u})
        for (std::uint32_t degree : {1u, 4u, 8u}) heaps.push_back({live, degree, 0, 0, 0});
    for (std::uint32_t garbage : {2000u, 6000u, 12000u})
        for (std::uint32_t degree : {1u, 6u}) heaps.push_back({2000, degree, garbage, 0, 0});
    for (std::uint32_t fin : {500u, 2000u, 6000u}) heaps.push_back({2000, 2, 0, fin, 0});
    for (std::uint32_t cb : {500u, 2000u, 6000u}) heaps.push_back({2000, 2, 0, 0, cb});
    heaps.push_back({6000, 3, 3000, 1500, 1500});
    heaps.push_back({5000, 8, 4000, 1000, 500});
    return heaps;
}

std::vector<HeapShape> held_out_heaps() {
    return {{3000, 2, 0, 0, 0},        {9000, 6, 0, 0, 0},         {6000, 3, 5000, 0, 0},
            {3000, 5, 8000, 0, 0},     {5000, 2, 0, 4000, 0},      {5000, 2, 0, 0, 4000},
            {6000, 2, 2500, 800, 800}, {4000, 7, 2000, 2000, 200}, {1500, 1, 1500, 300, 300},
            {8000, 1, 3000, 0, 1500},  {700, 2, 0, 0, 0},          {250, 3, 100, 0, 0}};
}

namespace {

// Each collection runs on a fresh generation 0: a full collection first
// empties the young generations, the heap is built, and gc.collect(0)
// examines exactly what was built (automatic collection is off).
constexpr const char* kPrologue = R"(import gc, os, weakref
from time import perf_counter_ns
gc.disable()
class Fin:
    __slots__ = ('r',)
    def __del__(self):
        pass
class Weak:
    __slots__ = ('r', '__weakref__')
def callback(wr):
    pass
elapsed = [0, 0]
def timer(phase, info):
    if phase == 'start':
        elapsed[0] = perf_counter_ns()
    else:
        elapsed[1] = perf_counter_ns() - elapsed[0]
def ring(objs, degree):
    m = len(objs)
    for i, o in enumerate(objs):
        for j in range(1, degree + 1):
            o.append(objs[(i + j) % m])
def slot_ring(objs):
    for i, o in enumerate(objs):
        o.r = objs[(i + 1) % len(objs)]
def build(live, degree, garbage, fin, cb):
    roots = [[] for _ in range(live)]
    ring(roots, degree)
    ring([[] for _ in range(garbage)], degree)
    slot_ring([Fin() for _ in range(fin)])
    weak = [Weak() for _ in range(cb)]
    slot_ring(weak)
    return roots, [weakref.ref(o, callback) for o in weak]
best = {}
def measure(heap, shape):
    gc.collect()
    built = build(*shape)
    gc.callbacks.append(timer)
    gc.collect(0)
    gc.callbacks.remove(timer)
    del built
    best[heap] = min(best.get(heap, elapsed[1]), elapsed[1])
)";

}  // namespace

std::string calibration_program(const std::vector<HeapShape>& heaps, int repeats) {
    std::ostringstream p;
    p << kPrologue;
    // Rounds over every heap rather than one heap at a time: a burst of
    // load on the machine then slows one round of many heaps, and the
    // fastest of the other rounds still counts for each.
    p << "heaps = [\n";
    for (const HeapShape& h : heaps) {
        p << "    (" << h.live << ", " << h.degree << ", " << h.garbage << ", " << h.finalizers
          << ", " << h.callbacks << "),\n";
    }
    p << "]\nfor _ in range(" << repeats << "):\n"
      << "    for i, shape in enumerate(heaps):\n"
      << "        measure(i, shape)\n"
      << "for i in range(len(heaps)):\n"
      << "    os.write(2, ('heap %d %d\\n' % (i, best[i])).encode())\n";
    p << "os.write(2, b'done\\n')\n";
    return p.str();
}

}  // namespace heapsim
