#include "sweep/merge.h"

#include <algorithm>
#include <map>

#include "sweep/sweep_document.h"

namespace heapsim::sweep {

using nlohmann::ordered_json;

namespace {

struct Part {
    const MergePart* source = nullptr;
    ordered_json doc;
    std::uint64_t k = 0, n = 0;
};

}  // namespace

Checked<ordered_json> merge_parts(const std::vector<MergePart>& inputs) {
    using Result = Checked<ordered_json>;
    if (inputs.empty()) return Result::failure("no parts to merge");
    std::vector<Part> parts;
    for (const MergePart& input : inputs) {
        Part part{&input, ordered_json::parse(input.text, nullptr, false), 0, 0};
        const ordered_json& d = part.doc;
        if (d.is_discarded() || !d.is_object() || d.value("schema", "") != kSweepSchema)
            return Result::failure(input.name + ": not a " + std::string(kSweepSchema) +
                                   " document");
        if (!d.contains("shard") || !d.contains("sweep"))
            return Result::failure(input.name +
                                   ": a whole sweep, not a shard part (only parts written "
                                   "with --shard K/N are merged)");
        try {
            part.k = d.at("shard").at(0).get<std::uint64_t>();
            part.n = d.at("shard").at(1).get<std::uint64_t>();
            d.at("sweep").at("id").get<std::string>();
            d.at("sweep").at("runs").get<std::uint64_t>();
            if (!d.at("runs").is_array() || !d.at("traces").is_array())
                throw std::invalid_argument("runs");
        } catch (const std::exception&) {
            return Result::failure(input.name +
                                   ": a malformed shard part (shard, sweep, traces or runs)");
        }
        if (part.n < 1 || part.k < 1 || part.k > part.n)
            return Result::failure(input.name + ": invalid shard " + std::to_string(part.k) + "/" +
                                   std::to_string(part.n));
        parts.push_back(std::move(part));
    }
    const Part& first = parts.front();
    const ordered_json& sweep = first.doc.at("sweep");
    for (const Part& p : parts) {
        if (p.doc.at("sweep") != sweep || p.doc.at("traces") != first.doc.at("traces"))
            return Result::failure(
                p.source->name + " belongs to a different sweep than " + first.source->name +
                " (sweep " + p.doc.at("sweep").at("id").get<std::string>() + ", not " +
                sweep.at("id").get<std::string>() + "): traces, configurations or budgets differ");
        if (p.n != first.n)
            return Result::failure(p.source->name + " is shard " + std::to_string(p.k) + "/" +
                                   std::to_string(p.n) + " but " + first.source->name + " is of " +
                                   std::to_string(first.n) + " shards");
    }
    std::map<std::uint64_t, const Part*> by_shard;
    for (const Part& p : parts) {
        auto [it, fresh] = by_shard.try_emplace(p.k, &p);
        if (!fresh)
            return Result::failure(it->second->source->name + " and " + p.source->name +
                                   " are both shard " + std::to_string(p.k) + "/" +
                                   std::to_string(p.n));
    }
    std::string missing;
    for (std::uint64_t k = 1; k <= first.n; ++k)
        if (!by_shard.count(k))
            missing +=
                (missing.empty() ? "" : ", ") + std::to_string(k) + "/" + std::to_string(first.n);
    if (!missing.empty())
        return Result::failure("missing shard" +
                               std::string(missing.find(',') == std::string::npos ? " " : "s ") +
                               missing + " of sweep " + sweep.at("id").get<std::string>());

    const std::uint64_t total = sweep.at("runs").get<std::uint64_t>();
    std::vector<const ordered_json*> runs(total, nullptr);
    for (const Part& p : parts) {
        for (const ordered_json& run : p.doc.at("runs")) {
            const std::optional<RunPoint> point = point_of_json(run);
            if (!point || point->run >= total || point->run % p.n != p.k - 1)
                return Result::failure(p.source->name + ": a run that is not shard " +
                                       std::to_string(p.k) + "/" + std::to_string(p.n) + "'s");
            if (runs[point->run] != nullptr)
                return Result::failure(p.source->name + ": run " + std::to_string(point->run) +
                                       " twice");
            runs[point->run] = &run;
        }
    }
    for (std::uint64_t i = 0; i < total; ++i) {
        if (runs[i] == nullptr)
            return Result::failure(by_shard.at(i % first.n + 1)->source->name + ": run " +
                                   std::to_string(i) + " is missing (a truncated part?)");
    }
    std::vector<ordered_json> merged;
    std::vector<RunPoint> points;
    for (const ordered_json* run : runs) {
        merged.push_back(*run);
        points.push_back(*point_of_json(*run));
    }
    std::vector<SweepTrace> traces;
    for (const ordered_json& t : first.doc.at("traces"))
        traces.push_back(SweepTrace{t.value("path", ""), t.value("events", std::uint64_t{0})});
    return sweep_document(traces, merged, points, std::nullopt);
}

}  // namespace heapsim::sweep
