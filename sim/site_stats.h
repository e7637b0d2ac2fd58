#pragma once
// Per (type, allocation site) statistics kept during the run at the cost of a
// few increments per allocation, free and promotion, with no heap allocation
// per event: live objects and bytes (and their values at the peak of live
// bytes, kept by copy-on-write), promotions, survivor ages at death, and
// temporaries (objects freed by reference counting soon after allocation).
//
// Each object carries one 32-bit word (Object::profile): the index of its
// entry in the low bits and its age (collections survived) in the high bits.

#include <array>
#include <cstdint>
#include <vector>

#include "events/symbol_table.h"
#include "sim/run_profile.h"
#include "sim/type_table.h"

namespace heapsim {

class SiteStats {
  public:
    static constexpr unsigned kIndexBits = 22;
    static constexpr std::uint32_t kIndexMask = (1u << kIndexBits) - 1;
    /// The word of an object counted nowhere (interpreter-internal objects,
    /// and every (type, site) past the first 2^22 - 1).
    static constexpr std::uint32_t kNoEntry = kIndexMask;
    static constexpr std::uint32_t kAgeOne = 1u << kIndexBits;
    /// "Soon" for temporaries: freed by reference counting within this many
    /// events of the event that allocated it (docs/report.md, "Temporaries").
    static constexpr std::uint64_t kTemporaryWindow = 8;

    static std::uint32_t age(std::uint32_t word) { return word >> kIndexBits; }
    /// One more collection survived, saturating at kMaxAge.
    static void add_age(std::uint32_t& word) {
        if (age(word) < kMaxAge) word += kAgeOne;
    }

    /// The word a new object of (type, site) starts with (age 0), after
    /// counting it live.
    /// Inline, like on_free: one of each per object of the run.
    std::uint32_t on_alloc(TypeId type, Sym site, std::uint64_t bytes) {
        const std::uint32_t e = find_or_add(type, site);
        if (e == kNoEntry) return kNoEntry;
        save(e);
        ++entries_[e].live_objects;
        entries_[e].live_bytes += bytes;
        return e;
    }
    /// A counted object was freed: `by_gc` (the collector freed it), `lifetime`
    /// in events (allocation event to this one).
    void on_free(std::uint32_t word, std::uint64_t bytes, bool by_gc, std::uint64_t lifetime) {
        const std::uint32_t e = word & kIndexMask;
        if (e == kNoEntry) return;
        save(e);
        Entry& en = entries_[e];
        --en.live_objects;
        en.live_bytes -= bytes;
        count_age(en, age(word), 0);
        if (!by_gc && lifetime <= kTemporaryWindow) {
            ++en.temp_objects;
            en.temp_bytes += bytes;
        }
    }
    /// An object moved to an older generation.
    void on_promoted(std::uint32_t word) {
        const std::uint32_t e = word & kIndexMask;
        if (e != kNoEntry) ++entries_[e].promoted;
    }
    /// Live bytes just reached a new peak: remember this moment.
    void mark_peak() {
        ++epoch_;
        journal_.clear();
    }
    /// The site of the (type, site) entry of `word`; kNoSym for kNoEntry.
    Sym site_of(std::uint32_t word) const {
        const std::uint32_t e = word & kIndexMask;
        return e == kNoEntry ? kNoSym : entries_[e].site;
    }
    /// An object alive at the end (its age goes to live_at_end).
    void on_live_at_end(std::uint32_t word);

    /// The report's figures, names resolved, lists sorted and cut to `top`.
    /// `promoted_total` is the collections' sum.
    void fill(RunProfile& profile, const TypeTable& types, const SymbolTable& symbols,
              std::size_t top, std::uint64_t promoted_total) const;

  private:
    struct Entry {
        TypeId type = 0;
        Sym site = kNoSym;
        std::uint32_t next = kNoEntry;  // next entry with the same site
        std::uint32_t saved_epoch = 0;  // journaled since the peak of this epoch
        std::uint64_t live_objects = 0, live_bytes = 0;
        std::uint64_t promoted = 0;
        std::uint64_t temp_objects = 0, temp_bytes = 0;
        std::vector<std::array<std::uint64_t, 2>> ages;  // [age] = {died, live_at_end}
    };
    struct Saved {
        std::uint32_t entry;
        std::uint64_t objects, bytes;
    };
    std::uint32_t find_or_add(TypeId type, Sym site) {
        std::uint32_t e = kNoEntry;
        if (site == kNoSym) {
            e = first_without_site_;
        } else if (site < first_by_site_.size()) {
            e = first_by_site_[site];
        }
        for (; e != kNoEntry; e = entries_[e].next)
            if (entries_[e].type == type) return e;
        return add(type, site);
    }
    /// A new entry for (type, site), or kNoEntry once there are 2^22 - 1.
    std::uint32_t add(TypeId type, Sym site);
    /// Before changing an entry's live figures: keep their value at the peak.
    void save(std::uint32_t e) {
        Entry& en = entries_[e];
        if (en.saved_epoch == epoch_) return;
        en.saved_epoch = epoch_;
        journal_.push_back(Saved{e, en.live_objects, en.live_bytes});
    }
    static void count_age(Entry& en, std::uint32_t age, int column) {
        if (en.ages.size() <= age) grow_ages(en, age);
        ++en.ages[age][column];
    }
    static void grow_ages(Entry& en, std::uint32_t age);

    std::vector<Entry> entries_;
    std::vector<std::uint32_t> first_by_site_;  // by site symbol
    std::uint32_t first_without_site_ = kNoEntry;
    std::uint32_t epoch_ = 0;     // 0: no peak yet
    std::vector<Saved> journal_;  // entries changed since the peak, values at the peak
};

}  // namespace heapsim
