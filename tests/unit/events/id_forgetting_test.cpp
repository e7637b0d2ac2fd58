// Forgetting the ids of dead objects (symbol_table.h): released symbols are
// reused, pinned strings never go, and the ids retired after their object
// lived are remembered exactly (retired_ids.h), numbers or not.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "events/retired_ids.h"
#include "events/symbol_table.h"

using namespace heapsim;

TEST_CASE("a released id leaves the table and its number is reused") {
    SymbolTable t;
    t.forget_dead_ids(true);
    const Sym a = t.intern_id("17");
    const Sym b = t.intern_id("0x7f3a5c0010a0");  // longer than an inline entry
    CHECK(t.release_id(a, true));
    CHECK(t.find("17") == kNoSym);
    CHECK(t.live_size() == 1);
    CHECK_FALSE(t.release_id(a, true));  // already released
    const Sym c = t.intern_id("18");
    CHECK(c == a);  // most recently released first
    CHECK(t.str(c) == "18");
    CHECK(t.release_id(b, true));
    const Sym d = t.intern_id("0x7f3a5c0010b0");  // same length: reuses b's characters
    CHECK(d == b);
    CHECK(t.str(d) == "0x7f3a5c0010b0");
    CHECK(t.find("0x7f3a5c0010a0") == kNoSym);
    CHECK(t.retired("17"));
    CHECK(t.retired("0x7f3a5c0010a0"));
    CHECK_FALSE(t.retired("18"));
}

TEST_CASE("nothing is released unless the table forgets ids, and pinned strings never are") {
    SymbolTable keep;
    const Sym a = keep.intern_id("1");
    CHECK_FALSE(keep.release_id(a, true));
    CHECK(keep.find("1") == a);

    SymbolTable t;
    t.forget_dead_ids(true);
    const Sym id = t.intern_id("1");
    CHECK(t.intern("1") == id);  // also an auto-key "1": pinned from now on
    CHECK_FALSE(t.release_id(id, true));
    CHECK(t.find("1") == id);
    const Sym name = t.intern("x");
    CHECK(t.intern_id("x") == name);  // an id spelled like a pinned name stays pinned
    CHECK_FALSE(t.release_id(name, true));
}

TEST_CASE("released ids keep every other string findable (deletion from the probe chains)") {
    SymbolTable t;
    t.forget_dead_ids(true);
    std::vector<Sym> syms;
    for (int i = 0; i < 5000; ++i) syms.push_back(t.intern_id("o" + std::to_string(i)));
    for (int i = 0; i < 5000; i += 3) CHECK(t.release_id(syms[i], i % 2 == 0));
    for (int i = 0; i < 5000; ++i) {
        const std::string s = "o" + std::to_string(i);
        if (i % 3 == 0) {
            CHECK(t.find(s) == kNoSym);
            CHECK(t.retired(s) == (i % 2 == 0));
        } else {
            CHECK(t.find(s) == syms[i]);
            CHECK(t.str(syms[i]) == s);
        }
    }
    // A table that forgets grows with what is live: reuse keeps it at 5000 slots.
    for (int round = 0; round < 20; ++round) {
        std::vector<Sym> batch;
        for (int i = 0; i < 1000; ++i)
            batch.push_back(t.intern_id("n" + std::to_string(round * 1000 + i)));
        for (Sym s : batch) CHECK(t.release_id(s, true));
    }
    CHECK(t.size() <= 5000);
    CHECK(t.retired("n19999"));
    CHECK(t.retired_ids().intervals() <= 2 + 5000 / 3);  // n0-n19999 is one interval
}

TEST_CASE("retired ids: numbers by family, canonical spellings only") {
    RetiredIds r;
    for (int i = 1; i <= 1000; ++i) r.add(std::to_string(i));
    CHECK(r.intervals() == 1);
    CHECK(r.contains("1"));
    CHECK(r.contains("1000"));
    CHECK_FALSE(r.contains("0"));
    CHECK_FALSE(r.contains("1001"));
    // Leading zeros are another id, kept as text.
    CHECK_FALSE(r.contains("0001"));
    r.add("007");
    CHECK(r.contains("007"));
    CHECK_FALSE(r.contains("7x"));
    CHECK(r.texts() == 1);
    // Prefixes are families of their own.
    r.add("o5");
    CHECK(r.contains("o5"));
    CHECK_FALSE(r.contains("p5"));
    CHECK_FALSE(r.contains("o4"));
    // Hex: lowercase and uppercase are different ids, digits-only is lowercase.
    r.add("0x7f00a0");
    CHECK(r.contains("0x7f00a0"));
    CHECK_FALSE(r.contains("0x7F00A0"));
    r.add("0x7F00B0");
    CHECK(r.contains("0x7F00B0"));
    CHECK_FALSE(r.contains("0x7f00b0"));
    r.add("0x1234");
    CHECK(r.contains("0x1234"));
    CHECK_FALSE(r.contains("1234"));  // decimal family, not hex
    r.add("0xAbC");                   // mixed case: text
    CHECK(r.contains("0xAbC"));
    CHECK_FALSE(r.contains("0xabc"));
    // Numbers that do not fit 64 bits are text, never a wrapped value.
    r.add("184467440737095516170");  // 21 digits
    CHECK(r.contains("184467440737095516170"));
    CHECK_FALSE(r.contains("1844674407370955161"));
    r.add("0x10000000000000000");  // 17 hex digits
    CHECK(r.contains("0x10000000000000000"));
    CHECK_FALSE(r.contains("0x0"));
    CHECK_FALSE(r.contains("0x1"));
    // The largest 19-digit decimal and 16-digit hex values are numbers.
    r.add("9999999999999999999");
    r.add("0xffffffffffffffff");
    CHECK(r.contains("9999999999999999999"));
    CHECK(r.contains("0xffffffffffffffff"));
    CHECK_FALSE(r.contains("0xfffffffffffffffe"));
}

TEST_CASE("retired intervals merge from both sides and do not double count") {
    RetiredIds r;
    for (int i : {10, 12, 14, 11, 13, 12, 9, 15}) r.add("c" + std::to_string(i));
    CHECK(r.intervals() == 1);
    for (int i = 9; i <= 15; ++i) CHECK(r.contains("c" + std::to_string(i)));
    CHECK_FALSE(r.contains("c8"));
    CHECK_FALSE(r.contains("c16"));
}
