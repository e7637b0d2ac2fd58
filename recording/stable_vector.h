#pragma once
// A growable array of (non-trivial) elements stored in fixed-size chunks:
// growing never moves an element, so the importer's object table (millions
// of entries, each with its reference vectors) is never copied when it
// doubles and its memory is touched once. events/chunked_vector.h is the
// same for trivially destructible elements.

#include <cstddef>
#include <memory>
#include <vector>

namespace heapsim {

template <typename T, unsigned kChunkBits = 12>
class StableVector {
  public:
    static constexpr std::size_t kChunkSize = std::size_t{1} << kChunkBits;

    T& operator[](std::size_t i) { return chunks_[i >> kChunkBits][i & (kChunkSize - 1)]; }
    const T& operator[](std::size_t i) const {
        return chunks_[i >> kChunkBits][i & (kChunkSize - 1)];
    }
    std::size_t size() const { return size_; }

    /// Appends a value-initialized element and returns it.
    T& emplace_back() {
        if ((size_ >> kChunkBits) == chunks_.size())
            chunks_.push_back(std::make_unique<T[]>(kChunkSize));
        return (*this)[size_++];
    }

  private:
    std::vector<std::unique_ptr<T[]>> chunks_;
    std::size_t size_ = 0;
};

}  // namespace heapsim
