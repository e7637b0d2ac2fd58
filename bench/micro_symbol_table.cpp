// SymbolTable::intern, the one lookup every reader does for every id, name
// and key: hits (a known id, the common case) and misses (first sight,
// which appends to the arena and may grow the index), on the short ids
// traces use ("o1234").

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "events/symbol_table.h"

namespace heapsim::bench {
namespace {

std::vector<std::string> short_ids(std::size_t n, const char* prefix) {
    std::vector<std::string> ids;
    ids.reserve(n);
    for (std::size_t i = 0; i < n; ++i) ids.push_back(prefix + std::to_string(i));
    return ids;
}

// Interns `range(0)` known ids over and over: the table is as large as a
// trace's live set, so the index does not fit in the smallest caches.
void BM_InternHit(benchmark::State& state) {
    const auto ids = short_ids(static_cast<std::size_t>(state.range(0)), "o");
    SymbolTable table;
    for (const auto& id : ids) table.intern(id);
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(table.intern(ids[i]));
        if (++i == ids.size()) i = 0;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_InternHit)->Arg(1'000)->Arg(1'000'000);

// Interns `range(0)` new ids into a fresh table: arena appends and index
// growth included, as when a trace first names its objects.
void BM_InternMiss(benchmark::State& state) {
    const auto ids = short_ids(static_cast<std::size_t>(state.range(0)), "o");
    for (auto _ : state) {
        SymbolTable table;
        for (const auto& id : ids) benchmark::DoNotOptimize(table.intern(id));
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * ids.size()));
}
BENCHMARK(BM_InternMiss)->Arg(1'000)->Arg(1'000'000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace heapsim::bench
