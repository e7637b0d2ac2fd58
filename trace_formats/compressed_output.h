#pragma once
// The writing side of byte_source.h's decompression: an std::streambuf that
// gzip- or zstd-compresses what is written to it into another stream, in
// fixed-size chunks, so a trace writer can produce `.gz`/`.zst` output in
// constant memory. finish() ends the compressed stream (gzip trailer, zstd
// frame epilogue); without it the output is truncated.

#include <memory>
#include <ostream>
#include <streambuf>
#include <vector>

#include "trace_formats/byte_source.h"

namespace heapsim {

class CompressingStreambuf final : public std::streambuf {
  public:
    /// `compression` must be Gzip or Zstd; `sink` must outlive this.
    CompressingStreambuf(Compression compression, std::ostream& sink);
    ~CompressingStreambuf() override;

    /// Compresses what is buffered, ends the stream and flushes `sink`.
    /// False if compressing or writing failed at any point.
    bool finish();

    class Encoder;  // one per compression (compressed_output.cpp)

  protected:
    int_type overflow(int_type ch) override;
    int sync() override;

  private:
    bool drain();  // hands the buffered bytes to the encoder

    std::unique_ptr<Encoder> encoder_;
    std::vector<char> buffer_;
    bool failed_ = false;
};

}  // namespace heapsim
