// `gen --profile cache`: a process whose memory is its caches.
//
// An LRU cache grows until the objects it holds
// reach the live target, then every insert evicts the least recently used
// key (`unset`, and the value's objects die by reference counting). Hits
// refresh an entry (pop and re-insert with a recomputed value, which moves
// the key to the most recent end). Values are instances with attributes,
// lists and tuples of atoms, dicts. A third of the instance values are also
// registered in a WeakValueDictionary-like index (`weak_index`): weakrefs
// with a callback, which fires when the value is evicted, after which the
// index entry is removed. The cache and the index are sharded over dicts
// bound to cache0, cache1, ... and weak_index0, ... (one shard per 1024
// objects of the live target), as large caches are, which also keeps each
// dict small. A small memo dict takes replaced values and is
// cleared now and then; misses make short-lived key strings. A few values
// refer to themselves and so wait for the collector after eviction (the
// process calls gc.collect() when enough have piled up).
//
// The live target is `--live N` objects, by default min(events / 8, 100000);
// filling it takes about 1.7 events per object, so `--events` should be at
// least twice `--live` for the cache to turn over.
#include <algorithm>
#include <ostream>
#include <vector>

#include "workloads/seeded_rng.h"
#include "workloads/workload.h"
#include "workloads/workload_writer.h"

namespace heapsim {
namespace {

using workload::Id;
using workload::WorkloadWriter;
using workload::Tok;

constexpr std::uint32_t kNil = UINT32_MAX;
constexpr std::uint64_t kMemoSlots = 64;
constexpr std::uint64_t kMaxDeferred = 512;
constexpr std::uint64_t kSalt = 0x63616368;  // "cach"
constexpr std::uint64_t kObjectsPerShard = 1024;

/// One key of the LRU cache, linked in recency order. Its value's objects
/// (at most 4) die together when the key is evicted.
struct Entry {
    Id ids[4] = {};
    Id weak = 0;  // its weakref in the index, if any
    std::uint32_t older = kNil, newer = kNil;
    std::uint8_t n = 0;
    bool live = false;
    bool cyclic = false;  // the value refers to itself
};

class CacheWorkload {
  public:
    CacheWorkload(const WorkloadOptions& options, std::ostream& out)
        : options_(options),
          target_(options.live != 0 ? options.live
                                    : std::min<std::uint64_t>(options.events / 8, 100000)),
          w_(out),
          rng_(options.seed ^ kSalt) {}

    WorkloadStats run();

  private:
    void step() { w_.tick(rng_.range(40, 600)); }
    Id atom(std::string_view site) { return w_.alloc(rng_.percent(60) ? "str" : "int", {}, site); }

    void setup();
    void operation();
    std::uint32_t new_key();
    void insert(std::uint32_t key);
    void build_value(Entry& e);
    void evict(std::uint32_t key);
    void link_newest(std::uint32_t key);
    void unlink(std::uint32_t key);
    std::uint32_t random_live_key();
    void memo();
    void miss();
    void maybe_collect();

    WorkloadOptions options_;
    std::uint64_t target_;
    WorkloadWriter w_;
    SeededRng rng_;
    WorkloadStats stats_;

    Id shard(std::uint32_t key) const { return cache_[key % cache_.size()]; }
    Id index_shard(std::uint32_t key) const { return index_[key % index_.size()]; }

