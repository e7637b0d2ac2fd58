// The binary reader on damaged input: every kind of damage is one clear,
// fatal diagnostic naming the block; nothing crashes, loops or reads past a
// buffer. Blocks are built by hand here (with their real checksums), so
// each case damages exactly one thing.
#include "trace_formats/htb_reader.h"

#include <doctest/doctest.h>
#include <zlib.h>

#include <string>
#include <utility>
#include <vector>

#include "recording_sink.h"
#include "trace_codec.h"
#include "trace_formats/htb_format.h"

using namespace heapsim;
using heapsim::test::Mode;
using heapsim::test::read;
using heapsim::test::rewrite;

namespace {

std::string u32(std::uint32_t v) {
    std::string out;
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
    return out;
}

std::string header(std::uint16_t version = htb::kVersion) {
    std::string out(htb::kMagic);
    out.push_back(static_cast<char>(version & 0xFF));
    out.push_back(static_cast<char>(version >> 8));
    out += std::string(2, '\0');
    return out;
}

std::string block(htb::BlockKind kind, std::uint32_t events, const std::string& payload) {
    std::string head(1, static_cast<char>(kind));
    head += u32(static_cast<std::uint32_t>(payload.size())) + u32(events);
    uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(head.data()), 9);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(payload.data()), static_cast<uInt>(payload.size()));
    return head + u32(static_cast<std::uint32_t>(crc)) + payload;
}

std::string end_block(std::uint8_t total) {
    return block(htb::BlockKind::End, 0, std::string(1, static_cast<char>(total)));
}

std::string define(const std::string& text) {
    return std::string(1, static_cast<char>(htb::kOpDefine)) +
           static_cast<char>(text.size()) + text;
}

std::string op(EventKind kind, std::uint8_t fields = 0) {
    return std::string(1, static_cast<char>(static_cast<std::uint8_t>(kind) | (fields << htb::kFieldShift)));
}

/// The only diagnostic of reading `bytes` as x.htb (lenient, so that a
/// non-fatal one would let reading go on and show more).
Diagnostic only_error(const std::string& bytes, std::size_t* events = nullptr) {
    const auto r = read(bytes, "x.htb", Mode::Lenient);
    REQUIRE(r->errors().size() == 1);
    if (events != nullptr) *events = r->events().size();
    return r->error(0);
}

const std::string kSmall =
    "type Node instance\nalloc a Node site=x.py:1\n@5 alloc b list a\nbind x b\nset a k b\n"
    "collect\nexpect count 0 0 0\n";

}  // namespace

TEST_CASE("htb: a hand-built trace reads as its events") {
    const std::string bytes = header() +
                              block(htb::BlockKind::Events, 2,
                                    define("list") + define("a") + op(EventKind::Alloc) + '\0' + '\1' +
                                        op(EventKind::Collect, 1)) +
                              end_block(2);
    const auto r = read(bytes, "data");  // found by its magic bytes
    REQUIRE(r->errors().empty());
    CHECK(r->summary.format == TraceFormat::Binary);
    CHECK(r->summary.events == 2);
    REQUIRE(r->events().size() == 2);
    CHECK(r->str(r->event(0).id) == "a");
    CHECK(r->str(r->event(0).type) == "list");
    CHECK(r->event(1).kind == EventKind::Collect);
    CHECK(r->event(1).generation == 1);
}

TEST_CASE("htb: damaged headers") {
    Diagnostic d = only_error("\x89HTX\r\n\x1a\n\1\0\0\0");
    CHECK(d.kind == ErrorKind::Header);
    CHECK(d.fatal);
    CHECK(d.message == "not a binary heap trace (no htb magic bytes)");
    CHECK(only_error("").message == "not a binary heap trace (no htb magic bytes)");
    d = only_error(header(2) + end_block(0));
    CHECK(d.kind == ErrorKind::Header);
    CHECK(d.message == "unsupported htb version 2 (this reader supports version 1)");
    CHECK(only_error(header().substr(0, 10)).message == "truncated header");
}

