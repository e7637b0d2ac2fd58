// The key index of big keyed containers (sim/key_index.h): the table on its
// own, then dicts through the simulator, whose reference order must be the
// one a linear scan of the references gives (insertion order; a delete
// keeps the order of the rest; a re-inserted key goes to the end).
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/key_index.h"
#include "sim/simulator.h"
#include "tests/unit/sim/trace_runner.h"
#include "trace_formats/trace_reader.h"

using namespace heapsim;

TEST_CASE("key index: insert, find, erase, re-insert") {
    KeyIndex ix;
    CHECK(ix.find(7) == KeyIndex::kAbsent);
    CHECK_FALSE(ix.erase(7));
    ix.insert(7, 0);
    ix.insert(3, 1);
    ix.insert(100000, 2);
    CHECK(ix.size() == 3);
    CHECK(ix.find(7) == 0);
    CHECK(ix.find(3) == 1);
    CHECK(ix.find(100000) == 2);
    CHECK(ix.find(4) == KeyIndex::kAbsent);
    CHECK(ix.find(kNoSym) == KeyIndex::kAbsent);
    CHECK(ix.erase(3));
    CHECK_FALSE(ix.erase(3));
    CHECK(ix.find(3) == KeyIndex::kAbsent);
    CHECK(ix.find(7) == 0);
    ix.insert(3, 5);  // re-inserted: a new position
    CHECK(ix.find(3) == 5);
    CHECK(ix.size() == 3);
}

TEST_CASE("key index: grows at half full, shrinks when a quarter of that is left, clear") {
    KeyIndex ix;
    CHECK(ix.slots() == 0);
    for (Sym k = 0; k < 16; ++k) ix.insert(k, k);
    CHECK(ix.slots() == KeyIndex::kMinSlots);
    ix.insert(16, 16);
    CHECK(ix.slots() == 2 * KeyIndex::kMinSlots);
    for (Sym k = 17; k < 100000; ++k) ix.insert(k, k);
    CHECK(ix.slots() == 262144);
    for (Sym k = 0; k < 100000; ++k) REQUIRE(ix.find(k) == k);
    for (Sym k = 0; k < 99000; ++k) REQUIRE(ix.erase(k));
    CHECK(ix.size() == 1000);
    CHECK(ix.slots() <= 8192);
    CHECK(ix.slots() >= 2048);
    for (Sym k = 0; k < 100000; ++k) REQUIRE(ix.find(k) == (k < 99000 ? KeyIndex::kAbsent : k));
    ix.clear();
    CHECK(ix.size() == 0);
    CHECK(ix.slots() == 0);
    CHECK(ix.find(99999) == KeyIndex::kAbsent);
    ix.insert(99999, 1);
    CHECK(ix.find(99999) == 1);
}

TEST_CASE("key index: random inserts and erases agree with a map (backward-shift deletion)") {
    std::mt19937 rng(13);
    for (const Sym range : {40u, 1000u, 1u << 30}) {
        KeyIndex ix;
        std::unordered_map<Sym, std::uint32_t> model;
        for (std::uint32_t step = 0; step < 40000; ++step) {
            const Sym k = rng() % range;
            if (rng() % 3 == 0) {
                CHECK(ix.erase(k) == (model.erase(k) == 1));
            } else if (!model.count(k)) {
                ix.insert(k, step);
                model[k] = step;
            }
            if (step % 4000 == 0 || range == 40u) {
                REQUIRE(ix.size() == model.size());
                for (const auto& [key, pos] : model) REQUIRE(ix.find(key) == pos);
            }
        }
        for (const auto& [key, pos] : model) CHECK(ix.find(key) == pos);
    }
}

TEST_CASE("key index: rebuild skips tombstones and unkeyed references; compaction keeps order") {
    std::vector<Edge> edges = {{1, 10}, kTombstone, {2, kNoSym}, {3, 30}, kTombstone, {4, 40}};
    KeyIndex ix;
    ix.rebuild(edges.data(), static_cast<std::uint32_t>(edges.size()));
    CHECK(ix.size() == 3);
    CHECK(ix.find(10) == 0);
    CHECK(ix.find(30) == 3);
    CHECK(ix.find(40) == 5);
    const std::uint32_t live =
        compact_edges(edges.data(), static_cast<std::uint32_t>(edges.size()));
    REQUIRE(live == 4);
    CHECK(edges[0].target == 1);
    CHECK(edges[1].target == 2);
    CHECK(edges[2].target == 3);
    CHECK(edges[3].target == 4);
    ix.rebuild(edges.data(), live);
    CHECK(ix.find(30) == 2);
    CHECK(ix.find(40) == 3);
}

