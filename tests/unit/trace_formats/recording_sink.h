#pragma once
// Test helpers for the trace readers: a sink that records what it is given,
// one-call reading of a trace held in a string, and in-test compression (so
// that no binary fixture is committed).

#include <zlib.h>
#include <zstd.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "events/diagnostic.h"
#include "events/event.h"
#include "events/symbol_table.h"
#include "trace_formats/trace_reader.h"

namespace heapsim::test {

/// Records every event (with a copy of its refs, which only live during the
/// call) and every diagnostic. Lenient sinks go on after errors.
class RecordingSink : public EventSink {
  public:
    explicit RecordingSink(bool lenient = false) : lenient_(lenient) {}

    bool on_event(const Event& event) override {
        events.push_back(event);
        refs.emplace_back(event.refs.begin(), event.refs.end());
        events.back().refs = {};
        return !stop_after || events.size() < *stop_after;
    }
    bool on_error(const Diagnostic& diagnostic) override {
        errors.push_back(diagnostic);
        return lenient_;
    }

    std::vector<Event> events;
    std::vector<std::vector<Sym>> refs;  // refs[i] belongs to events[i]
    std::vector<Diagnostic> errors;
    std::optional<std::size_t> stop_after;  // return false after this many events

  private:
    bool lenient_;
};

enum class Mode { Strict, Lenient };

/// A trace read from a string, with its symbols and what the sink saw.
struct ReadResult {
    SymbolTable symbols;
    RecordingSink sink;
    ReadSummary summary;

    explicit ReadResult(Mode mode) : sink(mode == Mode::Lenient) {}
    std::string_view str(Sym s) const { return symbols.str(s); }
    const std::vector<Event>& events() const { return sink.events; }
    const std::vector<Diagnostic>& errors() const { return sink.errors; }
    const Event& event(std::size_t i) const { return sink.events.at(i); }
    const Diagnostic& error(std::size_t i) const { return sink.errors.at(i); }
};

inline std::unique_ptr<ReadResult> read(const std::string& bytes,
                                        const std::string& name = "test.trace",
                                        Mode mode = Mode::Strict) {
    auto result = std::make_unique<ReadResult>(mode);
    result->summary = read_trace_buffer(bytes, name, result->symbols, result->sink);
    return result;
}

/// Reads one line in lenient mode and returns its only diagnostic; throws
/// when there is not exactly one.
inline Diagnostic only_error(const std::string& bytes, const std::string& name = "test.trace") {
    const auto result = read(bytes, name, Mode::Lenient);
    if (result->errors().size() != 1) {
        throw std::runtime_error("expected one diagnostic for: " + bytes + ", got " +
                                 std::to_string(result->errors().size()));
    }
    return result->error(0);
}

/// One gzip member holding `data`.
inline std::string gzip(std::string_view data) {
    z_stream zs{};
    if (deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        throw std::runtime_error("deflateInit2 failed");
    }
    std::string out(deflateBound(&zs, data.size()) + 32, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    if (rc != Z_STREAM_END) throw std::runtime_error("deflate failed");
    return out;
}

/// One zstd frame holding `data`.
inline std::string zstd(std::string_view data) {
    std::string out(ZSTD_compressBound(data.size()), '\0');
    const std::size_t n = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 3);
    if (ZSTD_isError(n)) throw std::runtime_error("ZSTD_compress failed");
    out.resize(n);
    return out;
}

}  // namespace heapsim::test
