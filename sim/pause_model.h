#pragma once
// The modelled pause of one collection. CPython's collection time is close to
// linear in the objects it examines (update_refs, subtract_refs and
// move_unreachable each walk the young list and its references) plus the
// work of finalizing and freeing the garbage. Constants: docs/model.md.

#include <cstdint>

namespace heapsim {

struct PauseModel {
    std::uint64_t base_ns = 5000;         // fixed cost of starting a collection
    std::uint64_t per_scanned_ns = 45;    // per tracked object examined
    std::uint64_t per_freed_ns = 80;      // per object found unreachable

    std::uint64_t pause_ns(std::uint64_t scanned, std::uint64_t unreachable) const {
        return base_ns + per_scanned_ns * scanned + per_freed_ns * unreachable;
    }
};

}  // namespace heapsim
