#include "workloads/workload.h"

namespace heapsim {

std::optional<WorkloadProfile> workload_profile_by_name(std::string_view name) {
    if (name == "mixed") return WorkloadProfile::Mixed;
    if (name == "web") return WorkloadProfile::Web;
    if (name == "cache") return WorkloadProfile::Cache;
    if (name == "cycles") return WorkloadProfile::Cycles;
    return std::nullopt;
}

WorkloadStats write_workload_trace(WorkloadProfile profile, const WorkloadOptions& options,
                                   std::ostream& out) {
    switch (profile) {
        case WorkloadProfile::Mixed:
            return write_mixed_trace(options, out);
        case WorkloadProfile::Web:
            return write_web_trace(options, out);
        case WorkloadProfile::Cache:
            return write_cache_trace(options, out);
        case WorkloadProfile::Cycles:
            return write_cycles_trace(options, out);
    }
    return {};
}

}  // namespace heapsim
