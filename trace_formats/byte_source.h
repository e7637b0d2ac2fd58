#pragma once
// The decoded bytes of a trace, whatever holds them: a file, standard input
// ("-") or a buffer, plain or compressed. Compression is recognised by magic
// bytes (gzip 1f 8b, zstd 28 b5 2f fd), not by the file name, so a renamed
// or piped file still reads. Bytes arrive in chunks: memory never grows with
// the input's length.
//
// Every failure (unreadable file, corrupt or truncated stream) ends the
// stream and becomes one fatal ErrorKind::Io diagnostic in error().

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "events/diagnostic.h"
#include "trace_formats/decompressor.h"
#include "trace_formats/raw_input.h"

namespace heapsim {

enum class Compression { None, Gzip, Zstd };

class ByteSource {
  public:
    /// Reads the file at `path`, or standard input for "-".
    static ByteSource open(const std::string& path);
    /// Reads `bytes` in place; they must outlive the ByteSource.
    static ByteSource over(std::string_view bytes);
    static ByteSource over(std::string&&) = delete;  // would dangle at once

    ByteSource(ByteSource&&) noexcept;
    ByteSource& operator=(ByteSource&&) = delete;
    ~ByteSource();

    /// Up to `capacity` decoded bytes into `out`; 0 at the end or on failure.
    std::size_t read(char* out, std::size_t capacity);
    /// The next `n` decoded bytes (fewer at the end), without consuming
    /// them; used to sniff the encoding. Holds at most kMaxPeek bytes.
    std::string_view peek(std::size_t n);

    /// The fatal Io diagnostic once reading failed, else null.
    const Diagnostic* error() const { return error_ ? &*error_ : nullptr; }
    Compression compression() const { return compression_; }

    static constexpr std::size_t kMaxPeek = 64 * 1024;

  private:
    explicit ByteSource(RawInput raw);
    void detect_compression();
    std::size_t read_decoded(char* out, std::size_t capacity);
    void fail(const std::string& message);

    // Behind a pointer so that the decompressor's reference to it survives
    // moves of the ByteSource.
    std::unique_ptr<RawInput> raw_;
    std::unique_ptr<Decompressor> decoder_;
    Compression compression_ = Compression::None;
    std::string lookahead_;  // bytes peeked but not yet read
    std::size_t lookahead_pos_ = 0;
    std::optional<Diagnostic> error_;
};

}  // namespace heapsim
