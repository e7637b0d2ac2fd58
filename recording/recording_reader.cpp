#include "recording/recording_reader.h"

#include <cstring>

namespace heapsim {

namespace {
constexpr char kMagic[8] = {'h', 'e', 'a', 'p', 's', 'i', 'm', 'R'};
}

bool RecordingReader::fail(const std::string& message) {
    if (error_.empty()) error_ = "byte " + std::to_string(offset()) + ": " + message;
    return false;
}

// Makes at least `need` bytes available (fewer only at the end of input).
bool RecordingReader::fill(std::size_t need) {
    if (len_ - pos_ >= need) return true;
    if (pos_ > 0) {
        std::memmove(buf_.data(), buf_.data() + pos_, len_ - pos_);
        consumed_ += pos_;
        len_ -= pos_;
        pos_ = 0;
    }
    while (!eof_ && len_ < need) {
        const std::size_t n = source_.read(buf_.data() + len_, buf_.size() - len_);
        if (n == 0) {
            eof_ = true;
            if (source_.error()) return fail(source_.error()->message);
        }
        len_ += n;
    }
    return len_ - pos_ >= need;
}

// The varint at the end of the input (fewer than ten bytes buffered).
bool RecordingReader::varint_slow(std::uint64_t& v) {
    if (len_ - pos_ < 10) fill(10);
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (pos_ == len_) return fail("truncated record");
        const auto b = static_cast<std::uint8_t>(buf_[pos_++]);
        v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
        if (b < 0x80) return true;
    }
    return fail("varint longer than 64 bits");
}

bool RecordingReader::read_header(RecordingHeader& h) {
    if (!fill(8) || std::memcmp(buf_.data() + pos_, kMagic, 8) != 0)
        return fail(error_.empty() ? "not a heapsim_record recording (no 'heapsimR' magic)"
                                   : error_);
    pos_ += 8;
    std::uint64_t n = 0, v = 0;
    if (!varint(h.version)) return false;
    if (h.version != 1 && h.version != kRecordingVersionWeakrefs)
        return fail("recording format version " + std::to_string(h.version) + " is not supported");
    if (!varint(n) || n > 4096 || !fill(n)) return fail("truncated header");
    h.interpreter.assign(buf_.data() + pos_, n);
    pos_ += n;
    if (!varint(h.hexversion) || !varint(h.wall_ns) || !varint(h.gc_head_size)) return false;
    for (auto& t : h.thresholds) {
        if (!varint(v)) return false;
        t = static_cast<std::int64_t>(v);
    }
    if (!varint(v)) return false;
    h.enabled = v != 0;
    for (auto& c : h.counts) {
        if (!varint(v)) return false;
        c = static_cast<std::int64_t>(v);
    }
    return true;
}

bool RecordingReader::next(Record& r) {
    if (pending_objects_) return fail("snapshot objects not read");
    if (pos_ == len_ && !fill(1))
        return false;  // the end (fill is a call: most records are buffered)
    r.kind = static_cast<RecordKind>(static_cast<std::uint8_t>(buf_[pos_++]));
    ++records_;
    std::uint64_t v = 0;
    switch (r.kind) {
        case RecordKind::Type: {
            std::uint64_t tid = 0, flags = 0, n = 0;
            if (!varint(tid) || !varint(flags) || !varint(r.basicsize) || !varint(r.itemsize) ||
                !varint(n))
                return false;
            if (n > 4096 || !fill(n)) return fail("bad type name");
            r.tid = static_cast<std::uint32_t>(tid);
            r.type_flags = static_cast<std::uint32_t>(flags);
            r.type_name.assign(buf_.data() + pos_, n);
            pos_ += n;
            return true;
        }
        case RecordKind::NewFresh:
        case RecordKind::NewReused:
        case RecordKind::NewEarly:
            if (!addr(r.addr) || !varint(v)) return false;
            r.tid = static_cast<std::uint32_t>(v);
            return true;
        case RecordKind::Move:
            return addr(r.from) && addr(r.addr);
        case RecordKind::Dealloc:
        case RecordKind::Freed:
            return addr(r.addr);
        case RecordKind::GcState:
            for (auto& t : r.values) {
                if (!varint(v)) return false;
                t = static_cast<std::int64_t>(v);
            }
            if (!varint(v)) return false;
            r.enabled = v != 0;
            return true;
        case RecordKind::CollectStart:
        case RecordKind::Snapshot: {
            std::uint64_t gen = 0, ex = 0;
            if (!varint(gen) || !varint(ex)) return false;
            for (auto& c : r.values) {
                if (!varint(v)) return false;
                c = static_cast<std::int64_t>(v);
            }
            if (!varint(r.objects)) return false;
            if (gen > 2) return fail("collection of generation " + std::to_string(gen));
            r.generation = static_cast<int>(gen);
            r.explicit_collect = ex != 0;
            pending_objects_ = r.objects;
            return true;
        }
        case RecordKind::CollectStop: {
            std::uint64_t gen = 0;
            if (!varint(gen) || !varint(r.collected) || !varint(r.uncollectable)) return false;
            if (gen > 2) return fail("collection of generation " + std::to_string(gen));
            r.generation = static_cast<int>(gen);
            return true;
        }
        case RecordKind::Time:
            return varint(r.time_ns);
        case RecordKind::End:
            if (!varint(r.end_reason)) return false;
            for (auto& c : r.values) {
                if (!varint(v)) return false;
                c = static_cast<std::int64_t>(v);
            }
            return true;
        case RecordKind::Freeze:
        case RecordKind::Unfreeze:
            for (auto& c : r.values) {
                if (!varint(v)) return false;
                c = static_cast<std::int64_t>(v);
            }
            return true;
        case RecordKind::LongLived:
            for (int i = 0; i < 2; ++i) {
                if (!varint(v)) return false;
                r.values[i] = static_cast<std::int64_t>(v);
            }
            return true;
        case RecordKind::Weakref:
            if (!addr(r.addr) || !addr(r.from) || !varint(v)) return false;
            r.callback = (v & 1) != 0;
            return true;
        case RecordKind::DebugCount:
            return varint(v);
    }
    static const char* hex = "0123456789abcdef";
    const auto k = static_cast<unsigned>(r.kind);
    return fail(std::string("unknown record type 0x") + hex[(k >> 4) & 15] + hex[k & 15]);
}

bool RecordingReader::next_object(SnapshotObject& o) {
    if (!pending_objects_) return fail("no snapshot object expected");
    --pending_objects_;
    std::uint64_t tid = 0, flags = 0, n = 0;
    if (!addr(o.addr) || !varint(tid) || !varint(o.refcnt) || !varint(flags) || !varint(n))
        return false;
    o.tid = static_cast<std::uint32_t>(tid);
    o.finalized = (flags & 1) != 0;
    o.generation = static_cast<int>(flags >> 1);
    // Grown as the referents are read: a corrupt count cannot reserve memory
    // the input does not back.
    o.refs.clear();
    for (std::uint64_t i = 0; i < n; ++i) {
        std::uint64_t a = 0;
        if (!addr(a)) return false;
        o.refs.push_back(a);
    }
    return true;
}

}  // namespace heapsim
