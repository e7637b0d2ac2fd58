#include "sim/policy.h"

namespace heapsim {

const char* Policy::name() const {
    switch (kind) {
        case PolicyKind::Refcount: return "refcount";
        case PolicyKind::CPython311: return "cpython-3.11";
    }
    return "?";
}

std::optional<Policy> policy_by_name(std::string_view name) {
    Policy p;
    if (name == "cpython-3.11") {
        p.kind = PolicyKind::CPython311;
    } else if (name == "refcount") {
        p.kind = PolicyKind::Refcount;
    } else {
        return std::nullopt;
    }
    return p;
}

std::vector<std::string> policy_names() { return {"cpython-3.11", "refcount"}; }

}  // namespace heapsim
