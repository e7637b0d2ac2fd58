#pragma once
// The importer's per-object reference lists (a multiset of object numbers,
// in insertion order but for swap-with-last removal): most objects hold or
// receive at most two references, so two live inline and a longer list goes
// to the heap. A std::vector here cost a malloc and a free for nearly every
// reference the import sets (a tenth of a snapshot-mode import), and 48
// bytes per object for the pair.

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace heapsim {

class IdList {
  public:
    IdList() = default;
    IdList(const IdList&) = delete;
    IdList& operator=(const IdList&) = delete;
    ~IdList() { release(); }

    std::uint32_t* begin() { return data(); }
    std::uint32_t* end() { return data() + size_; }
    const std::uint32_t* begin() const { return data(); }
    const std::uint32_t* end() const { return data() + size_; }
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    std::uint32_t back() const { return data()[size_ - 1]; }

    void push_back(std::uint32_t x) {
        if (size_ == cap_) grow();
        data()[size_++] = x;
    }
    /// Removes one occurrence of `x` (the last element takes its place).
    void erase_one(std::uint32_t x) {
        std::uint32_t* const it = std::find(begin(), end(), x);
        if (it == end()) return;
        *it = back();
        --size_;
    }
    void clear() { size_ = 0; }
    /// Empties the list and gives its heap storage back.
    void release() {
        if (cap_ > kInline) delete[] heap_;
        cap_ = kInline;
        size_ = 0;
    }

  private:
    static constexpr std::uint32_t kInline = 2;

    std::uint32_t* data() { return cap_ > kInline ? heap_ : inline_; }
    const std::uint32_t* data() const { return cap_ > kInline ? heap_ : inline_; }
    void grow() {
        const std::uint32_t cap = cap_ * 2;
        auto* const p = new std::uint32_t[cap];
        std::copy(begin(), end(), p);
        if (cap_ > kInline) delete[] heap_;
        heap_ = p;
        cap_ = cap;
    }

    std::uint32_t size_ = 0, cap_ = kInline;
    union {
        std::uint32_t inline_[kInline] = {};
        std::uint32_t* heap_;
    };
};

}  // namespace heapsim
