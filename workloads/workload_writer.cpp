#include "workloads/workload_writer.h"

#include <ostream>
#include <stdexcept>

namespace heapsim::workload {

WorkloadWriter::WorkloadWriter(std::ostream& out, bool timed) : out_(out), stamp_(timed) {}

WorkloadWriter::~WorkloadWriter() {
    flush();
}

void WorkloadWriter::flush() {
    out_.flush();
}

void WorkloadWriter::raw_line(std::string_view text) {
    out_.put(text);
    out_.put('\n');
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

void WorkloadWriter::put_id(Id id) {
    out_.put(" o");
    out_.put_number(id);
}

void WorkloadWriter::put_tok(Tok t) {
    out_.put(' ');
    out_.put(t.text);
    if (t.n != Tok::kNoIndex) out_.put_number(t.n);
}

/// Starts an event line, with the time if the clock moved since the last one.
void WorkloadWriter::begin(std::string_view event) {
    if (stamp_) {
        out_.put('@');
        out_.put_number(now_);
        out_.put(' ');
        stamp_ = false;
    }
    out_.put(event);
}

void WorkloadWriter::end() {
    out_.put('\n');
    ++events_;
    out_.end_record();
}

// --- events ---

void WorkloadWriter::type(std::string_view declaration) {
    begin("type ");
    out_.put(declaration);
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
    out_.put(' ');
    out_.put(type);
    for (std::size_t i = 0; i < n; ++i) put_id(refs[i]);
    if (!site.empty()) {
        out_.put(" site=");
        out_.put(site);
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
        out_.put(" callback=");
        out_.put(callback.text);
        if (callback.n != Tok::kNoIndex) out_.put_number(callback.n);
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
        out_.put(' ');
        out_.put_number(t);
    }
    end();
}

void WorkloadWriter::gc(std::string_view action) {
    begin("gc ");
    out_.put(action);
    end();
}

void WorkloadWriter::expect_alive(Id id) {
    begin("expect alive");
    put_id(id);
    end();
}

}  // namespace heapsim::workload
