#include "verify/python_program.h"

#include <algorithm>
#include <cctype>

#include "sim/type_table.h"

namespace heapsim {

std::string python_identifier(std::string_view prefix, std::string_view token) {
    std::string out(prefix);
    for (char c : token) {
        switch (c) {
            case '_': out += "__"; break;
            case '.': out += "_d"; break;
            case ':': out += "_c"; break;
            case '-': out += "_m"; break;
            case '/': out += "_s"; break;
            default: out += c;
        }
    }
    return out;
}

std::string ordered_identifier(std::string_view prefix, std::string_view token) {
    static constexpr std::string_view kKeyChars =
        "-./0123456789:ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
    static constexpr std::string_view kDigits =
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    std::string out(prefix);
    for (char c : token) {
        const std::size_t rank = kKeyChars.find(c);
        out += kDigits[rank / kDigits.size()];
        out += kDigits[rank % kDigits.size()];
    }
    return out;
}

bool identifier_safe(std::string_view token) {
    for (char c : token)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
    return true;
}

namespace {

const char* kPrologue = R"(import gc, os, sys, weakref
_w = os.write
_id = id
_ref = weakref.ref
_collect = gc.collect
_enable = gc.enable
_disable = gc.disable
_freeze = gc.freeze
_unfreeze = gc.unfreeze
_set_threshold = gc.set_threshold
_get_count = gc.get_count
)";

const char* kWalk = R"(

def _walk(o, p):
    # An index loop: iterating the tuple would allocate an iterator.
    i = 0
    n = len(p)
    while i < n:
        k = p[i]
        v = p[i + 1]
        i += 2
        if k == 1:
            o = getattr(o, v)
        else:
            o = o[v]
    return o

)";

// Instrumented programs announce the interpreter's version first.
const char* kVersionMarker = "_w(2, b'V' + sys.version.split()[0].encode() + b'\\n')\n";

// A plain program reports how long main() took, its own teardown excluded:
// that is the figure bench/run.sh sets against heapsim's replay.
const char* kPlainEpilogue = R"(

gc.collect()
main()
print('events=%d elapsed_ns=%d' % (_events, _elapsed))
)";

const char* kEpilogue = R"(

gc.collect()
gc.collect()
_stderr = sys.stderr
import io
sys.stderr = io.TextIOWrapper(io.FileIO(2, 'w', closefd=False), write_through=True)
gc.set_debug(gc.DEBUG_STATS)
gc.collect()
_w(2, b'S\n')
try:
    main()
except BaseException:
    gc.set_debug(0)
    sys.stderr = _stderr
    _w(2, b'X\n')
    import traceback
    traceback.print_exc()
    sys.exit(3)
gc.set_debug(0)
sys.stderr = _stderr
)";

}  // namespace

PythonProgram::PythonProgram(SymbolTable& symbols, const Simulator& simulator,
                             std::string trace_name, bool plain_attributes, bool instrumented,
                             Naming naming)
    : symbols_(symbols),
      sim_(simulator),
      trace_name_(std::move(trace_name)),
      plain_attributes_(plain_attributes),
      instrumented_(instrumented),
      naming_(naming) {}

// Handles. `_hs` is a ctypes array of PyObject pointers and `_ha` the same
// memory seen as integers: `_ha[i] = _id(x)` writes x's address without
// taking a reference (ctypes keeps nothing for an integer store), `_hs[i]`
// reads it back as a new reference to x that lives only as long as the
// statement's stack slot. Neither allocates a collector-managed object.
std::string PythonProgram::take_slot(Sym id, const std::string& var) {
    std::uint32_t slot;
    if (!free_slots_.empty()) {
        slot = free_slots_.back();
        free_slots_.pop_back();
    } else {
        slot = slots_++;
    }
    slot_of_[id] = slot;
    if (naming_ == Naming::Walk) return "_id(" + var + ")";
    const std::string a = "_ha[" + std::to_string(slot) + "]";
    line(a + " = _id(" + var + ")");
    return a;
}

void PythonProgram::clear_freed_slots() {
    const std::vector<Sym>& freed = sim_.freed_ids();
    for (; freed_seen_ < freed.size(); ++freed_seen_) {
        const auto it = slot_of_.find(freed[freed_seen_]);
        if (it == slot_of_.end()) continue;
        if (naming_ == Naming::Handle) line("_ha[" + std::to_string(it->second) + "] = 0");
        free_slots_.push_back(it->second);
        slot_of_.erase(it);
    }
}

