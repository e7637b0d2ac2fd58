#include "verify/comparison.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <unordered_map>

namespace heapsim {

namespace {

struct Tally {
    std::uint64_t compared = 0, agreed = 0;
    bool all() const { return compared == agreed; }
};

/// Walks two sequences side by side to the end of the longer one;
/// `show(i, model, observed, same)` reports each pair (either may be null).
template <typename Model, typename Observed, typename Same, typename Show>
Tally compare_in_order(const std::vector<Model>& model, const std::vector<Observed>& observed, Same same,
                       Show show) {
    Tally tally;
    const std::size_t n = std::max(model.size(), observed.size());
    for (std::size_t i = 0; i < n; ++i) {
        const Model* m = i < model.size() ? &model[i] : nullptr;
        const Observed* p = i < observed.size() ? &observed[i] : nullptr;
        const bool agree = m && p && same(*m, *p);
        ++tally.compared;
        tally.agreed += agree;
        show(i, m, p, agree);
    }
    return tally;
}

/// Names the interpreter's finalizer and weakref-callback calls by trace id:
/// the address a call prints belongs to the last allocation printed at that
/// address before it. Calls must be resolved in log order.
class Resolver {
public:
    Resolver(const InterpreterLog& log, const ModelSide& model) : log_(log), symbols_(model.symbols) {
        // Which trace id each allocating event created.
        id_at_event_.assign(model.events.size() + 1, kNoSym);
        Event ev;
        for (EventBuffer::Cursor scan = model.events.cursor(); scan.next(ev);) {
            if (ev.kind == EventKind::Alloc || ev.kind == EventKind::Weakref) id_at_event_[ev.number] = ev.id;
        }
    }

    std::string operator()(const ObservedCall& call) {
        while (next_ < log_.allocations.size() && log_.allocations[next_].seq < call.seq) {
            const auto& a = log_.allocations[next_++];
            by_address_[a.address] = std::string(symbols_.str(id_at_event_[a.event]));
        }
        // From 3.12 a collection can run right after the event's own weakref
        // is made and before its address is printed (when it watches an
        // object nothing else reaches): a callback, whose weakref is alive,
        // at the address the event prints next is that weakref's. (Not so
        // for finalizers: a collection run before the event's allocation
        // frees objects whose addresses it may take.)
        if (call.label >= 0)
            for (std::size_t k = next_;
                 k < log_.allocations.size() && log_.allocations[k].event == call.event; ++k)
                if (log_.allocations[k].address == call.address)
                    return std::string(symbols_.str(id_at_event_[call.event]));
        auto it = by_address_.find(call.address);
        return it == by_address_.end() ? std::string("?") : it->second;
    }

