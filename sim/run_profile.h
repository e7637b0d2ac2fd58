#pragma once
// What a run says beyond counts: why leaked objects are still alive
// (retention paths), how long objects survived the collector (promotions
// and survivor ages by type and site), what was live at the peak, which
// sites make short-lived temporaries, and a few what-if figures. Filled in
// by the simulator at the end of the run; reporters only print it
// (docs/report.md).

#include <cstdint>
#include <string>
#include <vector>

namespace heapsim {

/// One step of a retention path (report-schema.md, "Retention path"): a root
/// name (first step only), or an object with the key through which the
/// previous step refers to it. A path longer than kMaxPathSteps keeps its
/// first and last steps and one step standing for the `elided` ones between.
struct RetentionStep {
    std::string name;  // root name; set only on a name step
    std::string id, type;
    std::string key;
    bool has_key = false;      // the reference is keyed (dict key, attribute)
    std::uint64_t elided = 0;  // > 0: this step stands for that many left out
};
using RetentionPath = std::vector<RetentionStep>;
inline constexpr std::size_t kPathHead = 32, kPathTail = 31;  // kept around an elision

/// How many objects of an age died before the end, and how many were alive
/// at the end. Age = collections that examined the object and found it
/// reachable (saturates at kMaxAge).
struct AgeCount {
    std::uint32_t age = 0;
    std::uint64_t died = 0, live_at_end = 0;
};
inline constexpr std::uint32_t kMaxAge = 1023;

struct SitePromotions {
    std::string type, site;
    std::uint64_t promoted = 0;  // times its objects moved to an older generation
    std::vector<AgeCount> survivor_age;
};

struct Promotions {
    std::uint64_t total = 0;              // sum of collections[].promoted
    std::vector<AgeCount> survivor_age;   // all trace objects, ascending age
    std::vector<SitePromotions> by_site;  // promoted desc, then type, site; top N
    std::uint64_t sites_omitted = 0;      // (type, site) pairs with promotions beyond N
};

/// Objects and bytes of one (type, site).
struct SiteUsage {
    std::string type, site;
    std::uint64_t objects = 0, bytes = 0;
};

struct PeakPoint {
    std::uint64_t event = 0, value = 0;
};

/// What was live when live bytes first reached their peak.
struct AtPeak {
    std::uint64_t event = 0, live_bytes = 0;
    std::vector<SiteUsage> by_site;  // bytes desc, then type, site; top N
};

/// What a `__dict__` instance type would save with `__slots__`, at the peak
/// (docs/report.md, "What if").
struct SlotsWhatIf {
    std::string type;
    std::uint64_t objects = 0;     // live at the peak
    std::uint64_t attributes = 0;  // attribute names its instances used
    std::uint64_t bytes = 0;       // their bytes at the peak
    std::uint64_t bytes_saved = 0;
};

/// How the cyclic-garbage figures of the timeline were obtained.
struct GarbageMarking {
    std::uint64_t marks = 0;            // exact measurements (heap marks)
    std::uint64_t visits = 0;           // objects and references they visited
    std::uint64_t samples_carried = 0;  // samples that kept an earlier measurement
};

struct RunProfile {
    Promotions promotions;
    PeakPoint peak_live_bytes, peak_cyclic_garbage_bytes;
    AtPeak at_peak;
    std::vector<SiteUsage> temporaries;  // bytes desc, then type, site; top N
    std::uint64_t temporary_window = 0;  // "soon": freed within this many events
    std::vector<SlotsWhatIf> slots_what_if;
    GarbageMarking marking;
};

}  // namespace heapsim