// A set member must be hashable: lists, dicts and sets are not (CPython
// raises TypeError).
std::optional<std::string> PythonProgram::unhashable(Sym id) const {
    const Layout l = sim_.describe(id).layout;
    if (l != Layout::List && l != Layout::Dict && l != Layout::Set) return std::nullopt;
    const char* what = l == Layout::List ? "list" : l == Layout::Dict ? "dict" : "set";
    return "a Python set cannot hold '" + std::string(symbols_.str(id)) + "', a " + what +
           " (unhashable)";
}

std::string PythonProgram::handle(Sym id) const {
    return "_hs[" + std::to_string(slot_of_.at(id)) + "]";
}

Diagnostic PythonProgram::inexpressible(const Event& ev, const std::string& why) const {
    Diagnostic d;
    d.kind = ErrorKind::Syntax;
    d.line = ev.line;
    d.event = ev.number;
    d.message = std::string(event_name(ev.kind)) + ": not expressible in Python: " + why;
    return d;
}

std::string PythonProgram::attr(Sym key) const {
    const std::string_view k = symbols_.str(key);
    return plain_attributes_ ? "k_" + std::string(k) : ordered_identifier("k_", k);
}

std::string PythonProgram::literal_key(Sym key) const {
    return "'" + std::string(symbols_.str(key)) + "'";
}

std::string PythonProgram::class_name(Sym type) const {
    return python_identifier("T_", symbols_.str(type));
}

std::string PythonProgram::callback(Sym label) {
    auto it = std::find(labels_.begin(), labels_.end(), label);
    if (it == labels_.end()) it = labels_.insert(labels_.end(), label);
    return "_cb_" + std::to_string(it - labels_.begin());
}

// An expression for the live object `id`: its temporary, a name bound to it,
// else its handle (or, with Naming::Walk, a walk from a root through
// containers).
std::optional<std::string> PythonProgram::object(const Event& ev, Sym id, Diagnostic& error) const {
    const ObjectInfo info = sim_.describe(id);
    if (!info.live) {
        error = inexpressible(ev, "'" + std::string(symbols_.str(id)) + "' is not live");
        return std::nullopt;
    }
    if (info.creation_ref) return python_identifier("c_", symbols_.str(id));
    if (auto it = names_of_.find(id); it != names_of_.end() && !it->second.empty())
        return python_identifier("v_", symbols_.str(*std::min_element(it->second.begin(), it->second.end())));
    if (naming_ == Naming::Handle) return handle(id);
    const auto path = sim_.access_path(id);
    if (!path) {
        error = inexpressible(ev, "no name or temporary reaches '" + std::string(symbols_.str(id)) +
                                      "' through lists, tuples, dicts or attributes");
        return std::nullopt;
    }
    std::string root = path->root_name != kNoSym ? python_identifier("v_", symbols_.str(path->root_name))
                                                 : python_identifier("c_", symbols_.str(path->root_temp));
    std::string steps;
    for (const PathStep& s : path->steps) {
        switch (s.kind) {
            case PathStep::Index: steps += "0, " + std::to_string(s.index) + ", "; break;
            case PathStep::Key: steps += "2, " + literal_key(s.key) + ", "; break;
            case PathStep::Attribute: steps += "1, '" + attr(s.key) + "', "; break;
        }
    }
    return "_walk(" + root + ", (" + steps + "))";
}

void PythonProgram::release_temps(const std::vector<Sym>& ids) {
    std::vector<Sym> done;
    for (Sym id : ids) {
        if (std::find(done.begin(), done.end(), id) != done.end()) continue;
        done.push_back(id);
        if (sim_.describe(id).creation_ref) line("del " + python_identifier("c_", symbols_.str(id)));
    }
}

std::string PythonProgram::constant_for(const Event& ev, Sym type) const {
    // Distinct values give distinct constant objects; none is collected.
    const std::string n = std::to_string(ev.number);
    const std::string_view t = symbols_.str(type);
    if (t == "float") return n + ".5";
    if (t == "str") return "'s" + n + "'";
    if (t == "bytes") return "b'b" + n + "'";
    return std::to_string(1000000000ULL + ev.number);
}