    void restart() {
        next_ = 0;
        by_address_.clear();
    }

private:
    const InterpreterLog& log_;
    const SymbolTable& symbols_;
    std::vector<Sym> id_at_event_;
    std::size_t next_ = 0;
    std::unordered_map<std::uint64_t, std::string> by_address_;
};

std::string young(const std::array<std::uint64_t, 3>& g) {
    return std::to_string(g[0]) + "/" + std::to_string(g[1]);
}

std::string triple(const std::array<std::uint64_t, 3>& c) {
    return "(" + std::to_string(c[0]) + ", " + std::to_string(c[1]) + ", " + std::to_string(c[2]) + ")";
}

Tally compare_collections(const RunResult& r, const InterpreterLog& log, bool brief, std::ostream& out) {
    auto same = [](const CollectionRecord& m, const ObservedCollection& p) {
        return m.event == p.event && m.generation == p.generation && m.collected == p.collected &&
               m.uncollectable == p.uncollectable && m.gen_sizes[0] == p.gen_sizes[0] &&
               m.gen_sizes[1] == p.gen_sizes[1];
    };
    auto show = [&](std::size_t i, const CollectionRecord* m, const ObservedCollection* p, bool agree) {
        if (agree && brief) return;
        char buf[256];
        if (m) {
            std::snprintf(buf, sizeof buf,
                          "  #%-4zu event %-7llu gen %d  collected %-5llu uncollectable %-3llu young %s", i + 1,
                          static_cast<unsigned long long>(m->event), m->generation,
                          static_cast<unsigned long long>(m->collected),
                          static_cast<unsigned long long>(m->uncollectable), young(m->gen_sizes).c_str());
        } else {
            std::snprintf(buf, sizeof buf, "  #%-4zu (no collection in heapsim)", i + 1);
        }
        out << buf << (agree ? "  agree" : "  DIFFER") << '\n';
        if (!agree && p)
            out << "        python: event " << p->event << " gen " << p->generation << "  collected "
                << p->collected << " uncollectable " << p->uncollectable << " young " << young(p->gen_sizes)
                << '\n';
        if (!agree && !p) out << "        python: no such collection\n";
    };
    return compare_in_order(r.collections, log.collections, same, show);
}

std::string describe(const FinalizerRecord* f) {
    return f ? "'" + f->id + "' at event " + std::to_string(f->event) : std::string("none");
}

std::string describe(const WeakrefCallbackRecord* w) {
    return w ? "'" + w->weakref + "' (" + w->label + ") at event " + std::to_string(w->event)
             : std::string("none");
}

bool same_call(const FinalizerRecord& m, const FinalizerRecord& p) { return m.event == p.event && m.id == p.id; }

bool same_call(const WeakrefCallbackRecord& m, const WeakrefCallbackRecord& p) {
    return m.event == p.event && m.weakref == p.weakref && m.label == p.label;
}

/// Finalizer and weakref-callback records: only the disagreements are listed.
template <typename Record>
Tally compare_calls(const char* what, const std::vector<Record>& model, const std::vector<Record>& observed,
                    std::ostream& out) {
    auto same = [](const Record& m, const Record& p) { return same_call(m, p); };
    auto show = [&](std::size_t i, const Record* m, const Record* p, bool agree) {
        if (!agree)
            out << "  " << what << " #" << i + 1 << ": heapsim " << describe(m) << ", python " << describe(p)
                << "  DIFFER\n";
    };
    return compare_in_order(model, observed, same, show);
}

std::vector<FinalizerRecord> observed_finalizers(const InterpreterLog& log, Resolver& resolve) {
    std::vector<FinalizerRecord> out;
    for (const ObservedCall& call : log.finalizers) out.push_back({call.event, resolve(call)});
    return out;
}

std::vector<WeakrefCallbackRecord> observed_callbacks(const InterpreterLog& log, Resolver& resolve,
                                                      const ModelSide& model) {
    std::vector<WeakrefCallbackRecord> out;
    for (const ObservedCall& call : log.callbacks) {
        std::string label;
        if (call.label >= 0 && static_cast<std::size_t>(call.label) < model.callback_labels.size())
            label = std::string(model.symbols.str(model.callback_labels[call.label]));
        out.push_back({call.event, resolve(call), std::move(label)});
    }
    return out;
}

}  // namespace

std::vector<FinalizerRecord> interpreter_finalizers(const ModelSide& model,
                                                    const InterpreterLog& log) {
    Resolver resolve(log, model);
    return observed_finalizers(log, resolve);
}

std::vector<WeakrefCallbackRecord> interpreter_callbacks(const ModelSide& model,
                                                         const InterpreterLog& log) {
    Resolver resolve(log, model);
    return observed_callbacks(log, resolve, model);
}

bool compare_with_interpreter(const ModelSide& model, const InterpreterLog& log, bool brief, std::ostream& out) {
    const RunResult& r = model.result;
    const Tally collections = compare_collections(r, log, brief, out);
    Resolver resolve(log, model);
    const Tally finalizers = compare_calls("finalizer", r.finalizers, observed_finalizers(log, resolve), out);
    resolve.restart();
    const Tally callbacks =
        compare_calls("weakref callback", r.weakref_callbacks, observed_callbacks(log, resolve, model), out);
    const auto& fc = r.summary.final_count;
    const bool count_same = log.final_count && *log.final_count == fc;
    out << "collections: " << collections.compared << " compared, " << collections.agreed << " agree\n"
        << "finalizers: " << finalizers.compared << " compared, " << finalizers.agreed << " agree\n"
        << "weakref callbacks: " << callbacks.compared << " compared, " << callbacks.agreed << " agree\n"
        << "final gc.get_count(): heapsim " << triple(fc) << ", python "
        << (log.final_count ? triple(*log.final_count) : std::string("?")) << (count_same ? "  agree" : "  DIFFER")
        << '\n';
    return collections.all() && finalizers.all() && callbacks.all() && count_same;
}

}  // namespace heapsim
