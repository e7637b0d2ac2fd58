#pragma once
// Budgets (shared spec cli.md, "Budgets"): limits a run must keep, on
// `run`, `compare` and `sweep`. A broken budget is reported with what,
// where, the limit and by how much, and makes the exit status 1.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/checked.h"
#include "sweep/run_metrics.h"

namespace heapsim::sweep {

enum class BudgetKind { MaxP99Pause, MaxGcTimeShare, MaxPeakBytes, MaxLeakedBytes, FailOnLeak };

/// "max-p99-pause", ...: the option name without its dashes, as in JSON.
const char* budget_name(BudgetKind kind);

struct Budget {
    BudgetKind kind = BudgetKind::MaxP99Pause;
    std::uint64_t limit = 0;  // ns or bytes; FailOnLeak: 0 leaked objects
    double share = 0;         // MaxGcTimeShare: the fraction
};

/// The budgets given, in the order of BudgetKind whatever the order of the
/// flags, so that every report lists them the same way.
struct Budgets {
    std::vector<Budget> list;
    bool empty() const { return list.empty(); }
    void add(Budget budget);
};

/// "250us", "1.5ms", "2s": a duration with its unit (ns, us, ms, s).
Checked<std::uint64_t> parse_duration(std::string_view text);
/// "4096", "512K", "2G": bytes, K/M/G powers of 1024.
Checked<std::uint64_t> parse_size(std::string_view text);
/// "0.05" or "5%": a fraction from 0 to 1.
Checked<double> parse_fraction(std::string_view text);

/// One budget weighed against one run.
struct BudgetCheck {
    BudgetKind kind = BudgetKind::MaxP99Pause;
    bool ok = true;
    bool measurable = true;  // false: the run cannot say (gc time share of an untimed trace)
    std::uint64_t limit = 0, actual = 0;
    double share_limit = 0, share_actual = 0;
    /// "p99 pause 1.20 ms, limit 1.00 ms: over by 200 µs (+20.0%)"
    std::string describe() const;
};

std::vector<BudgetCheck> check_budgets(const Budgets& budgets, const RunMetrics& metrics);

}  // namespace heapsim::sweep
