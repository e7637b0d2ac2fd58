#pragma once
// A growable array of trivially copyable elements in an anonymous memory
// mapping of its own. Growing doubles the mapping's address range with
// mremap, which moves page table entries and copies no byte, and a page
// costs memory only once an element on it is written. So, unlike a
// std::vector, growing has no moment when old and new storage are both
// resident and no doubled capacity counted in the resident set: it costs
// what the elements in use cost, rounded up to a page. The elements stay
// contiguous (a block of edges is one pointer plus an offset), unlike a
// ChunkedVector's. Element addresses change when it grows.
//
// Used for the per-object arrays of a heap of tens of millions of objects
// (the reference pool, the id to object map): with a std::vector, a
// doubling at 20M live objects held both copies at the peak.

#include <cstddef>
#include <cstring>
#include <type_traits>

namespace heapsim {

namespace mapping {
/// A new mapping of `bytes` (a multiple of page_size()), zero-filled.
void* allocate(std::size_t bytes);
/// The mapping at `p` of `old_bytes` grown to `new_bytes`, its contents kept.
void* grow(void* p, std::size_t old_bytes, std::size_t new_bytes);
void release(void* p, std::size_t bytes);
std::size_t page_size();
}  // namespace mapping

template <typename T>
class MappedVector {
    static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

  public:
    MappedVector() = default;
    MappedVector(const MappedVector& other) { *this = other; }
    MappedVector& operator=(const MappedVector& other) {
        if (this == &other) return *this;
        size_ = 0;
        reserve(other.size_);
        if (other.size_ != 0) std::memcpy(data_, other.data_, other.size_ * sizeof(T));
        size_ = other.size_;
        return *this;
    }
    MappedVector(MappedVector&& other) noexcept { swap(other); }
    MappedVector& operator=(MappedVector&& other) noexcept {
        swap(other);
        return *this;
    }
    ~MappedVector() {
        if (data_ != nullptr) mapping::release(data_, bytes_);
    }

    T& operator[](std::size_t i) { return data_[i]; }
    const T& operator[](std::size_t i) const { return data_[i]; }
    T* data() { return data_; }
    const T* data() const { return data_; }
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }

    /// Grows to `n` elements, the new ones set to `value`; or shrinks.
    void resize(std::size_t n, const T& value = T{}) {
        if (n > size_) {
            reserve(n);
            for (std::size_t i = size_; i < n; ++i) data_[i] = value;
        }
        size_ = n;
    }
    void push_back(const T& value) {
        if (size_ == capacity()) reserve(size_ + 1);
        data_[size_++] = value;
    }
    /// Bytes of address space held (resident: only the pages written).
    std::size_t mapped_bytes() const { return bytes_; }

  private:
    std::size_t capacity() const { return bytes_ / sizeof(T); }
    void reserve(std::size_t n) {
        if (n <= capacity()) return;
        // Doubling costs address space only; start at 64 KiB.
        std::size_t bytes = bytes_ == 0 ? std::size_t{64} << 10 : bytes_;
        while (bytes / sizeof(T) < n) bytes *= 2;
        const std::size_t page = mapping::page_size();
        bytes = (bytes + page - 1) / page * page;
        data_ = static_cast<T*>(data_ == nullptr ? mapping::allocate(bytes)
                                                 : mapping::grow(data_, bytes_, bytes));
        bytes_ = bytes;
    }
    void swap(MappedVector& other) noexcept {
        std::swap(data_, other.data_);
        std::swap(size_, other.size_);
        std::swap(bytes_, other.bytes_);
    }

    T* data_ = nullptr;
    std::size_t size_ = 0;
    std::size_t bytes_ = 0;  // of the mapping
};

}  // namespace heapsim