std::optional<Diagnostic> PythonProgram::add(const Event& ev) {
    ++events_;
    clear_freed_slots();  // what the previous event freed
    marker("_w(2, b'E" + std::to_string(ev.number) + "\\n')");
    Diagnostic error;
    switch (ev.kind) {
        case EventKind::Type:
            if (!ev.decl.instance && (ev.decl.gc || ev.decl.weakrefable))
                return inexpressible(ev, "only instance types and plain atoms can be declared");
            types_.push_back({ev.name, ev.decl});
            return std::nullopt;
        case EventKind::Alloc: return add_alloc(ev);
        case EventKind::Bind: {
            const auto target = object(ev, ev.id, error);
            if (!target) return error;
            const std::string name = python_identifier("v_", symbols_.str(ev.name));
            line(name + " = " + *target);
            release_temps({ev.id});
            if (auto old = name_target_.find(ev.name); old != name_target_.end())
                names_of_[old->second].erase(ev.name);
            name_target_[ev.name] = ev.id;
            names_of_[ev.id].insert(ev.name);
            return std::nullopt;
        }
        case EventKind::Unbind:
            line("del " + python_identifier("v_", symbols_.str(ev.name)));
            if (auto old = name_target_.find(ev.name); old != name_target_.end()) {
                names_of_[old->second].erase(ev.name);
                name_target_.erase(old);
            }
            return std::nullopt;
        case EventKind::Append:
        case EventKind::Set: return add_store(ev);
        case EventKind::Unset:
        case EventKind::Remove:
        case EventKind::Clear: return add_removal(ev);
        case EventKind::Drop:
            line("del " + python_identifier("c_", symbols_.str(ev.id)));
            return std::nullopt;
        case EventKind::Weakref: {
            const auto target = object(ev, ev.ref, error);
            if (!target) return error;
            const std::string w = python_identifier("c_", symbols_.str(ev.id));
            line(w + " = _ref(" + *target + (ev.label != kNoSym ? ", " + callback(ev.label) : "") + ")");
            marker("_w(2, b'A%d\\n' % " + take_slot(ev.id, w) + ")");
            return std::nullopt;
        }
        case EventKind::Collect: line("_collect(" + std::to_string(ev.generation) + ")"); return std::nullopt;
        case EventKind::GcControl: {
            static const char* calls[] = {"_enable()", "_disable()", "_freeze()", "_unfreeze()"};
            line(calls[static_cast<int>(ev.action)]);
            return std::nullopt;
        }
        case EventKind::Threshold: {
            std::string args;
            for (int i = 0; i < ev.nvalues; ++i) args += (i ? ", " : "") + std::to_string(ev.values[i]);
            line("_set_threshold(" + args + ")");
            return std::nullopt;
        }
        case EventKind::Expect: return std::nullopt;  // a check of the model, not an operation
    }
    return std::nullopt;
}

