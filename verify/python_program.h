#pragma once
// Translates a trace into a Python program that performs the same operations
// on real objects, for `heapsim verify`.
//
// Observing the interpreter must not disturb its collector, so the program
// allocates nothing the collector counts beyond the trace's own operations
// (objects are named through non-owning handles, see Naming):
// gcmodule prints each collection itself (gc.DEBUG_STATS, through C stdio
// once sys.stderr is removed), and markers, finalizers and weakref callbacks
// write constant or %-formatted bytes with os.write. docs/verify.md explains
// how that was checked.

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "events/diagnostic.h"
#include "events/event.h"
#include "events/symbol_table.h"
#include "sim/simulator.h"

namespace heapsim {

class PythonProgram {
public:
    /// How the program names an object no name or temporary holds.
    enum class Naming : std::uint8_t {
        /// Through its handle (the default): every live trace object has a
        /// slot in a ctypes array holding its address, read back as the
        /// object for the one statement that uses it, cleared when the
        /// model frees it. Any live object can be named that way.
        Handle,
        /// By a walk from a root through lists, dicts and attributes, as
        /// before handles; an object no root reaches cannot be named. Kept
        /// to prove handles invisible (tests/verify/naming_check.py): same
        /// setup, no handle written or read.
        Walk,
    };

    /// `plain_attributes`: every attribute key of the trace is made of
    /// [A-Za-z0-9_] and can be used as it is; otherwise keys are encoded so
    /// that sorting the Python names sorts the keys (CPython sorts __slots__).
    /// `instrumented` = false leaves out every marker and the gc debug output:
    /// the bare operations, with main() timing itself, for benchmarks
    /// (bench/run.sh compares heapsim with the interpreter that way).
    /// `naming`: see Naming. The simulator must record frees
    /// (SimOptions::record_frees) for handles to be cleared.
    PythonProgram(SymbolTable& symbols, const Simulator& simulator, std::string trace_name,
                  bool plain_attributes, bool instrumented = true, Naming naming = Naming::Handle);

    /// Translates one event. Call it before the simulator applies the event
    /// (it reads the heap as the event finds it). A Diagnostic when Python
    /// cannot express the event.
    std::optional<Diagnostic> add(const Event& ev);

    /// The complete program, after the last event.
    std::string finish();

    /// Index of a weakref callback label in the program's `W<index>` lines.
    const std::vector<Sym>& callback_labels() const { return labels_; }

private:
    std::optional<std::string> object(const Event& ev, Sym id, Diagnostic& error) const;
    std::optional<Diagnostic> add_alloc(const Event& ev);
    std::optional<Diagnostic> add_store(const Event& ev);
    std::optional<Diagnostic> add_removal(const Event& ev);
    Diagnostic inexpressible(const Event& ev, const std::string& why) const;
    void line(const std::string& code) { body_ += "    " + code + "\n"; }
    /// A line that only reports to heapsim verify; left out when not instrumented.
    void marker(const std::string& code) {
        if (instrumented_) line(code);
    }
    std::string finish_plain(std::string out) const;
    void release_temps(const std::vector<Sym>& ids);
    std::string attr(Sym key) const;
    std::string literal_key(Sym key) const;
    std::string constant_for(const Event& ev, Sym type) const;
    std::string class_name(Sym type) const;
    std::string callback(Sym label);
    /// Gives a new trace object a handle slot (after the statement that made
    /// it, held in `var`); returns the expression of its address.
    std::string take_slot(Sym id, const std::string& var);
    /// Clears the handles of the objects the model freed since the last call.
    void clear_freed_slots();
    std::string handle(Sym id) const;
    /// Why `id` cannot be a set member (an unhashable type), or nullopt.
    std::optional<std::string> unhashable(Sym id) const;

    SymbolTable& symbols_;
    const Simulator& sim_;
    std::string trace_name_;
    bool plain_attributes_;
    bool instrumented_;
    std::uint64_t events_ = 0;
    std::string body_;
    struct DeclaredType {
        Sym name;
        TypeDecl decl;
    };
    std::vector<DeclaredType> types_;
    std::vector<Sym> labels_;
    std::unordered_map<Sym, std::unordered_set<Sym>> names_of_;  // object id -> bound names
    std::unordered_map<Sym, Sym> name_target_;                   // name -> object id
    Naming naming_;
    std::unordered_map<Sym, std::uint32_t> slot_of_;  // live object id -> handle slot
    std::vector<std::uint32_t> free_slots_;           // slots of freed objects, reused
    std::uint32_t slots_ = 0;                         // slots ever used (the array's size)
    std::size_t freed_seen_ = 0;                      // simulator's freed_ids() consumed
};

/// A Python identifier for a trace token, one-to-one: letters and digits
/// stay, '_' becomes "__" and the other allowed punctuation "_" + a letter.
std::string python_identifier(std::string_view prefix, std::string_view token);

/// A Python identifier for a key, one-to-one and order-preserving: each
/// character becomes two base-62 digits of its rank among the characters
/// keys may use.
std::string ordered_identifier(std::string_view prefix, std::string_view token);

/// True when `token` is usable in a Python identifier as it is.
bool identifier_safe(std::string_view token);

}  // namespace heapsim
