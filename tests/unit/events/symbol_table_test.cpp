// Interning: one symbol per distinct string, whatever its length (inline
// entries up to 8 bytes, arena beyond), and views that never move.
#include "events/symbol_table.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace heapsim;

TEST_CASE("strings of every length intern to one symbol each and read back") {
    SymbolTable t;
    std::vector<std::string> strings;
    for (std::size_t len = 0; len <= 300; ++len) {
        strings.push_back(std::string(len, 'a'));
        if (len > 0) strings.push_back(std::string(len - 1, 'a') + 'b');   // differs in the last byte
        if (len > 1) strings.push_back('b' + std::string(len - 1, 'a'));   // differs in the first byte
        if (len > 2) strings.push_back(std::string(len / 2, 'a') + 'c' + std::string(len - len / 2 - 1, 'a'));
    }
    std::vector<Sym> syms;
    for (const std::string& s : strings) syms.push_back(t.intern(s));
    CHECK(t.size() == strings.size());
    for (std::size_t i = 0; i < strings.size(); ++i) {
        CAPTURE(strings[i]);
        CHECK(t.intern(strings[i]) == syms[i]);
        CHECK(t.find(strings[i]) == syms[i]);
        CHECK(t.str(syms[i]) == strings[i]);
    }
    CHECK(t.find("never interned") == kNoSym);
}

TEST_CASE("a string with a zero byte is not confused with its prefix") {
    SymbolTable t;
    const Sym a = t.intern(std::string_view("ab", 2));
    const Sym b = t.intern(std::string_view("ab\0", 3));
    CHECK(a != b);
    CHECK(t.str(b).size() == 3);
}

TEST_CASE("views stay valid while a million more symbols are interned") {
    SymbolTable t;
    const Sym first = t.intern("a-long-first-string-kept-in-the-arena");
    const std::string_view view = t.str(first);
    const Sym short_sym = t.intern("o1");
    const std::string_view short_view = t.str(short_sym);
    for (int i = 0; i < 1000000; ++i) t.intern("object-number-" + std::to_string(i));
    CHECK(view == "a-long-first-string-kept-in-the-arena");
    CHECK(short_view == "o1");
    CHECK(t.intern("object-number-999999") == t.size() - 1);
    CHECK(t.memory_bytes() > 1000000 * 16);
}

TEST_CASE("a copied table is independent and gives the same symbols") {
    SymbolTable t;
    for (int i = 0; i < 5000; ++i) t.intern("id" + std::to_string(i));
    SymbolTable copy = t;
    CHECK(copy.intern("id4999") == t.find("id4999"));
    const Sym added = copy.intern("only-in-the-copy-and-long");
    CHECK(t.find("only-in-the-copy-and-long") == kNoSym);
    CHECK(copy.str(added) == "only-in-the-copy-and-long");
}