std::optional<Diagnostic> PythonProgram::add_alloc(const Event& ev) {
    Diagnostic error;
    std::vector<std::string> items;
    for (Sym r : ev.refs) {
        auto e = object(ev, r, error);
        if (!e) return error;
        items.push_back(*e);
    }
    const std::string var = python_identifier("c_", symbols_.str(ev.id));
    const std::string_view type = symbols_.str(ev.type);
    auto joined = [&](bool keyed) {
        std::string s;
        for (std::size_t i = 0; i < items.size(); ++i)
            s += (i ? ", " : "") + (keyed ? "'" + std::to_string(i) + "': " : std::string()) + items[i];
        return s;
    };
    bool gc_object = true;
    if (type == "list") {
        line(var + " = [" + joined(false) + "]");
    } else if (type == "tuple") {
        line(var + " = (" + joined(false) + (items.size() == 1 ? ",)" : ")"));
        gc_object = !items.empty();
    } else if (type == "dict") {
        line(var + " = {" + joined(true) + "}");
    } else if (type == "set") {
        std::vector<Sym> sorted(ev.refs.begin(), ev.refs.end());
        std::sort(sorted.begin(), sorted.end());
        if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
            return inexpressible(ev, "a Python set holds each object once");
        for (Sym r : ev.refs)
            if (auto why = unhashable(r)) return inexpressible(ev, *why);
        line(var + " = " + (items.empty() ? std::string("set()") : "{" + joined(false) + "}"));
    } else if (type == "function") {
        if (!items.empty()) return inexpressible(ev, "functions are allocated without references");
        line(var + " = lambda: None");
    } else if (type == "frozenset") {
        return inexpressible(ev, "frozenset construction allocates an argument tuple");
    } else {
        const bool builtin_atom = type == "int" || type == "float" || type == "str" || type == "bytes";
        const auto declared = std::find_if(types_.begin(), types_.end(),
                                           [&](const DeclaredType& t) { return t.name == ev.type; });
        const bool instance = type == "object" || (declared != types_.end() && declared->decl.instance);
        if (builtin_atom || (declared != types_.end() && !instance)) {
            line(var + " = " + constant_for(ev, ev.type));
            gc_object = false;
        } else if (instance) {
            // Each temporary goes right after the store that uses it last, as
            // in the model: a later store can allocate a __dict__ and collect.
            line(var + " = " + class_name(ev.type) + "()");
            marker("_w(2, b'A%d\\n' % " + take_slot(ev.id, var) + ")");
            for (std::size_t i = 0; i < items.size(); ++i) {
                line(var + "." + attr(symbols_.intern(std::to_string(i))) + " = " + items[i]);
                if (std::find(ev.refs.begin() + i + 1, ev.refs.end(), ev.refs[i]) == ev.refs.end())
                    release_temps({ev.refs[i]});
            }
            return std::nullopt;
        } else {
            return inexpressible(ev, "type '" + std::string(type) + "' has no Python analogue");
        }
    }
    const std::string address = take_slot(ev.id, var);
    if (gc_object) marker("_w(2, b'A%d\\n' % " + address + ")");
    release_temps(std::vector<Sym>(ev.refs.begin(), ev.refs.end()));
    return std::nullopt;
}

std::optional<Diagnostic> PythonProgram::add_store(const Event& ev) {
    Diagnostic error;
    const auto container = object(ev, ev.id, error);
    if (!container) return error;
    const auto value = object(ev, ev.ref, error);
    if (!value) return error;
    const ObjectInfo info = sim_.describe(ev.id);
    const bool append = ev.kind == EventKind::Append;
    switch (info.layout) {
        case Layout::List:
            if (append)
                line(*container + ".append(" + *value + ")");
            else
                line(*container + "[" + std::string(symbols_.str(ev.key)) + "] = " + *value);
            break;
        case Layout::Set:
            if (!append) return inexpressible(ev, "sets hold no keys");
            if (sim_.position_of(ev.id, ev.ref))
                return inexpressible(ev, "a Python set holds each object once");
            if (auto why = unhashable(ev.ref)) return inexpressible(ev, *why);
            line(*container + ".add(" + *value + ")");
            break;
        case Layout::Dict: {
            const Sym key = append ? sim_.next_append_key(ev.id) : ev.key;
            line(*container + "[" + literal_key(key) + "] = " + *value);
            break;
        }
        case Layout::Instance: {
            const Sym key = append ? sim_.next_append_key(ev.id) : ev.key;
            line(*container + "." + attr(key) + " = " + *value);
            break;
        }
        default: return inexpressible(ev, "this container type cannot be modified in Python");
    }
    release_temps({ev.ref});
    return std::nullopt;
}

std::optional<Diagnostic> PythonProgram::add_removal(const Event& ev) {
    Diagnostic error;
    const auto container = object(ev, ev.id, error);
    if (!container) return error;
    const ObjectInfo info = sim_.describe(ev.id);
    auto item = [&](std::uint32_t position) -> std::string {
        if (info.layout == Layout::List) return "[" + std::to_string(position) + "]";
        const Sym key = sim_.key_at(ev.id, position);
        return info.layout == Layout::Dict ? "[" + literal_key(key) + "]" : "." + attr(key);
    };
    if (info.layout != Layout::List && info.layout != Layout::Dict &&
        info.layout != Layout::Instance && info.layout != Layout::Set)
        return inexpressible(ev, "this container type cannot be modified in Python");
    if (ev.kind == EventKind::Clear) {
        // A materialized __dict__ is cleared as a dict; inline values one
        // attribute at a time, in the order subtype_clear releases them.
        if (info.layout != Layout::Instance) {
            line(*container + ".clear()");
        } else if (info.materialized) {
            line(*container + ".__dict__.clear()");
        } else {
            // One statement per attribute: an object only its handle names
            // is held in a local across them, as the model holds it.
            const bool held = container->rfind("_hs[", 0) == 0;
            const std::string o = held ? "_held" : *container;
            if (held) line(o + " = " + *container);
            for (Sym key : sim_.clear_order(ev.id)) line("del " + o + "." + attr(key));
            if (held) line("del " + o);
        }
        return std::nullopt;
    }
    if (info.layout == Layout::Set) {
        if (ev.kind == EventKind::Unset) return inexpressible(ev, "sets hold no keys");
        const auto value = object(ev, ev.ref, error);
        if (!value) return error;
        line(*container + ".remove(" + *value + ")");
        return std::nullopt;
    }
    if (ev.kind == EventKind::Unset) {
        if (info.layout == Layout::List)
            line("del " + *container + "[" + std::string(symbols_.str(ev.key)) + "]");
        else
            line("del " + *container + (info.layout == Layout::Dict ? "[" + literal_key(ev.key) + "]"
                                                                    : "." + attr(ev.key)));
        return std::nullopt;
    }
    const auto position = sim_.position_of(ev.id, ev.ref);
    if (!position) return std::nullopt;  // the simulator reports the error
    line("del " + *container + item(*position));
    return std::nullopt;
}

