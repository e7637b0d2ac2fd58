#pragma once
// `heapsim import`, snapshot mode ("pin and snapshot", docs/recording.md):
// turns a recording into a v1 trace whose replay runs the recorded
// collections at the recorded points and checks each one.
//
//   - Every object the recording shows in a collection's snapshot becomes a
//     trace object of its recorded type, held by a synthetic root ("pin")
//     until a snapshot proves nothing outside the collected generations
//     refers to it (reference count = references from the snapshot).
//   - At each snapshot its references are set to the recorded referents
//     (append/remove), stale references into objects proven unreferenced
//     from outside are removed, and objects of the collected generations
//     absent from the snapshot are released (they died or were untracked).
//   - Deaths the recording shows (dealloc, freed memory, an address reused)
//     release the object in the trace at that point.
//   - The collector is disabled in the trace; each recorded collection is a
//     `collect GEN` followed by `expect collected N` with the recorded
//     collected + uncollectable, so `heapsim run` reports the first
//     collection where the replay departs from the recording.
//
// The mirror below replicates the model's reference counts (pin + incoming
// references) so that it knows which objects the model frees by cascade.

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "events/event.h"
#include "events/symbol_table.h"
#include "recording/address_map.h"
#include "recording/recording_reader.h"

namespace heapsim {

struct ImportStats {
    std::uint64_t records = 0;
    std::uint64_t collections = 0;
    std::uint64_t snapshot_objects = 0;
    std::uint64_t events = 0;
    std::uint64_t objects = 0;  // trace objects created
    std::string interpreter;
};

class SnapshotImporter {
  public:
    using Sink = std::function<void(const Event&)>;
    SnapshotImporter(SymbolTable& symbols, Sink sink) : symbols_(symbols), sink_(std::move(sink)) {}

    /// Converts the whole recording. False with a message on a bad recording.
    bool run(RecordingReader& reader, std::string& error);
    const ImportStats& stats() const { return stats_; }

  private:
    struct Obj {
        std::uint64_t addr = 0;
        std::uint32_t tid = 0;
        std::uint32_t stamp = 0;       // snapshot number it was last seen in
        std::uint32_t snap_index = 0;  // its position in that snapshot
        std::uint8_t gen = 0;
        bool alive = false;
        bool pinned = false;
        Sym id = kNoSym, pin = kNoSym;
        std::vector<std::uint32_t> out;  // references it holds (multiset)
        std::vector<std::uint32_t> in;   // objects referring to it (multiset)
    };
    struct TypeInfo {
        std::string name;
        std::uint32_t flags = 0;
        std::uint64_t size = 0;
        Sym sym = kNoSym;  // declared in the trace when first used
    };

    void emit(Event& e);
    Sym declare_type(std::uint32_t tid);
    std::uint32_t create(std::uint64_t addr, std::uint32_t tid);
    void pin(std::uint32_t o);
    void unpin(std::uint32_t o);
    void add_ref(std::uint32_t from, std::uint32_t to);
    void remove_ref(std::uint32_t from, std::uint32_t to);
    void release_refs_of(std::uint32_t o);
    void maybe_free(std::uint32_t o);
    void kill(std::uint32_t o);
    void forget_address(std::uint64_t addr);
    bool snapshot(RecordingReader& reader, const Record& start, std::string& error);
    void collected(const Record& stop);

    SymbolTable& symbols_;
    Sink sink_;
    ImportStats stats_;
    std::vector<Obj> objs_;
    AddressMap by_addr_;
    std::unordered_map<std::uint32_t, TypeInfo> types_;
    std::vector<std::uint32_t> gens_[3];
    std::uint32_t snapshot_no_ = 0;
    std::uint64_t time_ns_ = 0;
    std::vector<std::uint32_t> free_stack_;  // cascade work list
    // Snapshot scratch, reused.
    std::vector<std::uint32_t> snap_objs_;
    std::vector<std::uint64_t> snap_refcnt_;
    std::vector<std::uint32_t> snap_ref_begin_;
    std::vector<std::uint64_t> snap_ref_addrs_;
    std::vector<std::uint32_t> internal_;
    std::vector<std::uint8_t> reach_;
    int pending_generation_ = -1;
};

}  // namespace heapsim
