#include "workloads/workload_writer.h"

#include <charconv>
#include <ostream>
#include <stdexcept>

namespace heapsim::workload {

namespace {
constexpr std::size_t kFlushBytes = 1 << 16;
}

WorkloadWriter::WorkloadWriter(std::ostream& out, bool timed) : out_(out), stamp_(timed) {
    buf_.reserve(kFlushBytes + 4096);
}

WorkloadWriter::~WorkloadWriter() {
    flush();
}

void WorkloadWriter::flush() {
    out_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
    buf_.clear();
}

void WorkloadWriter::raw_line(std::string_view text) {
    put(text);
    buf_ += '\n';
}

Id WorkloadWriter::new_id() {
    if (free_.empty()) {
        if (next_ == UINT32_MAX) throw std::length_error("workload trace: ids exhausted");
        return next_++;
    }
    const Id id = free_.back();
    free_.pop_back();
    return id;
}

// --- low-level output ---

void WorkloadWriter::put(std::string_view text) {
    buf_.append(text.data(), text.size());
}

void WorkloadWriter::put_number(std::uint64_t n) {
    char digits[24];
    const auto r = std::to_chars(digits, digits + sizeof digits, n);
    buf_.append(digits, r.ptr);
}

void WorkloadWriter::put_id(Id id) {
    put(" o");
    put_number(id);
}

void WorkloadWriter::put_tok(Tok t) {
    buf_ += ' ';
    put(t.text);
    if (t.n != Tok::kNoIndex) put_number(t.n);
}

/// Starts an event line, with the time if the clock moved since the last one.
void WorkloadWriter::begin(std::string_view event) {
    if (stamp_) {
        buf_ += '@';
        put_number(now_);
        buf_ += ' ';
        stamp_ = false;
    }
    put(event);
}

void WorkloadWriter::end() {
    buf_ += '\n';
    ++events_;
    if (buf_.size() >= kFlushBytes) flush();
}

// --- events ---

void WorkloadWriter::type(std::string_view declaration) {
    begin("type ");
    put(declaration);
    end();
}

Id WorkloadWriter::alloc(std::string_view type, std::initializer_list<Id> refs,
                         std::string_view site) {
    return alloc_span(type, refs.begin(), refs.size(), site);
}

Id WorkloadWriter::alloc_refs(std::string_view type, const std::vector<Id>& refs,
                              std::string_view site) {
    return alloc_span(type, refs.data(), refs.size(), site);
}

Id WorkloadWriter::alloc_span(std::string_view type, const Id* refs, std::size_t n,
                              std::string_view site) {
    const Id id = new_id();
    begin("alloc");
    put_id(id);
    buf_ += ' ';
    put(type);
    for (std::size_t i = 0; i < n; ++i) put_id(refs[i]);
    if (!site.empty()) {
        put(" site=");
        put(site);
    }
    end();
    return id;
}

Id WorkloadWriter::weakref(Id target, Tok callback) {
    const Id id = new_id();
    begin("weakref");
    put_id(id);
    put_id(target);
    if (!callback.text.empty()) {
        put(" callback=");
        put(callback.text);
        if (callback.n != Tok::kNoIndex) put_number(callback.n);
    }
    end();
    return id;
}

void WorkloadWriter::bind(Tok name, Id id) {
    begin("bind");
    put_tok(name);
    put_id(id);
    end();
}

void WorkloadWriter::unbind(Tok name) {
    begin("unbind");
    put_tok(name);
    end();
}

void WorkloadWriter::set(Id container, Tok key, Id value) {
    begin("set");
    put_id(container);
    put_tok(key);
    put_id(value);
    end();
}

void WorkloadWriter::unset(Id container, Tok key) {
    begin("unset");
    put_id(container);
    put_tok(key);
    end();
}

void WorkloadWriter::append(Id container, Id value) {
    begin("append");
    put_id(container);
    put_id(value);
    end();
}

void WorkloadWriter::clear(Id container) {
    begin("clear");
    put_id(container);
    end();
}

void WorkloadWriter::remove(Id container, Id value) {
    begin("remove");
    put_id(container);
    put_id(value);
    end();
}

void WorkloadWriter::drop(Id id) {
    begin("drop");
    put_id(id);
    end();
}

void WorkloadWriter::collect(int generation, bool spelled) {
    begin(generation == 2   ? (spelled ? "collect 2" : "collect")
          : generation == 1 ? "collect 1"
                            : "collect 0");
    end();
    if (generation != 2) return;
    ++full_collects_;
    free_.insert(free_.end(), deferred_.begin(), deferred_.end());
    deferred_.clear();
}

void WorkloadWriter::threshold(std::span<const std::uint64_t> values) {
    begin("threshold");
    for (const std::uint64_t t : values) {
        buf_ += ' ';
        put_number(t);
    }
    end();
}

void WorkloadWriter::gc(std::string_view action) {
    begin("gc ");
    put(action);
    end();
}

void WorkloadWriter::expect_alive(Id id) {
    begin("expect alive");
    put_id(id);
    end();
}

}  // namespace heapsim::workload