std::string PythonProgram::finish() {
    clear_freed_slots();
    std::string out = "# Generated by heapsim verify from " + trace_name_ +
                      ": the trace's operations on real objects.\n";
    out += kPrologue;
    out += instrumented_ ? kVersionMarker : "import time\n_ns = time.perf_counter_ns\n";
    // The handle arrays, made before the setup collections like the rest of
    // the program's own objects (identical for both namings).
    const std::string n = std::to_string(std::max<std::uint32_t>(slots_, 1));
    out += "import ctypes\n_hs = (ctypes.py_object * " + n + ")()\n_ha = (ctypes.c_size_t * " + n +
           ").from_buffer(_hs)\n";
    out += kWalk;
    bool legacy = false;
    for (const auto& t : types_) legacy = legacy || t.decl.legacy_finalizer;
    if (legacy) out += "import _testcapi\n\n";
    const std::string finalizer_body = instrumented_ ? "_w(2, b'F%d\\n' % _id(self))" : "pass";
    auto declare = [&](Sym name, const TypeDecl& decl) {
        const std::string cls = class_name(name);
        out += "\nclass " + cls + ":\n";
        if (decl.slots >= 0) {
            out += "    __slots__ = (";
            for (Sym key : sim_.type_keys(name)) out += "'" + attr(key) + "', ";
            out += "'__weakref__')\n";
        }
        if (decl.finalizer) out += "\n    def __del__(self):\n        " + finalizer_body + "\n";
        if (decl.legacy_finalizer) out += "\n    def __tp_del__(self):\n        " + finalizer_body + "\n";
        if (decl.slots < 0 && !decl.finalizer && !decl.legacy_finalizer) out += "    pass\n";
        if (decl.legacy_finalizer) out += "\n\n" + cls + " = _testcapi.with_tp_del(" + cls + ")\n";
    };
    declare(symbols_.intern("object"), {});
    for (const auto& t : types_)
        if (t.decl.instance) declare(t.name, t.decl);
    for (std::size_t i = 0; i < labels_.size(); ++i)
        out += "\n\ndef _cb_" + std::to_string(i) + "(r):\n    " +
               (instrumented_ ? "_w(2, b'W" + std::to_string(i) + " %d\\n' % _id(r))" : std::string("pass")) +
               "\n";
    if (!instrumented_) return finish_plain(std::move(out));
    out += "\n\ndef main():\n" + body_;
    // The trace is over: nothing after Z is part of it. Reading the count
    // allocates a tuple, which must not start a collection.
    out += "    _w(2, b'Z\\n')\n";
    out += "    _disable()\n";
    out += "    _w(2, b'C%d %d %d\\n' % _get_count())\n";
    // Leaving main() releases its variables: not part of the trace.
    out += "    _w(2, b'T\\n')\n";
    out += kEpilogue;
    return out;
}

std::string PythonProgram::finish_plain(std::string out) const {
    out += "\n\n_events = " + std::to_string(events_) + "\n_elapsed = 0\n";
    out += "\n\ndef main():\n    global _elapsed\n    _t0 = _ns()\n" + body_;
    out += "    _elapsed = _ns() - _t0\n";
    out += kPlainEpilogue;
    return out;
}

}  // namespace heapsim
