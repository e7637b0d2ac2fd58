#pragma once
// A growable array of (non-trivial) elements stored in fixed-size chunks:
// growing never moves an element, so the importer's object table (millions
// of entries, each with its reference vectors) is never copied when it
// doubles and its memory is touched once. events/chunked_vector.h is the
// same for trivially destructible elements.
//
// Chunks are 2 MiB, aligned to 2 MiB and advised as huge pages
// (MADV_HUGEPAGE; honoured where transparent huge pages are "madvise" or
// "always"): one page fault per chunk instead of 512. An events-mode import
// of 5.3 M objects spent a fifth of its CPU time in the kernel, faulting in
// this table 4 KiB at a time.

#include <sys/mman.h>

#include <algorithm>
#include <bit>
#include <cstddef>
#include <memory>
#include <new>
#include <vector>

namespace heapsim {

template <typename T>
class StableVector {
  public:
    static constexpr std::size_t kChunkBytes = std::size_t{2} << 20;
    static_assert(sizeof(T) <= kChunkBytes);
    static constexpr unsigned kChunkBits = std::bit_width(kChunkBytes / sizeof(T)) - 1;
    static constexpr std::size_t kChunkSize = std::size_t{1} << kChunkBits;

    StableVector() = default;
    StableVector(const StableVector&) = delete;
    StableVector& operator=(const StableVector&) = delete;
    ~StableVector() {
        for (std::size_t c = 0; c < chunks_.size(); ++c) {
            std::destroy_n(chunks_[c], std::min(kChunkSize, size_ - c * kChunkSize));
            ::operator delete (chunks_[c], std::align_val_t{kChunkBytes});
        }
    }

    T& operator[](std::size_t i) { return chunks_[i >> kChunkBits][i & (kChunkSize - 1)]; }
    const T& operator[](std::size_t i) const {
        return chunks_[i >> kChunkBits][i & (kChunkSize - 1)];
    }
    std::size_t size() const { return size_; }

    /// Appends a value-initialized element and returns it.
    T& emplace_back() {
        if ((size_ >> kChunkBits) == chunks_.size()) add_chunk();
        T* const slot = &(*this)[size_];
        ::new (static_cast<void*>(slot)) T();
        ++size_;
        return *slot;
    }

  private:
    // Raw storage: elements are constructed as they are appended, so a small
    // import touches only what it uses.
    void add_chunk() {
        chunks_.reserve(chunks_.size() + 1);  // so that the push_back below cannot throw
        void* p = ::operator new (kChunkBytes, std::align_val_t{kChunkBytes});
        ::madvise(p, kChunkBytes, MADV_HUGEPAGE);  // advice only: no error to handle
        chunks_.push_back(static_cast<T*>(p));
    }

    std::vector<T*> chunks_;
    std::size_t size_ = 0;
};

}  // namespace heapsim