    std::vector<Id> cache_, index_;  // the shards
    Id memo_ = 0;
    std::vector<Entry> entries_;           // by key number: key kN is entries_[N]
    std::vector<std::uint32_t> free_keys_;  // evicted key numbers, reused last first
    std::uint32_t oldest_ = kNil, newest_ = kNil;
    std::uint64_t cached_objects_ = 0;  // objects the LRU cache and index keep alive
    std::uint64_t live_keys_ = 0;
    Id memo_values_[kMemoSlots][3] = {};  // per memo key: up to 3 objects of its value
};

void CacheWorkload::setup() {
    w_.raw_line("# heapsim workload trace: profile cache, seed " + std::to_string(options_.seed) +
                ", events " + std::to_string(options_.events) + ", live " +
                std::to_string(target_));
    w_.raw_line("heaptrace 1");
    w_.raw_line(kEndRecordPromise);
    w_.type("Entry instance");
    w_.type("Page instance slots=2");
    step();
    const std::uint64_t shards = std::max<std::uint64_t>(1, (target_ + kObjectsPerShard - 1) / kObjectsPerShard);
    for (std::uint64_t i = 0; i < shards; ++i) {
        cache_.push_back(w_.alloc("dict", {}, "cache/lru.py:10"));
        w_.bind(Tok("cache", i), cache_.back());
        index_.push_back(w_.alloc("dict", {}, "cache/weak.py:8"));
        w_.bind(Tok("weak_index", i), index_.back());
    }
    memo_ = w_.alloc("dict", {}, "cache/memo.py:5");
    w_.bind("memo", memo_);
}

/// While the cache is below its target it mostly grows; once warm, a new key
/// pushes out the least recently used one.
void CacheWorkload::operation() {
    const auto r = rng_.below(100);
    if (cached_objects_ < target_ && r < 85) return insert(new_key());
    if (r < 40) {
        if (cached_objects_ >= target_ && oldest_ != kNil) evict(oldest_);
        return insert(new_key());
    }
    if (r < 65 && live_keys_ != 0) {  // a hit that refreshes the entry
        const std::uint32_t key = random_live_key();
        evict(key);
        return insert(key);
    }
    if (r < 85) return memo();
    miss();
}

std::uint32_t CacheWorkload::new_key() {
    if (!free_keys_.empty()) {
        const std::uint32_t key = free_keys_.back();
        free_keys_.pop_back();
        return key;
    }
    entries_.emplace_back();
    return static_cast<std::uint32_t>(entries_.size() - 1);
}

void CacheWorkload::insert(std::uint32_t key) {
    Entry& e = entries_[key];
    step();
    build_value(e);
    w_.set(shard(key), Tok("k", key), e.ids[0]);
    if (e.weak != 0) w_.set(index_shard(key), Tok("k", key), e.weak);
    if (e.cyclic) w_.unbind("e");
    e.live = true;
    cached_objects_ += e.n + (e.weak != 0 ? 1 : 0);
    ++live_keys_;
    link_newest(key);
}

/// The value, built bottom up while its parts can be named; ids[0] is the
/// object the cache will hold.
void CacheWorkload::build_value(Entry& e) {
    const auto shape = rng_.below(100);
    e.weak = 0;
    e.cyclic = false;
    if (shape < 35 || shape >= 80) {  // Entry(value=..., hits=...) or Entry(value={...})
        const Id entry = w_.alloc("Entry", {}, "cache/lru.py:31");
        Id a, b;
        if (shape < 35) {
            a = atom("cache/lru.py:32");
            w_.set(entry, "value", a);
            b = w_.alloc("int", {}, "cache/lru.py:33");
            w_.set(entry, "hits", b);
        } else {
            b = w_.alloc("dict", {}, "cache/lru.py:36");
            a = atom("cache/lru.py:36");
            w_.set(b, "v", a);
            w_.set(entry, "value", b);
        }
        if (rng_.percent(1)) {  // e = Entry(); e.self = e: only the collector frees it
            w_.bind("e", entry);  // the self reference would take the creation reference
            w_.set(entry, "self", entry);
            e.cyclic = true;
        }
        if (rng_.percent(33)) e.weak = w_.weakref(entry, "on_evict");
        e.ids[0] = entry;
        e.ids[1] = a;
        e.ids[2] = b;
        e.n = 3;
    } else if (shape < 60) {  // [a, b, ...]
        const auto k = rng_.range(1, 3);
        std::vector<Id> items;  // small; values are built far less often than events
        for (std::uint64_t i = 0; i < k; ++i) items.push_back(atom("cache/lru.py:40"));
        e.ids[0] = w_.alloc_refs("list", items, "cache/lru.py:40");
        std::copy(items.begin(), items.end(), e.ids + 1);
        e.n = static_cast<std::uint8_t>(1 + k);
    } else {  // (text, size)
        const Id text = w_.alloc("str", {}, "cache/lru.py:44");
        const Id size = w_.alloc("int", {}, "cache/lru.py:44");
        e.ids[0] = w_.alloc("tuple", {text, size}, "cache/lru.py:44");
        e.ids[1] = text;
        e.ids[2] = size;
        e.n = 3;
    }
}

/// del cache[key]: the value dies (its weakref's callback runs, and the
/// callback's work, deleting the index entry, follows).
void CacheWorkload::evict(std::uint32_t key) {
    Entry& e = entries_[key];
    step();
    w_.unset(shard(key), Tok("k", key));
    for (std::uint8_t i = 0; i < e.n; ++i) e.cyclic ? w_.defer(e.ids[i]) : w_.release(e.ids[i]);
    if (e.weak != 0) {
        w_.unset(index_shard(key), Tok("k", key));
        w_.release(e.weak);
    }
    cached_objects_ -= e.n + (e.weak != 0 ? 1 : 0);
    --live_keys_;
    e.live = false;
    unlink(key);
    free_keys_.push_back(key);
    maybe_collect();
}

void CacheWorkload::link_newest(std::uint32_t key) {
    Entry& e = entries_[key];
    e.older = newest_;
    e.newer = kNil;
    if (newest_ != kNil) entries_[newest_].newer = key;
    newest_ = key;
    if (oldest_ == kNil) oldest_ = key;
}

void CacheWorkload::unlink(std::uint32_t key) {
    Entry& e = entries_[key];
    (e.older != kNil ? entries_[e.older].newer : oldest_) = e.newer;
    (e.newer != kNil ? entries_[e.newer].older : newest_) = e.older;
    e.older = e.newer = kNil;
}

/// A uniformly chosen live key (the key table is mostly live: evicted keys
/// are reused first).
std::uint32_t CacheWorkload::random_live_key() {
    for (;;) {
        const auto key = static_cast<std::uint32_t>(rng_.below(entries_.size()));
        if (entries_[key].live) return key;
    }
}

/// memo[key] = value: the value replaced dies; now and then memo.clear().
void CacheWorkload::memo() {
    step();
    if (rng_.percent(1)) {
        w_.clear(memo_);
        for (auto& slot : memo_values_)
            for (Id& id : slot) {
                if (id != 0) w_.release(id);
                id = 0;
            }
        return;
    }
    const std::uint64_t slot = rng_.below(kMemoSlots);
    Id fresh[3] = {};
    if (rng_.percent(50)) {
        fresh[1] = atom("cache/memo.py:12");
        fresh[2] = atom("cache/memo.py:12");
        fresh[0] = w_.alloc("tuple", {fresh[1], fresh[2]}, "cache/memo.py:12");
    } else {
        fresh[0] = atom("cache/memo.py:14");
    }
    w_.set(memo_, Tok("m", slot), fresh[0]);
    // The replaced value dies at this set, after the new one took its ids.
    for (Id& id : memo_values_[slot]) {
        if (id != 0) w_.release(id);
    }
    std::copy(fresh, fresh + 3, memo_values_[slot]);
}

void CacheWorkload::miss() {
    step();
    const Id key = w_.alloc("str", {}, "cache/lru.py:20");
    w_.drop(key);
    w_.release(key);
}

void CacheWorkload::maybe_collect() {
    if (w_.deferred() < kMaxDeferred) return;
    w_.tick(rng_.range(100000, 2000000));
    w_.collect(2);
}

WorkloadStats CacheWorkload::run() {
    setup();
    while (w_.events() < options_.events) {
        operation();
        stats_.peak_tracked = std::max(stats_.peak_tracked, w_.tracked());
    }
    w_.tick(rng_.range(100000, 2000000));
    w_.collect(2);  // counts at zero at the end (see workload_web.cpp)
    w_.finish(stats_);
    return stats_;
}

}  // namespace

WorkloadStats write_cache_trace(const WorkloadOptions& options, std::ostream& out) {
    return CacheWorkload(options, out).run();
}

}  // namespace heapsim
