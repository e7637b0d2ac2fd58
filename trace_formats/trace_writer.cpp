#include "trace_formats/trace_writer.h"

#include "trace_formats/compressed_output.h"
#include "trace_formats/htb_writer.h"
#include "trace_formats/jsonl_writer.h"
#include "trace_formats/text_writer.h"

namespace heapsim {
namespace {

// Splits a trailing ".gz"/".zst" off `name`.
Compression take_compression(std::string_view& name) {
    if (name.ends_with(".gz")) {
        name.remove_suffix(3);
        return Compression::Gzip;
    }
    if (name.ends_with(".zst")) {
        name.remove_suffix(4);
        return Compression::Zstd;
    }
    return Compression::None;
}

std::unique_ptr<TraceWriter> plain_writer(TraceFormat format, std::ostream& out,
                                          const SymbolTable& symbols) {
    switch (format) {
        case TraceFormat::JsonLines:
            return std::make_unique<JsonLinesTraceWriter>(out, symbols);
        case TraceFormat::Binary:
            return std::make_unique<HtbTraceWriter>(out, symbols);
        default:
            return std::make_unique<TextTraceWriter>(out, symbols);
    }
}

// A writer into a compressing stream over the real output. Members are
// declared in construction order: the buffer, the stream over it, then the
// encoding writer on that stream.
class CompressedTraceWriter final : public TraceWriter {
  public:
    CompressedTraceWriter(const OutputEncoding& encoding, std::ostream& out,
                          const SymbolTable& symbols)
        : out_(out),
          buffer_(encoding.compression, out),
          stream_(&buffer_),
          inner_(plain_writer(encoding.format, stream_, symbols)) {}

    void write(const Event& event) override { inner_->write(event); }
    bool set_interpreter(const TraceInterpreter& interpreter) override {
        return inner_->set_interpreter(interpreter);
    }
    bool accept_numbered_ids() override { return inner_->accept_numbered_ids(); }
    bool finish() override {
        const bool written = inner_->finish();
        return buffer_.finish() && written && static_cast<bool>(out_.flush());
    }

  private:
    std::ostream& out_;
    CompressingStreambuf buffer_;
    std::ostream stream_;
    std::unique_ptr<TraceWriter> inner_;
};

}  // namespace

std::optional<OutputEncoding> encoding_from_name(std::string_view name) {
    OutputEncoding encoding;
    encoding.compression = take_compression(name);
    if (name.ends_with(".trace") || name.ends_with(".txt")) {
        encoding.format = TraceFormat::Text;
    } else if (name.ends_with(".jsonl")) {
        encoding.format = TraceFormat::JsonLines;
    } else if (name.ends_with(".htb")) {
        encoding.format = TraceFormat::Binary;
    } else {
        return std::nullopt;
    }
    return encoding;
}

std::optional<OutputEncoding> encoding_from_format_name(std::string_view name) {
    OutputEncoding encoding;
    encoding.compression = take_compression(name);
    if (name == "text" || name == "trace") {
        encoding.format = TraceFormat::Text;
    } else if (name == "jsonl") {
        encoding.format = TraceFormat::JsonLines;
    } else if (name == "htb") {
        encoding.format = TraceFormat::Binary;
    } else {
        return std::nullopt;
    }
    return encoding;
}

std::unique_ptr<TraceWriter> make_trace_writer(const OutputEncoding& encoding, std::ostream& out,
                                               const SymbolTable& symbols) {
    if (encoding.compression == Compression::None) {
        return plain_writer(encoding.format, out, symbols);
    }
    return std::make_unique<CompressedTraceWriter>(encoding, out, symbols);
}

}  // namespace heapsim
