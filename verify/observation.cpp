#include "verify/observation.h"

#include <sstream>

namespace heapsim {

namespace {

// The interpreter's log and the model's result name a collection's fields
// alike (ObservedCollection, CollectionRecord).
template <class Collections>
void add_collections(Observation& o, const Collections& collections) {
    for (const auto& c : collections)
        o.collections.push_back({c.event,
                                 c.generation,
                                 c.collected,
                                 c.uncollectable,
                                 {c.gen_sizes[0], c.gen_sizes[1]}});
}

}  // namespace

Observation observation_of(const ModelSide& model, const InterpreterLog& log, std::string trace) {
    Observation o;
    o.trace = std::move(trace);
    o.python = log.version;
    o.interpreter_objects = log.interpreter_objects;
    add_collections(o, log.collections);
    o.finalizers = interpreter_finalizers(model, log);
    o.callbacks = interpreter_callbacks(model, log);
    o.final_count = log.final_count;
    return o;
}

Observation observation_of(const RunResult& r, std::string trace) {
    Observation o;
    o.trace = std::move(trace);
    add_collections(o, r.collections);
    o.finalizers = r.finalizers;
    o.callbacks = r.weakref_callbacks;
    o.final_count = r.summary.final_count;
    return o;
}

namespace {

// An empty name (a callback label the log could not resolve) is written "-".
std::string token(const std::string& s) {
    return s.empty() ? "-" : s;
}
std::string untoken(const std::string& s) {
    return s == "-" ? std::string() : s;
}

}  // namespace

std::string format_observation(const Observation& o) {
    std::ostringstream out;
    out << "trace " << o.trace << '\n';
    if (!o.refused.empty()) {
        out << "refused " << o.refused << "\nend\n";
        return out.str();
    }
    if (!o.python.empty()) out << "python " << o.python << '\n';
    out << "interpreter_objects " << o.interpreter_objects << '\n';
    for (const auto& c : o.collections)
        out << "collection " << c.event << ' ' << c.generation << ' ' << c.collected << ' '
            << c.uncollectable << ' ' << c.young[0] << ' ' << c.young[1] << '\n';
    for (const auto& f : o.finalizers) out << "finalizer " << f.event << ' ' << token(f.id) << '\n';
    for (const auto& w : o.callbacks)
        out << "callback " << w.event << ' ' << token(w.weakref) << ' ' << token(w.label) << '\n';
    if (o.final_count)
        out << "final_count " << (*o.final_count)[0] << ' ' << (*o.final_count)[1] << ' '
            << (*o.final_count)[2] << '\n';
    out << "end\n";
    return out.str();
}

std::optional<std::vector<Observation>> parse_observations(const std::string& text,
                                                           std::string& error) {
    std::vector<Observation> all;
    std::istringstream in(text);
    std::string line;
    std::size_t number = 0;
    bool open = false;
    auto fail = [&](const std::string& what) {
        error = std::to_string(number) + ": " + what;
        return std::nullopt;
    };
    while (std::getline(in, line)) {
        ++number;
        if (line.empty() || line[0] == '#') continue;
        std::istringstream fields(line);
        std::string kind;
        fields >> kind;
        if (kind == "trace") {
            if (open) return fail("'trace' before the previous 'end'");
            all.emplace_back();
            open = true;
            fields >> all.back().trace;
        } else if (!open) {
            return fail("'" + kind + "' outside a 'trace' ... 'end' block");
        } else if (kind == "end") {
            open = false;
            continue;
        } else if (kind == "refused") {
            std::getline(fields >> std::ws, all.back().refused);
            continue;
        } else if (kind == "python") {
            fields >> all.back().python;
        } else if (kind == "interpreter_objects") {
            fields >> all.back().interpreter_objects;
        } else if (kind == "collection") {
            Observation::Collection c;
            fields >> c.event >> c.generation >> c.collected >> c.uncollectable >> c.young[0] >>
                c.young[1];
            all.back().collections.push_back(c);
        } else if (kind == "finalizer") {
            FinalizerRecord f;
            fields >> f.event >> f.id;
            f.id = untoken(f.id);
            all.back().finalizers.push_back(f);
        } else if (kind == "callback") {
            WeakrefCallbackRecord w;
            fields >> w.event >> w.weakref >> w.label;
            w.weakref = untoken(w.weakref);
            w.label = untoken(w.label);
            all.back().callbacks.push_back(w);
        } else if (kind == "final_count") {
            std::array<std::uint64_t, 3> c{};
            fields >> c[0] >> c[1] >> c[2];
            all.back().final_count = c;
        } else {
            return fail("unknown record '" + kind + "'");
        }
        if (fields.fail()) return fail("malformed '" + kind + "' record");
    }
    if (open) return fail("missing 'end'");
    return all;
}

}  // namespace heapsim
