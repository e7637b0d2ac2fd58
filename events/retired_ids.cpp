#include "events/retired_ids.h"

#include <iterator>

namespace heapsim {

namespace {

int hex_digit(char c, bool& lower, bool& upper) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return lower = true, c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return upper = true, c - 'A' + 10;
    return -1;
}

}  // namespace

bool RetiredIds::split(std::string_view id, Parts& out) {
    if (id.size() > 2 && id[0] == '0' && id[1] == 'x' && id.size() <= 2 + 16) {
        // 0x-hex: no leading zero (but "0x0"), one case of letters; digits
        // only counts as lowercase, so the text is rebuilt the same way.
        bool lower = false, upper = false, ok = !(id[2] == '0' && id.size() > 3);
        std::uint64_t v = 0;
        for (std::size_t i = 2; ok && i < id.size(); ++i) {
            const int d = hex_digit(id[i], lower, upper);
            ok = d >= 0;
            v = (v << 4) | static_cast<std::uint64_t>(d < 0 ? 0 : d);
        }
        if (ok && !(lower && upper)) {
            out = Parts{upper ? 'X' : 'x', {}, v};
            return true;
        }
    }
    std::size_t start = id.size();
    while (start > 0 && id[start - 1] >= '0' && id[start - 1] <= '9') --start;
    const std::size_t digits = id.size() - start;
    // 19 digits always fit in 64 bits; a leading zero would make "o07" and
    // "o7" the same number.
    if (digits == 0 || digits > 19 || (digits > 1 && id[start] == '0')) return false;
    std::uint64_t v = 0;
    for (std::size_t i = start; i < id.size(); ++i)
        v = v * 10 + static_cast<std::uint64_t>(id[i] - '0');
    out = Parts{'d', id.substr(0, start), v};
    return true;
}

void RetiredIds::insert(Intervals& set, std::uint64_t v) {
    auto next = set.upper_bound(v);  // first interval starting after v
    if (next != set.begin()) {
        auto prev = std::prev(next);
        if (prev->second >= v) return;  // already there
        if (prev->second + 1 == v) {
            prev->second = v;
            if (next != set.end() && next->first == v + 1) {
                prev->second = next->second;
                set.erase(next);
            }
            return;
        }
    }
    if (next != set.end() && next->first == v + 1) {
        const std::uint64_t last = next->second;
        set.erase(next);
        set.emplace(v, last);
        return;
    }
    set.emplace(v, v);
}

bool RetiredIds::holds(const Intervals& set, std::uint64_t v) {
    auto next = set.upper_bound(v);
    return next != set.begin() && std::prev(next)->second >= v;
}

void RetiredIds::add(std::string_view id) {
    Parts p{};
    if (!split(id, p)) {
        texts_.emplace(id);
        return;
    }
    const bool same = last_ != nullptr && last_family_.size() == p.prefix.size() + 1 &&
                      last_family_[0] == p.form &&
                      std::string_view(last_family_).substr(1) == p.prefix;
    if (!same) {
        last_family_ = family_of(p);
        last_ = &numbered_[last_family_];
    }
    insert(*last_, p.value);
}

bool RetiredIds::contains(std::string_view id) const {
    Parts p{};
    if (!split(id, p)) return texts_.count(std::string(id)) != 0;
    const auto it = numbered_.find(family_of(p));
    return it != numbered_.end() && holds(it->second, p.value);
}

std::size_t RetiredIds::intervals() const {
    std::size_t n = 0;
    for (const auto& [family, set] : numbered_) n += set.size();
    return n;
}

}  // namespace heapsim