TEST_CASE("htb: a flipped byte anywhere is caught") {
    const std::string good = rewrite(kSmall, "a.trace", "a.htb");
    REQUIRE(read(good, "a.htb")->errors().empty());
    for (std::size_t i = 0; i < good.size(); ++i) {
        CAPTURE(i);
        std::string bad = good;
        bad[i] = static_cast<char>(bad[i] ^ 0x20);
        const Diagnostic d = only_error(bad);
        CHECK(d.fatal);
        if (i >= htb::kHeaderSize) {
            // The block header and payload are under the checksum. (A
            // flipped length can also show as a truncated block.)
            const bool checksum = d.message.find("checksum mismatch") != std::string::npos;
            const bool truncated = d.message.find("truncated block") != std::string::npos;
            const bool too_long = d.message.find("exceeds the limit") != std::string::npos;
            const bool kind = d.message.find("unknown block kind") != std::string::npos;
            CHECK((checksum || truncated || too_long || kind));
            CHECK(d.message.starts_with("block "));
        }
    }
    std::string bad = good;
    bad[htb::kHeaderSize + htb::kBlockHeaderSize + 3] ^= 1;
    const Diagnostic d = only_error(bad);
    CHECK(d.kind == ErrorKind::Io);
    CHECK(d.message == "block 1 at byte 12: checksum mismatch (the block is damaged)");
    CHECK(d.line == 1);  // the block's first event
}

TEST_CASE("htb: truncation at any byte is one diagnostic, never a crash") {
    const std::string good = rewrite(kSmall, "a.trace", "a.htb");
    for (std::size_t n = 0; n < good.size(); ++n) {
        CAPTURE(n);
        std::size_t events = 0;
        const Diagnostic d = only_error(good.substr(0, n), &events);
        CHECK(d.fatal);
        CHECK(events <= 7);
    }
    // Cut at the block boundary: the end block is missing.
    const std::string trace = header() + block(htb::BlockKind::Events, 1, define("a") + op(EventKind::Drop) + '\0');
    std::size_t events = 0;
    const Diagnostic d = only_error(trace, &events);
    CHECK(events == 1);
    CHECK(d.message == "block 2 at byte 30: truncated trace: the end block is missing");
    CHECK(d.line == 2);
    CHECK(only_error(good.substr(0, good.size() - 1)).message.ends_with(": truncated block (0 of 1 bytes)"));
    CHECK(only_error(good.substr(0, good.size() - 3)).message.ends_with(": truncated block header"));
}

TEST_CASE("htb: malformed records inside a good checksum") {
    const auto events_block = [](std::uint32_t n, const std::string& payload) {
        return header() + block(htb::BlockKind::Events, n, payload) + end_block(static_cast<std::uint8_t>(n));
    };
    // A varint longer than 64 bits.
    Diagnostic d = only_error(events_block(1, define("a") + op(EventKind::Drop) + std::string(11, '\xff')));
    CHECK(d.message == "block 1 at byte 12: bad varint (more than 64 bits)");
    CHECK(d.line == 1);
    // A record cut at the end of its block.
    d = only_error(events_block(1, define("a") + op(EventKind::Bind) + '\0'));
    CHECK(d.message == "block 1 at byte 12: record cut short at the end of the block");
    // An index before the first definition.
    d = only_error(events_block(1, define("a") + op(EventKind::Clear) + '\1'));
    CHECK(d.message == "block 1 at byte 12: unknown string index (1 back, 1 defined)");
    // A reset forgets every string.
    d = only_error(events_block(1, define("a") + static_cast<char>(htb::kOpReset) + op(EventKind::Clear) + '\0'));
    CHECK(d.message == "block 1 at byte 12: unknown string index (0 back, 0 defined)");
    // Unknown record, unknown expectation, empty string, string past the block.
    CHECK(only_error(events_block(1, "\x3f")).message == "block 1 at byte 12: unknown record 63");
    CHECK(only_error(events_block(1, op(EventKind::Expect, 6))).message ==
          "block 1 at byte 12: unknown expectation 6");
    CHECK(only_error(events_block(0, define(""))).message == "block 1 at byte 12: bad string length 0");
    CHECK(only_error(events_block(0, "\x0f\x05" "ab")).message ==
          "block 1 at byte 12: string cut short at the end of the block");
    // The block's event count and the end block's total are checked.
    d = only_error(events_block(2, define("a") + op(EventKind::Drop) + '\0'));
    CHECK(d.message == "block 1 at byte 12: holds 1 events, its header says 2");
    d = only_error(header() + block(htb::BlockKind::Events, 1, define("a") + op(EventKind::Drop) + '\0') +
                   end_block(3));
    CHECK(d.message == "block 2 at byte 30: the end block counts 3 events, the trace holds 1");
    // Nothing may follow the end block.
    CHECK(only_error(header() + end_block(0) + "x").message ==
          "block 1 at byte 12: data after the end block");
    CHECK(only_error(header() + block(static_cast<htb::BlockKind>(9), 0, "")).message ==
          "block 1 at byte 12: unknown block kind 9");
}

