#pragma once
// `heapsim merge PART...`: shard parts of one sweep back into the document
// the unsharded sweep writes, byte for byte; parts of different sweeps, a
// missing, duplicated or foreign shard are refused with one line.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "events/checked.h"

namespace heapsim::sweep {

struct MergePart {
    std::string name;  // the file, for messages
    std::string text;  // its contents
};

Checked<nlohmann::ordered_json> merge_parts(const std::vector<MergePart>& parts);

}  // namespace heapsim::sweep
