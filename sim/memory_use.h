#pragma once
// Where a run's memory goes, structure by structure: the bytes each holds
// now, and the end-of-run analysis' scratch at its largest. For
// bench/memory_breakdown.cpp, which divides them by the live objects (the
// profile behind issue 13's "bytes per live object" target).

#include <cstddef>
#include <string>

namespace heapsim {

struct MemoryUse {
    std::string structure;
    std::size_t bytes = 0;
};

}  // namespace heapsim