TEST_CASE("htb: an operand of the wrong kind is an ordinary bad event") {
    // "a b" is a fine label but no id; generation 3 does not exist.
    const std::string bytes =
        header() +
        block(htb::BlockKind::Events, 3,
              define("a b") + op(EventKind::Drop) + '\0' + op(EventKind::Collect, 3) +
                  define("c") + op(EventKind::Drop) + '\0') +
        end_block(3);
    const auto r = read(bytes, "x.htb", Mode::Lenient);
    REQUIRE(r->errors().size() == 2);
    CHECK(r->error(0).kind == ErrorKind::BadToken);
    CHECK_FALSE(r->error(0).fatal);
    CHECK(r->error(0).message ==
          "drop: bad id 'a b' (ids are 1-64 characters of A-Za-z0-9_.:-)");
    CHECK(r->error(0).line == 1);
    CHECK(r->error(1).kind == ErrorKind::InvalidGeneration);
    CHECK(r->error(1).line == 2);
    REQUIRE(r->events().size() == 1);
    CHECK(r->str(r->event(0).id) == "c");
    CHECK(r->event(0).number == 3);
    // Strict: the first one stops the read.
    const auto strict = read(bytes, "x.htb");
    CHECK(strict->errors().size() == 1);
    CHECK(strict->events().empty());
    CHECK(strict->summary.stopped);
}

TEST_CASE("htb: a damaged compressed binary trace reports the compression error") {
    const std::string good = rewrite(kSmall, "a.trace", "a.htb.gz");
    std::string bad = good.substr(0, good.size() - 6);
    const Diagnostic d = only_error(bad);
    CHECK(d.kind == ErrorKind::Io);
    CHECK(d.fatal);
    CHECK(d.message.find("gzip") != std::string::npos);
}

TEST_CASE("htb: garbage payloads under valid checksums end in diagnostics, never a crash") {
    // Many small blocks, frequent resets: every record type and both
    // control records occur. Payload bytes are mutated and the checksums
    // recomputed, so the decoder itself meets the garbage.
    HtbWriterOptions small;
    small.dictionary_limit = 8;
    small.block_size = 16;
    const std::string good = test::to_htb(kSmall + "weakref w a callback=cb\nthreshold 1 2 3\n"
                                                   "type T gc size=3 slots=2\ngc freeze\n",
                                          "a.trace", small);
    std::vector<std::pair<std::size_t, std::size_t>> payloads;  // offset, length
    for (std::size_t at = htb::kHeaderSize; at < good.size();) {
        std::uint32_t length = 0;
        for (int i = 3; i >= 0; --i) length = (length << 8) | static_cast<unsigned char>(good[at + 1 + i]);
        payloads.emplace_back(at, length);
        at += htb::kBlockHeaderSize + length;
    }
    REQUIRE(payloads.size() > 3);
    std::uint64_t state = 0x2545F4914F6CDD1Dull;  // fixed seed
    const auto next = [&state] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    };
    for (int round = 0; round < 3000; ++round) {
        std::string bytes = good;
        const auto [at, length] = payloads[next() % (payloads.size() - 1)];  // not the end block
        for (int e = 1 + static_cast<int>(next() % 3); e > 0; --e) {
            bytes[at + htb::kBlockHeaderSize + next() % length] = static_cast<char>(next());
        }
        const std::string head = bytes.substr(at, 9);
        uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(head.data()), 9);
        crc = crc32(crc, reinterpret_cast<const Bytef*>(bytes.data() + at + htb::kBlockHeaderSize),
                    static_cast<uInt>(length));
        bytes.replace(at + 9, 4, u32(static_cast<std::uint32_t>(crc)));
        const auto r = read(bytes, "m.htb", Mode::Lenient);
        for (std::size_t i = 0; i + 1 < r->errors().size(); ++i) CHECK_FALSE(r->error(i).fatal);
        CHECK(r->summary.events >= r->events().size());
    }
}
