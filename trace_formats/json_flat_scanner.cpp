#include "trace_formats/json_flat_scanner.h"

#include <cstdint>
#include <limits>

namespace heapsim {
namespace {

bool is_json_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// What may follow a number or literal in the accepted shape; anything else
// ("1.5", "1e3", "01", "truex") is left to nlohmann.
bool ends_value(char c) {
    return is_json_space(c) || c == ',' || c == '}' || c == ']';
}

class FlatScanner {
  public:
    FlatScanner(std::string_view line, JsonEventBuilder& builder)
        : p_(line.data()), end_(line.data() + line.size()), builder_(builder) {}

    bool object() {
        skip_space();
        if (!eat('{')) return false;
        builder_.begin();
        skip_space();
        if (!eat('}')) {
            do {
                if (!member()) return false;
            } while (eat(','));
            if (!eat('}')) return false;
        }
        builder_.end_object();
        skip_space();
        return p_ == end_;  // trailing content: nlohmann words that error
    }

  private:
    bool member() {
        skip_space();
        std::string_view key;
        if (!string(key)) return false;
        builder_.key(key);
        skip_space();
        if (!eat(':')) return false;
        skip_space();
        if (!value(true)) return false;
        skip_space();
        return true;
    }

    bool value(bool array_allowed) {
        if (p_ == end_) return false;
        switch (*p_) {
            case '"': {
                std::string_view text;
                if (!string(text)) return false;
                builder_.string(text);
                return true;
            }
            case '[':
                return array_allowed && array();
            case 't':
                if (!literal("true")) return false;
                builder_.boolean(true);
                return true;
            case 'f':
                if (!literal("false")) return false;
                builder_.boolean(false);
                return true;
            case 'n':
                if (!literal("null")) return false;
                builder_.null();
                return true;
            default:
                return number();
        }
    }

    bool array() {
        ++p_;  // '['
        builder_.start_array();
        skip_space();
        if (!eat(']')) {
            do {
                skip_space();
                if (!value(false)) return false;
                skip_space();
            } while (eat(','));
            if (!eat(']')) return false;
        }
        builder_.end_array();
        return true;
    }

    // A string without escapes, control or non-ASCII bytes: its bytes are
    // its value, and there is no UTF-8 to validate.
    bool string(std::string_view& out) {
        if (!eat('"')) return false;
        const char* const start = p_;
        for (; p_ < end_; ++p_) {
            const auto c = static_cast<unsigned char>(*p_);
            if (c == '"') {
                out = std::string_view(start, static_cast<std::size_t>(p_ - start));
                ++p_;
                return true;
            }
            if (c == '\\' || c < 0x20 || c >= 0x80) return false;
        }
        return false;
    }

    // A non-negative integer that fits in 64 bits, as nlohmann's
    // number_unsigned reports it.
    bool number() {
        constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
        std::uint64_t value = 0;
        if (*p_ == '0') {
            ++p_;
        } else if (*p_ >= '1' && *p_ <= '9') {
            for (; p_ < end_ && *p_ >= '0' && *p_ <= '9'; ++p_) {
                const unsigned digit = static_cast<unsigned>(*p_ - '0');
                if (value > (kMax - digit) / 10) return false;  // nlohmann: a float
                value = value * 10 + digit;
            }
        } else {
            return false;
        }
        if (p_ < end_ && !ends_value(*p_)) return false;
        builder_.unsigned_number(value);
        return true;
    }

    bool literal(std::string_view word) {
        if (std::string_view(p_, static_cast<std::size_t>(end_ - p_)).substr(0, word.size()) !=
            word) {
            return false;
        }
        p_ += word.size();
        return p_ == end_ || ends_value(*p_);
    }

    void skip_space() {
        while (p_ < end_ && is_json_space(*p_)) ++p_;
    }
    bool eat(char c) {
        if (p_ == end_ || *p_ != c) return false;
        ++p_;
        return true;
    }

    const char* p_;
    const char* const end_;
    JsonEventBuilder& builder_;
};

}  // namespace

bool scan_flat_event(std::string_view line, JsonEventBuilder& builder) {
    return FlatScanner(line, builder).object();
}

}  // namespace heapsim
