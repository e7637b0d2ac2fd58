#pragma once
// A growable array stored in fixed-size chunks. Growing never moves existing
// elements, so there is no copy when the table doubles and no moment when old
// and new storage are both held: peak memory tracks the live size, which is
// what a heap of tens of millions of objects needs. Element addresses are
// stable for the table's lifetime.

#include <cstddef>
#include <memory>
#include <new>
#include <type_traits>
#include <vector>

namespace heapsim {

template <typename T, unsigned kChunkBits = 14>
class ChunkedVector {
    static_assert(std::is_trivially_destructible_v<T>, "elements are never destroyed one by one");

public:
    static constexpr std::size_t kChunkSize = std::size_t{1} << kChunkBits;

    ChunkedVector() = default;
    ChunkedVector(const ChunkedVector& other) { *this = other; }
    ChunkedVector& operator=(const ChunkedVector& other) {
        if (this == &other) return *this;
        chunks_.clear();
        size_ = 0;
        for (std::size_t i = 0; i < other.size_; ++i) push_back(other[i]);
        return *this;
    }
    ChunkedVector(ChunkedVector&&) noexcept = default;
    ChunkedVector& operator=(ChunkedVector&&) noexcept = default;

    T& operator[](std::size_t i) { return chunks_[i >> kChunkBits][i & (kChunkSize - 1)]; }
    const T& operator[](std::size_t i) const { return chunks_[i >> kChunkBits][i & (kChunkSize - 1)]; }
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }

    T& push_back(const T& value) {
        // A new chunk is raw storage: elements are constructed as they are
        // pushed, so a small table costs no more than what it holds.
        if ((size_ & (kChunkSize - 1)) == 0 && (size_ >> kChunkBits) == chunks_.size())
            chunks_.push_back(std::unique_ptr<T[], Free>(static_cast<T*>(::operator new(kChunkSize * sizeof(T)))));
        T* slot = &(*this)[size_++];
        return *::new (static_cast<void*>(slot)) T(value);
    }
    /// Grows to `n` elements, the new ones value-initialized.
    void grow_to(std::size_t n) {
        while (size_ < n) push_back(T{});
    }
    std::size_t memory_bytes() const {
        return chunks_.size() * kChunkSize * sizeof(T) + chunks_.capacity() * sizeof(void*);
    }

private:
    struct Free {
        void operator()(T* p) const { ::operator delete(static_cast<void*>(p)); }
    };
    std::vector<std::unique_ptr<T[], Free>> chunks_;
    std::size_t size_ = 0;
};

}  // namespace heapsim
