#pragma once
// Streaming decoder of a heapsim_record recording (docs/recording.md):
// zstd-compressed or plain, read in chunks from a ByteSource, one record at
// a time. A snapshot (COLLECT_START) is delivered as its header; its objects
// are then pulled one by one with next_object(), so memory does not grow
// with the recording's length.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "trace_formats/byte_source.h"

namespace heapsim {

/// Format versions read: 2 adds the WEAKREF records after each COLLECT_START
/// (a version 1 recording has none: which weakrefs have callbacks is unknown).
constexpr std::uint64_t kRecordingVersionWeakrefs = 2;

struct RecordingHeader {
    std::uint64_t version = 0;
    std::string interpreter;  // "cpython 3.12.1 got"
    std::uint64_t hexversion = 0;
    std::uint64_t wall_ns = 0;
    std::uint64_t gc_head_size = 0;
    std::array<std::int64_t, 3> thresholds{};
    bool enabled = true;
    std::array<std::int64_t, 3> counts{};
};

enum class RecordKind : std::uint8_t {
    Type = 0x01,
    NewFresh = 0x02,
    NewReused = 0x03,
    Move = 0x04,
    Dealloc = 0x05,
    Freed = 0x06,
    GcState = 0x07,
    CollectStart = 0x08,
    CollectStop = 0x09,
    Time = 0x0A,
    End = 0x0B,
    NewEarly = 0x0C,
    Snapshot = 0x0D,   // a young-generation snapshot without a collection (cadence)
    Freeze = 0x0E,     // gc.freeze(); values: the counts after it
    Unfreeze = 0x0F,   // gc.unfreeze(); values: the counts after it
    LongLived = 0x10,  // values[0] long_lived_total, values[1] long_lived_pending
    Weakref = 0x11,    // format 2, after CollectStart: addr the weakref, from its referent
    DebugCount = 0x7F,
};

/// Flags of a Type record.
enum : std::uint32_t {
    kTypeGc = 1,
    kTypeFinalizer = 2,
    kTypeLegacyFinalizer = 4,
    kTypeWeakrefable = 8,
    kTypeHeap = 16,
    kTypeManagedDict = 32,
    kTypeIsType = 64,
};

struct Record {
    RecordKind kind = RecordKind::Time;
    std::uint64_t addr = 0;  // New*, Move (new address), Dealloc, Freed
    std::uint64_t from = 0;  // Move: old address; Weakref: the referent
    std::uint32_t tid = 0;   // Type, New*
    std::uint32_t type_flags = 0;
    std::uint64_t basicsize = 0, itemsize = 0;
    std::string type_name;
    int generation = 0;  // CollectStart, CollectStop
    bool explicit_collect = false;
    std::array<std::int64_t, 3> values{};  // counts (CollectStart, End, Freeze, Unfreeze),
                                           // thresholds (GcState), LongLived (total, pending)
    bool enabled = true;                   // GcState
    bool callback = false;                 // Weakref: it has a callback
    std::uint64_t collected = 0, uncollectable = 0;  // CollectStop
    std::uint64_t objects = 0;                       // CollectStart: snapshot objects that follow
    std::uint64_t time_ns = 0;                       // Time
    std::uint64_t end_reason = 0;
};

struct SnapshotObject {
    std::uint64_t addr = 0;
    std::uint32_t tid = 0;
    std::uint64_t refcnt = 0;
    bool finalized = false;
    int generation = 0;
    std::vector<std::uint64_t> refs;  // reused between calls
};

class RecordingReader {
  public:
    explicit RecordingReader(ByteSource& source) : source_(source) {}

    /// Reads the magic and header; false (and error()) if this is not a recording.
    bool read_header(RecordingHeader& header);
    /// The next record; false at the end or on error (then error() is set).
    /// After a CollectStart, call next_object() `objects` times first.
    bool next(Record& record);
    bool next_object(SnapshotObject& object);

    const std::string& error() const { return error_; }
    /// Byte offset in the decompressed stream, for messages.
    std::uint64_t offset() const { return consumed_ + pos_; }
    std::uint64_t records() const { return records_; }

  private:
    bool fill(std::size_t need);
    /// Inline while ten bytes (the longest varint) are buffered: the
    /// decoder reads several per record, and a call plus a refill check
    /// each were a third of its cost (docs/performance.md, session 6).
    bool varint(std::uint64_t& v) {
        if (len_ - pos_ < 10) return varint_slow(v);
        const auto* p = reinterpret_cast<const std::uint8_t*>(buf_.data() + pos_);
        v = 0;
        for (int i = 0; i < 10; ++i) {
            v |= static_cast<std::uint64_t>(p[i] & 0x7F) << (7 * i);
            if (p[i] < 0x80) {
                pos_ += static_cast<std::size_t>(i) + 1;
                return true;
            }
        }
        pos_ += 10;
        return fail("varint longer than 64 bits");
    }
    bool varint_slow(std::uint64_t& v);
    // Addresses are zigzag deltas, in 8-byte words, from the previous address.
    bool addr(std::uint64_t& a) {
        std::uint64_t z = 0;
        if (!varint(z)) return false;
        const auto delta = static_cast<std::int64_t>((z >> 1) ^ (~(z & 1) + 1));
        last_addr_ += static_cast<std::uint64_t>(delta);
        a = last_addr_ << 3;
        return true;
    }
    bool fail(const std::string& message);

    ByteSource& source_;
    std::vector<char> buf_ = std::vector<char>(1 << 20);
    std::size_t pos_ = 0, len_ = 0;
    std::uint64_t consumed_ = 0;
    std::uint64_t last_addr_ = 0;
    std::uint64_t records_ = 0;
    std::uint64_t pending_objects_ = 0;
    bool eof_ = false;
    std::string error_;
};

}  // namespace heapsim
