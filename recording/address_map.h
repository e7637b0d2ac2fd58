#pragma once
// Recorded address -> object index: open addressing with linear probing and
// backward-shift deletion (no tombstones), sized for the millions of
// lookups an import makes per second. Key 0 is never an object address.

#include <cstdint>
#include <vector>

namespace heapsim {

class AddressMap {
  public:
    static constexpr std::uint32_t kNone = 0xFFFFFFFFu;

    std::uint32_t find(std::uint64_t key) const {
        if (count_ == 0) return kNone;
        for (std::size_t s = slot(key);; s = (s + 1) & mask_) {
            if (keys_[s] == key) return vals_[s];
            if (keys_[s] == 0) return kNone;
        }
    }

    void put(std::uint64_t key, std::uint32_t value) {
        if ((count_ + 1) * 2 > keys_.size()) grow();
        std::size_t s = slot(key);
        while (keys_[s] != 0 && keys_[s] != key) s = (s + 1) & mask_;
        if (keys_[s] == 0) ++count_;
        keys_[s] = key;
        vals_[s] = value;
    }

    bool erase(std::uint64_t key) {
        if (count_ == 0) return false;
        std::size_t s = slot(key);
        while (keys_[s] != key) {
            if (keys_[s] == 0) return false;
            s = (s + 1) & mask_;
        }
        std::size_t hole = s;
        for (std::size_t j = (s + 1) & mask_; keys_[j] != 0; j = (j + 1) & mask_) {
            const std::size_t home = slot(keys_[j]);
            if (((j - home) & mask_) >= ((j - hole) & mask_)) {
                keys_[hole] = keys_[j];
                vals_[hole] = vals_[j];
                hole = j;
            }
        }
        keys_[hole] = 0;
        --count_;
        return true;
    }

    std::size_t size() const { return count_; }

  private:
    std::size_t slot(std::uint64_t key) const {
        return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> shift_) & mask_;
    }

    void grow() {
        const std::size_t cap = keys_.empty() ? 1024 : keys_.size() * 2;
        std::vector<std::uint64_t> keys(cap, 0);
        std::vector<std::uint32_t> vals(cap, 0);
        keys.swap(keys_);
        vals.swap(vals_);
        mask_ = cap - 1;
        shift_ = 64;
        for (std::size_t c = cap; c > 1; c >>= 1) --shift_;
        count_ = 0;
        for (std::size_t i = 0; i < keys.size(); ++i)
            if (keys[i] != 0) put(keys[i], vals[i]);
    }

    std::vector<std::uint64_t> keys_;
    std::vector<std::uint32_t> vals_;
    std::size_t mask_ = 0;
    unsigned shift_ = 64;
    std::size_t count_ = 0;
};

}  // namespace heapsim