namespace {

// A simulator fed trace text in pieces, queried between them.
struct Replay {
    SymbolTable symbols;
    SimOptions options;
    std::unique_ptr<Simulator> sim;
    std::vector<std::string> errors;
    struct Sink : EventSink {
        Replay& r;
        explicit Sink(Replay& rr) : r(rr) {}
        bool on_event(const Event& ev) override {
            if (auto d = r.sim->apply(ev)) r.errors.push_back(d->message);
            return true;
        }
        bool on_error(const Diagnostic& d) override {
            r.errors.push_back(d.message);
            return !d.fatal;
        }
    };
    Replay() {
        options.policy = *policy_by_name("cpython-3.11");
        options.record_frees = true;
        sim = std::make_unique<Simulator>(options, symbols);
    }
    void feed(const std::string& text) {
        Sink sink(*this);
        read_trace_buffer(text, "test.trace", symbols, sink);
        for (const auto& e : errors) FAIL_CHECK("unexpected diagnostic: " << e);
        errors.clear();
    }
    std::vector<std::string> keys(const std::string& container) {
        std::vector<std::string> out;
        for (Sym k : sim->clear_order(symbols.intern(container))) out.emplace_back(symbols.str(k));
        return out;
    }
    std::vector<std::string> freed() {
        std::vector<std::string> out;
        for (Sym k : sim->freed_ids()) out.emplace_back(symbols.str(k));
        return out;
    }
};

std::string keys_text(const std::vector<std::string>& keys) {
    std::string s;
    for (const auto& k : keys) s += k + " ";
    return s;
}

}  // namespace

TEST_CASE(
    "an indexed dict keeps insertion order: overwrite in place, delete, re-insert at the end") {
    Replay r;
    std::string t = "alloc d dict\nbind d d\n";
    for (int i = 0; i < 40; ++i)
        t += "alloc v" + std::to_string(i) + " int\nset d k" + std::to_string(i) + " v" +
             std::to_string(i) + "\n";
    r.feed(t);
    std::vector<std::string> want;
    for (int i = 0; i < 40; ++i) want.push_back("k" + std::to_string(i));
    CHECK(keys_text(r.keys("d")) == keys_text(want));
    // Overwrite: same position, the old value dies.
    r.feed("alloc w int\nset d k5 w\nexpect freed v5\nexpect refcount w 1\n");
    CHECK(keys_text(r.keys("d")) == keys_text(want));
    CHECK(r.sim->key_at(r.symbols.intern("d"), 5) == r.symbols.intern("k5"));
    CHECK(r.sim->position_of(r.symbols.intern("d"), r.symbols.intern("w")) == 5u);
    // Deletes keep the order of the rest; the first reader compacts.
    r.feed("unset d k3\nunset d k0\nunset d k39\nexpect freed v3\nexpect freed v0\n");
    want.erase(want.begin() + 39);
    want.erase(want.begin() + 3);
    want.erase(want.begin());
    // A delete and a re-insert before anything reads: the key goes to the end.
    r.feed("unset d k10\nalloc x int\nset d k10 x\nalloc y int\nset d k3 y\n");
    want.erase(std::find(want.begin(), want.end(), "k10"));
    want.push_back("k10");
    want.push_back("k3");
    CHECK(keys_text(r.keys("d")) == keys_text(want));
    CHECK(r.sim->describe(r.symbols.intern("d")).references == want.size());
    CHECK(r.sim->next_append_key(r.symbols.intern("d")) ==
          r.symbols.intern(std::to_string(want.size())));
    // clear releases in entry order; then the dict is empty and small again.
    r.feed("clear d\nalloc z int\nset d k1 z\n");
    CHECK(keys_text(r.keys("d")) == "k1 ");
}

TEST_CASE("an indexed dict shrinks back below the index size and grows again") {
    Replay r;
    std::string t = "alloc d dict\nbind d d\n";
    for (int i = 0; i < 1000; ++i)
        t += "alloc v" + std::to_string(i) + " int\nappend d v" + std::to_string(i) + "\n";
    for (int i = 0; i < 995; ++i) t += "unset d " + std::to_string(i) + "\n";
    r.feed(t);
    CHECK(keys_text(r.keys("d")) == "995 996 997 998 999 ");
    t.clear();
    for (int i = 0; i < 30; ++i)
        t += "alloc u" + std::to_string(i) + " int\nset d " + std::to_string(i) + " u" +
             std::to_string(i) + "\n";
    t += "unset d 997\n";
    r.feed(t);
    std::string want = "995 996 998 999 ";
    for (int i = 0; i < 30; ++i) want += std::to_string(i) + " ";
    CHECK(keys_text(r.keys("d")) == want);
    r.feed("unbind d\n");
    CHECK(r.sim->describe(r.symbols.intern("d")).live == false);
}

