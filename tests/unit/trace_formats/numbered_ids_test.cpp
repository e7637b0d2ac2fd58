// Numbered object ids (trace_formats/numbered_ids.h): the .htb writer given
// an id's number writes exactly what it writes for the interned "oN" string,
// through dictionary resets and block boundaries.
#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "trace_codec.h"
#include "trace_formats/htb_writer.h"
#include "trace_formats/numbered_ids.h"

using namespace heapsim;
using heapsim::test::rewrite;

namespace {

// Objects o0..o(n-1) with references, pins, weakrefs and checks, named by
// number or by interned strings.
std::string write_objects(bool numbered, HtbWriterOptions options, std::uint32_t n = 3000) {
    SymbolTable symbols;
    std::ostringstream out;
    HtbTraceWriter writer(out, symbols, options);
    auto id = [&](std::uint32_t k) {
        if (numbered) return numbered_id(k);
        char text[kNumberedIdChars];
        return symbols.intern(std::string_view(text, format_numbered_id(k, text)));
    };
    Event type;
    type.kind = EventKind::Type;
    type.name = symbols.intern("py.Node:3");
    type.decl.gc = true;
    writer.write(type);
    const Sym label = symbols.intern("cb");
    for (std::uint32_t k = 0; k < n; ++k) {
        auto put = [&](Event& e) {  // times never go back
            e.time_ns = k / 3;
            writer.write(e);
        };
        Event a;
        a.kind = EventKind::Alloc;
        a.id = id(k);
        a.type = type.name;
        Sym refs[2];
        if (k >= 2) {
            refs[0] = id(k - 1);
            refs[1] = id(k / 2);
            a.refs = std::span<const Sym>(refs, 2);
        }
        put(a);
        Event b;
        b.kind = EventKind::Bind;
        b.name = id(k);
        b.id = id(k);
        put(b);
        if (k % 3 == 1) {
            Event e;
            e.kind = EventKind::Append;
            e.id = id(k);
            e.ref = id(k * 7 % k);
            put(e);
        }
        if (k % 5 == 4) {
            Event u;
            u.kind = EventKind::Unbind;
            u.name = id(k / 5);
            put(u);
            Event w;
            w.kind = EventKind::Weakref;
            w.id = id(k);
            w.ref = id(k / 4);
            w.label = label;
            put(w);
            Event x;
            x.kind = EventKind::Expect;
            x.expect = ExpectKind::Alive;
            x.id = id(k - 1);
            put(x);
        }
    }
    REQUIRE(writer.finish());
    return out.str();
}

}  // namespace

TEST_CASE("htb writer: numbered ids write the same bytes as the interned \"oN\" strings") {
    const std::string interned = write_objects(false, {});
    CHECK(write_objects(true, {}) == interned);
    // Frequent dictionary resets (an event's REFs straddle them) and small blocks.
    for (const std::uint32_t limit : {5u, 16u, 1000u}) {
        HtbWriterOptions small;
        small.dictionary_limit = limit;
        small.block_size = 256;
        CAPTURE(limit);
        CHECK(write_objects(true, small) == write_objects(false, small));
    }
    // And they read back as the ids they name.
    const std::string text = rewrite(interned, "x.htb", "x.trace");
    CHECK(text.find("alloc o2999 py.Node:3 o2998 o1499\n") != std::string::npos);
    CHECK(text.find("bind o0 o0\n") != std::string::npos);
}

TEST_CASE("numbered ids: only the .htb writers accept them, compressed or not") {
    SymbolTable symbols;
    for (const char* name : {"x.htb", "x.htb.zst", "x.htb.gz", "x.trace", "x.jsonl.gz"}) {
        std::ostringstream out;
        const auto writer = make_trace_writer(*encoding_from_name(name), out, symbols);
        CAPTURE(name);
        CHECK(writer->accept_numbered_ids() == std::string_view(name).starts_with("x.htb"));
    }
}

TEST_CASE("numbered ids: text, and the range apart from every interned symbol") {
    char text[kNumberedIdChars];
    CHECK(std::string_view(text, format_numbered_id(0, text)) == "o0");
    CHECK(std::string_view(text, format_numbered_id(kMaxIdNumber, text)) == "o2147483646");
    CHECK(is_numbered_id(numbered_id(0)));
    CHECK(is_numbered_id(numbered_id(kMaxIdNumber)));
    CHECK(numbered_id(kMaxIdNumber) != kNoSym);
    CHECK(id_number(numbered_id(12345)) == 12345);
    CHECK_FALSE(is_numbered_id(kNoSym));
    CHECK_FALSE(is_numbered_id(kFirstNumberedId - 1));
}
