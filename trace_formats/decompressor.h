#pragma once
// Streaming decoders for compressed traces (gzip, zstd). They pull
// compressed bytes from a RawInput in fixed chunks, so memory stays constant
// however long the trace is, and they turn every way a stream can be broken
// (truncated, corrupt) into an error message instead of a crash or a hang.

#include <cstddef>
#include <memory>
#include <string>

#include "trace_formats/raw_input.h"

namespace heapsim {

class Decompressor {
  public:
    virtual ~Decompressor() = default;
    /// Up to `capacity` decoded bytes into `out`; 0 at the end of the stream
    /// or on failure (then error() is set).
    virtual std::size_t read(char* out, std::size_t capacity) = 0;
    const std::string& error() const { return error_; }

    /// Compressed bytes read from the input per refill.
    static constexpr std::size_t kChunk = 256 * 1024;

  protected:
    std::string error_;
};

/// gzip, including several concatenated members (as `cat a.gz b.gz` makes).
std::unique_ptr<Decompressor> make_gzip_decompressor(RawInput& input);
/// zstd, including several concatenated frames.
std::unique_ptr<Decompressor> make_zstd_decompressor(RawInput& input);

}  // namespace heapsim