// The differential test: random keyed stores, deletes, appends, removes and
// clears on dicts that cross the index size both ways, against a model that
// is the linear path (a vector scanned for the key, erased in place).
TEST_CASE("indexed and linear keyed paths give the same reference order and the same frees") {
    for (const std::uint32_t seed : {1u, 2u, 3u, 4u}) {
        std::mt19937 rng(seed);
        Replay r;
        struct Entry {
            std::string key, value;
        };
        std::vector<std::vector<Entry>> model(3);
        std::vector<std::string> freed_model;
        std::string t;
        for (int d = 0; d < 3; ++d)
            t += "alloc d" + std::to_string(d) + " dict\nbind d" + std::to_string(d) + " d" +
                 std::to_string(d) + "\n";
        r.feed(t);
        const std::uint32_t key_range = seed % 2 ? 60 : 400;
        int values = 0;
        for (int round = 0; round < 60; ++round) {
            t.clear();
            for (int step = 0; step < 100; ++step) {
                const int d = static_cast<int>(rng() % 3);
                auto& m = model[d];
                const std::string dn = "d" + std::to_string(d);
                const std::uint32_t op = rng() % 100;
                const std::string key = "k" + std::to_string(rng() % key_range);
                auto at =
                    std::find_if(m.begin(), m.end(), [&](const Entry& e) { return e.key == key; });
                if (op < 55) {  // set
                    const std::string v = "v" + std::to_string(values++);
                    t += "alloc " + v + " int\nset " + dn + " " + key + " " + v + "\n";
                    if (at != m.end()) {
                        freed_model.push_back(at->value);
                        at->value = v;
                    } else {
                        m.push_back({key, v});
                    }
                } else if (op < 90) {  // unset
                    if (at == m.end()) continue;
                    t += "unset " + dn + " " + key + "\n";
                    freed_model.push_back(at->value);
                    m.erase(at);
                } else if (op < 97) {  // remove by value
                    if (m.empty()) continue;
                    const std::size_t i = rng() % m.size();
                    t += "remove " + dn + " " + m[i].value + "\n";
                    freed_model.push_back(m[i].value);
                    m.erase(m.begin() + static_cast<std::ptrdiff_t>(i));
                } else if (op < 98) {  // clear
                    t += "clear " + dn + "\n";
                    for (const auto& e : m) freed_model.push_back(e.value);
                    m.clear();
                } else {  // a full collection reads every dict between the deletes
                    t += "collect\n";
                }
            }
            r.feed(t);
            for (int d = 0; d < 3; ++d) {
                std::string want;
                for (const auto& e : model[d]) want += e.key + " ";
                REQUIRE(keys_text(r.keys("d" + std::to_string(d))) == want);
                const Sym dsym = r.symbols.intern("d" + std::to_string(d));
                for (std::size_t i = 0; i < model[d].size(); i += 7)
                    REQUIRE(r.sim->position_of(dsym, r.symbols.intern(model[d][i].value)) == i);
            }
            REQUIRE(keys_text(r.freed()) == keys_text(freed_model));
        }
    }
}

// Instances keep their attributes in their own insertion order and visit
// them in the class's shared-key order; visit_position skips the sort when
// the two agree (no kKeyOrderMixed), which must not change the order.
TEST_CASE("instances visit attributes in shared-key order, stored in that order or not") {
    Replay r;
    r.feed(R"(type Node instance
alloc a int
alloc b int
alloc c int
alloc n1 Node
bind n1 n1
set n1 x a
set n1 y b
set n1 z c
alloc n2 Node
bind n2 n2
set n2 z c
set n2 x a
set n2 y b
alloc n3 Node
bind n3 n3
set n3 y b
set n3 z c
unset n3 y
set n3 x a
)");
    CHECK(keys_text(r.keys("n1")) == "x y z ");
    CHECK(keys_text(r.keys("n2")) == "x y z ");
    CHECK(keys_text(r.keys("n3")) == "x z ");
    CHECK(r.sim->key_at(r.symbols.intern("n2"), 0) == r.symbols.intern("z"));  // storage order
    CHECK(r.sim->key_at(r.symbols.intern("n3"), 1) == r.symbols.intern("x"));
    r.feed("unbind n2\nunbind n1\nunbind n3\n");
    // n1 releases b last; n3 releases a before c (shared-key order, not
    // its storage order z, x).
    CHECK(keys_text(r.freed()) == "n2 b n1 a c n3 ");
}
